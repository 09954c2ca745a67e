/**
 * A server's observed state as one hash, so a plan can say in one comparison whether anything
 * changed since it was made. Covers every resource and every collected field, in a canonical
 * order (kinds and ids sorted, keys sorted), and nothing that varies between two identical
 * readings.
 */
import { createHash } from "node:crypto";
import type { Catalogue } from "../kinds/catalogue.js";
import type { FieldValues, ObservedResource, ObservedServer, ObservedValue } from "../model/resource.js";

function sortedJson(value: ObservedValue | undefined): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${(value as readonly ObservedValue[]).map(sortedJson).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Readonly<Record<string, ObservedValue>>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

const byKey = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The fields with sets sorted: a panel lists a set (aliases) in whatever order it happens to keep. */
function canonicalFields(r: ObservedResource, catalogue: Catalogue | undefined): FieldValues<ObservedValue> {
  const kind = catalogue?.find(r.kind) ?? null;
  if (kind === null) return r.fields;
  const out: Record<string, Record<string, ObservedValue>> = {};
  for (const [group, values] of Object.entries(r.fields)) {
    out[group] = {};
    for (const [name, value] of Object.entries(values)) {
      const set = kind.fieldMarks(`${group}.${name}`)?.set === true && Array.isArray(value);
      (out[group] as Record<string, ObservedValue>)[name] = set ? [...(value as readonly ObservedValue[])].sort((a, b) => (sortedJson(a) < sortedJson(b) ? -1 : 1)) : value;
    }
  }
  return out;
}

export function fingerprintOf(observed: ObservedServer, catalogue?: Catalogue): string | null {
  if (!observed.ok) return null;
  const hash = createHash("sha256");
  const fields = Object.entries(observed.fields).sort(byKey).map(([kind, list]) => [kind, [...list].sort()] as [string, string[]]);
  hash.update(sortedJson(fields));
  const resources = observed.resources.map((r) => [`${r.kind}\0${r.id}`, r] as [string, typeof r]).sort(byKey);
  for (const [, r] of resources) {
    hash.update("\n");
    hash.update(
      sortedJson({
        kind: r.kind,
        id: r.id,
        name: r.name,
        state: r.state,
        suspension: r.suspension === undefined ? null : { since: r.suspension.since, reason: r.suspension.reason },
        fields: canonicalFields(r, catalogue),
      }),
    );
  }
  return `sha256:${hash.digest("hex")}`;
}
