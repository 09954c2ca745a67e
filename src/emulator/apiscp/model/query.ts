/**
 * The `query` argument of admin_collect: field → value, all of which must hold. A field is
 * dotted (`billing.parent_invoice`), comma-separated (`"billing,parent_invoice"`, the form
 * ApisCP's CLI uses) or nested (`{billing: {parent_invoice: X}}`); all three mean the same.
 * `active` is the suspension state. Values are normalised exactly as when they are set, so
 * `1`, `"1"` and `true` are one flag value and `"5000"` is 5000; null matches null or absent.
 * Secrets cannot be queried (equality on them would reveal them), and a value that could never
 * be stored faults instead of silently matching nothing.
 */
import type { SoapMap, SoapValue } from "../../../providers/apiscp/wire/value.js";
import { isSoapMap } from "../../../providers/apiscp/wire/value.js";
import type { SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { fieldKey, paramSpec, serviceParams } from "./catalog.js";
import { toBoolean } from "./coerce.js";
import { readParam } from "./record.js";
import { describeValue, quote, soapEqual } from "./values.js";

export type Condition =
  | { kind: "active"; value: boolean }
  | { kind: "param"; service: string; param: string; value: SoapValue };

export function readQuery(query: SoapValue | undefined): Condition[] {
  if (query === undefined || query === null || (Array.isArray(query) && query.length === 0)) return [];
  if (!isSoapMap(query)) throw new ApiFault("argument query must be a map of field => value");
  const conditions: Condition[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === "active") {
      const active = toBoolean(value);
      if (!active.ok) throw badValue(value, "active", active.reason);
      conditions.push({ kind: "active", value: active.value });
      continue;
    }
    const split = key.search(/[.,]/);
    if (split >= 0) conditions.push(paramCondition(key.slice(0, split), key.slice(split + 1), value));
    else conditions.push(...nestedConditions(key, value));
  }
  return conditions;
}

function nestedConditions(service: string, value: SoapValue): Condition[] {
  serviceParams(service);
  if (Array.isArray(value) && value.length === 0) return [];
  if (!isSoapMap(value)) {
    const dotted = quote(`${service}.PARAM`);
    throw new ApiFault(`query field ${quote(service)} must be a map of parameters (or use ${dotted})`);
  }
  return Object.entries(value as SoapMap).map(([param, inner]) => paramCondition(service, param, inner));
}

function paramCondition(service: string, param: string, raw: SoapValue): Condition {
  const spec = paramSpec(service, param);
  const key = fieldKey(service, param);
  if (spec.secret) throw new ApiFault(`cannot query on secret ${quote(key)}`);
  if (raw === null) return { kind: "param", service, param, value: null };
  const result = spec.check(raw);
  if (!result.ok) throw badValue(raw, key, result.reason);
  return { kind: "param", service, param, value: result.value };
}

function badValue(value: SoapValue, field: string, reason: string): ApiFault {
  return new ApiFault(`invalid value ${describeValue(value)} for query field ${quote(field)}: ${reason}`);
}

export function matchesQuery(site: SiteRecord, conditions: readonly Condition[]): boolean {
  return conditions.every((c) =>
    c.kind === "active" ? site.active === c.value : soapEqual(readParam(site, c.service, c.param), c.value),
  );
}
