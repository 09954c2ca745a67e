/**
 * The field changes that make one observed site what its desired site says: managed fields
 * only, normalised, ignored paths skipped, sizes compared in bytes when both sides give a
 * unit. A change of server plan re-sends every managed setting with it, because applying a
 * plan on ApisCP rewrites the defaults the site has not overridden on the server.
 */
import type { DesiredSite } from "../model/desired-site.js";
import type { ObservedSite } from "../model/observed-site.js";
import type { FieldChange, FieldValue } from "../model/op.js";
import type { Policy } from "../model/policy.js";
import { isSecretField } from "../render/field-catalogue.js";
import { fieldFor, identityOf, isIgnored, observedValue, siteFields } from "./fields.js";
import { sameValue } from "./normalize.js";
import { unitPairOf } from "../inventory/catalogue.js";
import { bytes } from "./units.js";

export interface SiteDiff {
  changes: FieldChange[];
  /** The server-side plan changes (`siteinfo.plan`). */
  planChanged: boolean;
}

function desiredValue(site: DesiredSite, field: string): FieldValue {
  const dot = field.indexOf(".");
  return site.services[field.slice(0, dot)]?.[field.slice(dot + 1)] ?? null;
}

function change(field: string, before: FieldValue, after: FieldValue): FieldChange {
  const out: FieldChange = { field, before, after };
  if (isSecretField(field)) out.secret = true;
  // ApisCP replaces the alias list as a whole; say so when something was there before.
  if (identityOf(field) === "aliases" && Array.isArray(before) && before.length > 0) out.wholesale = true;
  return out;
}

/** Fields whose amount and unit mean the same size on both sides: no change for either. */
function sameSizes(site: DesiredSite, observed: ObservedSite, fields: readonly string[]): Set<string> {
  const same = new Set<string>();
  for (const service of new Set(fields.map((f) => f.slice(0, f.indexOf("."))))) {
    const pair = unitPairOf(service);
    if (pair === null || !fields.includes(pair.amount) || !fields.includes(pair.units)) continue;
    const wanted = bytes(desiredValue(site, pair.amount), desiredValue(site, pair.units));
    const has = bytes(observedValue(observed, pair.amount), observedValue(observed, pair.units));
    if (wanted !== null && wanted === has) {
      same.add(pair.amount);
      same.add(pair.units);
    }
  }
  return same;
}

export function diffSite(site: DesiredSite, observed: ObservedSite, policy: Policy): SiteDiff {
  const fields = siteFields(site.services).filter((f) => !isIgnored(policy, f));
  const sized = sameSizes(site, observed, fields);
  const differs = (field: string): boolean =>
    !sized.has(field) && !sameValue(field, desiredValue(site, field), observedValue(observed, field));
  const planField = fieldFor("plan");
  const planChanged = fields.includes(planField) && differs(planField);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const identity = identityOf(field);
    // With a plan change every managed setting goes along, sizes that merely read the same in
    // other units included (the value may be the old plan's default, which the new plan
    // rewrites); names, aliases and billing are never reset.
    const resend = planChanged && (identity === null || identity === "email" || identity === "plan");
    if (differs(field) || resend) changes.push(change(field, observedValue(observed, field), desiredValue(site, field)));
  }
  return { changes, planChanged };
}

/** Every managed field of a site about to be created (before: null). */
export function createChanges(site: DesiredSite): FieldChange[] {
  return siteFields(site.services).map((field) => change(field, null, desiredValue(site, field)));
}
