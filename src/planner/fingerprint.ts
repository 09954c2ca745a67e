/**
 * A server's observed state as one hash, so apply can tell in one comparison whether anything
 * changed since the plan was made. Covers every site and every collected field, in a
 * canonical order (ids sorted, keys sorted), and nothing that varies between two identical
 * readings.
 */
import { createHash } from "node:crypto";
import type { ObservedServer, ObservedValue } from "../model/observed-site.js";

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

export function fingerprintOf(observed: ObservedServer): string | null {
  if (!observed.ok) return null;
  const hash = createHash("sha256");
  hash.update(sortedJson([...observed.fields].sort()));
  const sites = [...observed.sites].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const site of sites) {
    hash.update("\n");
    hash.update(
      sortedJson({
        id: site.id,
        domain: site.domain,
        adminUser: site.adminUser,
        aliases: [...site.aliases].sort(),
        invoice: site.invoice,
        parentInvoice: site.parentInvoice,
        plan: site.plan,
        active: site.active,
        services: site.services,
      }),
    );
  }
  return `sha256:${hash.digest("hex")}`;
}
