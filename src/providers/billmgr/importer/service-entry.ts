/**
 * One imported service or licence as its file holds it: kind, server, name, an id pin when the
 * plan could not find it otherwise, the order terms the provider reported (item type, tariff id,
 * datacenter, period, domain, OS template, recipe, auto-renewal; a licence's name and IP), the
 * add-ons under `services: addons:`, and `state: suspended` for a suspended one. Never
 * `renew_ahead_days`: how far ahead to stay paid is the operator's decision, and writing one
 * could make the first plan renew (and pay). A value the schema would refuse is left out with
 * a note (siteform then leaves it as BILLmanager has it). Pure.
 */
import type { ObservedValue } from "../../../model/resource.js";
import { LICENSE_KIND, SERVICE_KIND } from "../kinds.js";
import { ADDONS_GROUP } from "../observe.js";
import { entryProblems, type EntryKind } from "./schema-check.js";
import { LICENSE_ENTRY_FIELDS, SERVICE_ENTRY_FIELDS, type ServiceView } from "./service-view.js";

export interface ServiceEntry {
  /** Keys in the order the file writes them. */
  value: Record<string, unknown>;
  notes: string[];
}

export function entryKind(view: ServiceView): EntryKind {
  return view.kind === LICENSE_KIND ? "license" : "service";
}

/** A minimal valid entry of the kind, to check one value at a time against. */
function minimal(kind: EntryKind): Record<string, unknown> {
  return kind === "license"
    ? { kind: LICENSE_KIND, server: "s", name: "n", tariff: 1, period: 1, ip: "192.0.2.1" }
    : { kind: SERVICE_KIND, server: "s", name: "n", itemtype: "vhost", tariff: 1, period: 1 };
}

function fits(kind: EntryKind, key: string, value: unknown): boolean {
  return entryProblems(kind, { ...minimal(kind), [key]: value }).length === 0;
}

function fitsAddon(name: string, value: ObservedValue): boolean {
  return entryProblems("service", { ...minimal("service"), services: { [ADDONS_GROUP]: { [name]: value } } }).length === 0;
}

/**
 * `pin`: the service id when the entry must pin it. `domainHeldBy`: the file that already has
 * the service's domain (a domain is unique per server in the inventory), so it is left out.
 */
export function serviceEntry(view: ServiceView, server: string, name: string, pin: string | null, domainHeldBy: string | null = null): ServiceEntry {
  const kind = entryKind(view);
  const value: Record<string, unknown> = { kind: view.kind, server, name };
  if (pin !== null) value.id = pin;
  const notes: string[] = [];
  for (const [key, path] of kind === "license" ? LICENSE_ENTRY_FIELDS : SERVICE_ENTRY_FIELDS) {
    const reported = view.own[path];
    if (reported === undefined) continue;
    if (key === "domain" && domainHeldBy !== null) {
      notes.push(`its domain ${JSON.stringify(reported)} is not written: ${domainHeldBy} already has it and a domain is unique per server in the inventory, so siteform leaves it as BILLmanager has it (not managed)`);
      continue;
    }
    const written = key === "domain" && typeof reported === "string" ? reported.toLowerCase() : reported;
    if (fits(kind, key, written)) value[key] = written;
    else notes.push(`its ${key} ${JSON.stringify(reported)} is not written: it does not fit the schema, so siteform leaves it as BILLmanager has it (not managed)`);
  }
  const addons: Record<string, ObservedValue> = {};
  for (const addon of Object.keys(view.addons).sort(byAddonId)) {
    const amount = view.addons[addon] as ObservedValue;
    if (fitsAddon(addon, amount)) addons[addon] = amount;
    else notes.push(`add-on ${addon} (${JSON.stringify(amount)}) is not written: it is neither an amount nor a flag, so siteform leaves it as it is (not managed)`);
  }
  if (Object.keys(addons).length > 0) value.services = { [ADDONS_GROUP]: addons };
  if (view.state === "suspended") value.state = "suspended";
  return { value, notes };
}

function byAddonId(a: string, b: string): number {
  return Number(a.replace(/\D/gu, "")) - Number(b.replace(/\D/gu, ""));
}

/** Why the entry cannot be written; null when it can. */
export function entryProblem(entry: ServiceEntry, kind: EntryKind): string | null {
  const problems = entryProblems(kind, entry.value);
  return problems.length === 0 ? null : `what BILLmanager reports does not fit the ${kind === "license" ? "licence" : "service"} schema: ${problems.join("; ")}`;
}
