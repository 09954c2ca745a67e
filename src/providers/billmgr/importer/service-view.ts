/**
 * A BILLmanager service or licence as the importer reads it: the id, siteform's name for it
 * (the remoteid, when it was ordered with one), its state, and the entry fields the provider
 * reported, lifted off an ObservedResource once so the rest of the importer reads names, not
 * field paths. Pure; decides nothing about what to write.
 */
import { textAt } from "../../../kinds/values.js";
import type { ObservedResource, ObservedValue } from "../../../model/resource.js";
import { LICENSE_KIND, SERVICE_KIND } from "../kinds.js";
import { ADDONS_GROUP, LICENSE_FIELD, SERVICE_FIELD } from "../observe.js";

export interface ServiceView {
  kind: typeof SERVICE_KIND | typeof LICENSE_KIND;
  /** BILLmanager's service id, as digits. */
  id: string;
  /** The provider's name for it: the remoteid, else its domain or licence name, else `service <id>`. */
  label: string;
  /** The remoteid it was ordered with; null when it has none. */
  remoteid: string | null;
  state: ObservedResource["state"];
  /** Lowercase, as the entry writes it; null for a licence or a service without one. */
  domain: string | null;
  /** The licence's name (licences only). */
  licname: string | null;
  /** The entry's own fields the provider reported (`group.field` → value), add-ons excluded. */
  own: Readonly<Record<string, ObservedValue>>;
  /** Add-on (`addon_<id>`) → its amount or flag. */
  addons: Readonly<Record<string, ObservedValue>>;
}

/** The entry field each reported field sets, in the order a file writes them. */
export const SERVICE_ENTRY_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ["itemtype", SERVICE_FIELD.itemtype],
  ["tariff", SERVICE_FIELD.tariff],
  ["datacenter", SERVICE_FIELD.datacenter],
  ["period", SERVICE_FIELD.period],
  ["domain", SERVICE_FIELD.domain],
  ["os_template", SERVICE_FIELD.osTemplate],
  ["recipe", SERVICE_FIELD.recipe],
  ["autoprolong", SERVICE_FIELD.autoprolong],
];

export const LICENSE_ENTRY_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ["tariff", LICENSE_FIELD.tariff],
  ["period", LICENSE_FIELD.period],
  ["licname", LICENSE_FIELD.licname],
  ["ip", LICENSE_FIELD.ip],
  ["autoprolong", LICENSE_FIELD.autoprolong],
];

/** The services and licences of a collect on this server, in id order; gone ones and other kinds are left out. */
export function serviceResources(resources: readonly ObservedResource[], server: string, kind: string): ObservedResource[] {
  return resources.filter((r) => r.kind === kind && r.server === server && r.state !== "gone");
}

function valueAtPath(resource: ObservedResource, path: string): ObservedValue | undefined {
  const dot = path.indexOf(".");
  return resource.fields[path.slice(0, dot)]?.[path.slice(dot + 1)];
}

export function serviceView(resource: ObservedResource): ServiceView {
  const licence = resource.kind === LICENSE_KIND;
  const own: Record<string, ObservedValue> = {};
  for (const [, path] of licence ? LICENSE_ENTRY_FIELDS : SERVICE_ENTRY_FIELDS) {
    const value = valueAtPath(resource, path);
    if (value !== undefined && value !== null) own[path] = value;
  }
  const domain = licence ? null : textAt(resource.fields, SERVICE_FIELD.domain);
  return {
    kind: licence ? LICENSE_KIND : SERVICE_KIND,
    id: resource.id,
    label: resource.name,
    remoteid: textAt(resource.fields, licence ? LICENSE_FIELD.name : SERVICE_FIELD.name),
    state: resource.state,
    domain: domain === null ? null : domain.toLowerCase(),
    licname: licence ? textAt(resource.fields, LICENSE_FIELD.licname) : null,
    own,
    addons: licence ? {} : { ...(resource.fields[ADDONS_GROUP] ?? {}) },
  };
}
