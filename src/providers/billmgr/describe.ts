/**
 * The service-info view of a BILLmanager service or licence: what its list row says (tariff,
 * expiry, auto-renewal, status, domain or licence name, IP, datacenter, cost, creation date) and
 * where its owner manages it, BILLmanager's client area, which is the web interface at the same
 * address as the API (`https://HOST:1500/billmgr`). One list of the service's item type (the one
 * an earlier read saw it in, else each of its kind's in turn); no edit form, no history.
 *
 * BILLmanager's other everyday actions are left out, for want of a call that fits (docs/providers.md
 * says why): no usage figures of a service are documented for a client, a login key
 * (`session.newkey`) is an administrator's tool that opens BILLmanager itself, and a service's
 * panel password (`userpassword` on `<itemtype>.edit`) is an administrator's field.
 */
import type { ResourceInfo, ResourceRef } from "../provider.js";
import type { BillmgrClient } from "./client.js";
import { findRow, ServiceMissing } from "./execute.js";
import { LICENSE_ITEMTYPE, type ItemType } from "./functions.js";
import { itemtypesOf } from "./observe.js";
import type { ServiceRow } from "./results.js";

export interface DescribeContext {
  client: BillmgrClient;
  /** Item types of services seen, by id (the provider's memory of earlier reads). */
  known: Map<string, ItemType>;
}

/** What each item type is, in the words of BILLmanager's product types. */
const PRODUCT: Readonly<Record<ItemType, string>> = {
  vhost: "shared hosting (vhost)",
  vds: "virtual server (vds)",
  dedic: "dedicated server (dedic)",
  softexternal: "licence (softexternal)",
};

/** `item_status` as BILLmanager's service list words it, when the row has no `status_msg`. */
const STATUS: Readonly<Record<number, string>> = { 1: "ordered", 2: "active", 3: "suspended", 4: "deleted", 5: "processing" };

export async function serviceInfo(ctx: DescribeContext, target: ResourceRef): Promise<ResourceInfo> {
  const row = await findService(ctx, target);
  return { panelUrl: ctx.client.endpoint, links: [], facts: factsOf(row) };
}

async function findService(ctx: DescribeContext, target: ResourceRef): Promise<ServiceRow> {
  const all = itemtypesOf(target.kind);
  const id = target.id === "" ? null : target.id;
  const seen = id === null ? undefined : ctx.known.get(id);
  const order = seen !== undefined && all.includes(seen) ? [seen, ...all.filter((t) => t !== seen)] : [...all];
  for (const itemtype of order) {
    const row = findRow(await ctx.client.services(itemtype), id, target.name);
    if (row !== undefined) {
      ctx.known.set(row.id, row.itemtype);
      return row;
    }
  }
  throw new ServiceMissing(id === null ? `no service has the remoteid ${target.name}` : `no service has the id ${id} (${target.name})`);
}

function factsOf(row: ServiceRow): ReadonlyArray<{ label: string; value: string }> {
  const licence = row.itemtype === LICENSE_ITEMTYPE;
  const facts: Array<{ label: string; value: string | null }> = [
    { label: "product", value: PRODUCT[row.itemtype] },
    { label: "tariff", value: row.pricelist },
    { label: "expires", value: row.expiredate },
    { label: "auto-renewal", value: row.autoprolong === null ? "off" : `every ${row.autoprolong} month${row.autoprolong === 1 ? "" : "s"}` },
    { label: "status", value: row.statusMsg ?? STATUS[row.itemStatus] ?? null },
    licence ? { label: "licence name", value: row.licname } : { label: "domain", value: row.domain },
    { label: "IP", value: row.ip },
    { label: "datacenter", value: row.datacenter },
    { label: "panel user", value: row.username },
    { label: "cost", value: row.cost },
    { label: "created", value: row.createdate },
  ];
  return facts.filter((f): f is { label: string; value: string } => f.value !== null && f.value !== "");
}
