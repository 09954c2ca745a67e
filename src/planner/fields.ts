/**
 * Which provider fields a plan looks at, and how to read one off an observed site. Identity
 * fields (domain, admin user, aliases, billing, server plan) are read from the values the
 * provider lifted out of the row, so matching and diffing agree on them; the catalogue says
 * which `service.param` each one is.
 */
import { identityParams, type IdentityField } from "../inventory/catalogue.js";
import type { Inventory } from "../model/inventory.js";
import type { ObservedSite, ObservedValue } from "../model/observed-site.js";
import type { Policy } from "../model/policy.js";

/** ObservedSite's lifted identity values, by the name the applier's preconditions use. */
const LIFTED: Partial<Record<IdentityField, { key: string; read: (site: ObservedSite) => ObservedValue }>> = {
  domain: { key: "domain", read: (s) => s.domain },
  admin_user: { key: "adminUser", read: (s) => s.adminUser },
  aliases: { key: "aliases", read: (s) => s.aliases },
  invoice: { key: "invoice", read: (s) => s.invoice },
  parent_invoice: { key: "parentInvoice", read: (s) => s.parentInvoice },
  plan: { key: "plan", read: (s) => s.plan },
};

let identityByField: ReadonlyMap<string, IdentityField> | undefined;

/** `siteinfo.domain` → `domain`, …: the site field a provider field holds, if any. */
export function identityOf(field: string): IdentityField | null {
  identityByField ??= new Map(identityParams().map((p) => [`${p.service}.${p.param}`, p.field]));
  return identityByField.get(field) ?? null;
}

/** The provider field that holds a site field (`domain` → `siteinfo.domain`). */
export function fieldFor(identity: IdentityField): string {
  const param = identityParams().find((p) => p.field === identity);
  if (param === undefined) throw new Error(`the service catalogue has no field for ${identity}`);
  return `${param.service}.${param.param}`;
}

/** `policy.ignore` holds `service.param` or a whole `service`. */
export function isIgnored(policy: Policy, field: string): boolean {
  const service = field.slice(0, field.indexOf("."));
  return policy.ignore.some((entry) => entry === field || entry === service);
}

/** Every `service.param` a site manages, in a stable order. */
export function siteFields(services: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string[] {
  const out: string[] = [];
  for (const service of Object.keys(services).sort()) {
    for (const param of Object.keys(services[service] ?? {}).sort()) out.push(`${service}.${param}`);
  }
  return out;
}

/** The fields to collect on a server: every field any of its sites manages, minus ignored ones. */
export function managedFields(inventory: Inventory, server: string): string[] {
  const fields = new Set<string>();
  for (const site of inventory.sites) {
    if (site.server !== server) continue;
    for (const field of siteFields(site.services)) if (!isIgnored(inventory.policy, field)) fields.add(field);
  }
  return [...fields].sort();
}

/** The observed value of a field; null when the server did not report it. */
export function observedValue(site: ObservedSite, field: string): ObservedValue {
  const identity = identityOf(field);
  const lifted = identity === null ? undefined : LIFTED[identity];
  if (lifted !== undefined) return lifted.read(site);
  const dot = field.indexOf(".");
  return site.services[field.slice(0, dot)]?.[field.slice(dot + 1)] ?? null;
}

/** How a precondition names a field: the lifted name for identity fields, else `service.param`. */
export function preconditionKey(field: string): string {
  const identity = identityOf(field);
  return (identity === null ? undefined : LIFTED[identity]?.key) ?? field;
}
