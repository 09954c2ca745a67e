/**
 * The demo's story: servers that host the example inventory, then drifted the way real ones
 * do. One site was deleted by hand, a quota was changed in the panel, support suspended a
 * site, someone created a test site outside git, and a cancelled customer's site has sat
 * suspended past its grace period. Everything goes through the real client over the wire.
 */
import { ApiscpClient } from "../../providers/apiscp/index.js";
import type { DemoChange, EmulatedFleet } from "../fleet.js";

export const DAY = 86_400;

function clientFor(fleet: EmulatedFleet, server: string): ApiscpClient {
  const emulator = fleet.servers.get(server);
  if (emulator === undefined) throw new Error(`the demo inventory has no server ${server}`);
  return new ApiscpClient({ url: emulator.url, key: emulator.key, ...(emulator.caCert ? { insecureTls: false } : {}), caFile: caFileOf(fleet, server) });
}

function caFileOf(fleet: EmulatedFleet, server: string): string | undefined {
  return fleet.servers.get(server)?.caCert === undefined ? undefined : `${fleet.dir}/certs/${server}.pem`;
}

/** The cancelled customer: still on the server, suspended by siteform long ago. */
export async function seedCancelledSite(fleet: EmulatedFleet): Promise<DemoChange> {
  const client = clientFor(fleet, "fra1");
  try {
    await client.addSite("oldtown-books.example", "oldtownbooks", { "siteinfo.email": "owner@oldtown-books.example", "billing.invoice": "INV-1029" }, { plan: "basic" });
    await client.deactivateSite("oldtown-books.example", { reason: "siteform: cancelled on 2025-06-15" });
  } finally {
    client.close();
  }
  return { server: "fra1", what: "oldtown-books.example is still there, suspended since its cancellation" };
}

/** Hand-made changes after the servers matched git. */
export async function driftServers(fleet: EmulatedFleet): Promise<DemoChange[]> {
  const fra1 = clientFor(fleet, "fra1");
  const ams1 = clientFor(fleet, "ams1");
  try {
    await ams1.deleteSite("greenleaf-coop.example");
    await fra1.editSite("kessler-law.example", { "diskquota.quota": 20 });
    await fra1.deactivateSite("acme-bakery.example", { reason: "abuse report #4411 (support)" });
    await ams1.addSite("migration-test.example", "migtest", { "siteinfo.email": "support@panel.example.net" }, { plan: "basic" });
  } finally {
    fra1.close();
    ams1.close();
  }
  return [
    { server: "ams1", what: "greenleaf-coop.example was deleted in the panel" },
    { server: "fra1", what: "kessler-law.example's disk quota was lowered to 20 in the panel" },
    { server: "fra1", what: "acme-bakery.example was suspended by support" },
    { server: "ams1", what: "migration-test.example was created by hand (not in git)" },
  ];
}
