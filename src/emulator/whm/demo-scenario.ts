/**
 * The demo's story on the WHM server, after it matched git: support lifted a suspension by hand,
 * someone lowered an account's disk quota in WHM, and a reseller created an account outside
 * git. Everything goes through the real WHM client over the wire, as an operator's panel
 * clicks would.
 */
import { WhmClient } from "../../providers/whm/index.js";
import type { DemoChange, EmulatedFleet } from "../fleet.js";

function clientFor(fleet: EmulatedFleet, server: string): WhmClient {
  const emulator = fleet.whm.get(server);
  if (emulator === undefined) throw new Error(`the demo inventory has no WHM server ${server}`);
  const caFile = emulator.caCert === undefined ? undefined : `${fleet.dir}/certs/${server}.pem`;
  return new WhmClient({ url: emulator.url, user: emulator.user, token: emulator.token, ...(caFile !== undefined && { caFile }) });
}

/** Hand-made changes on cp1 after it matched git. */
export async function driftWhmServer(fleet: EmulatedFleet): Promise<DemoChange[]> {
  const cp1 = clientFor(fleet, "cp1");
  try {
    await cp1.unsuspendacct("summitout");
    await cp1.editquota("lindqvist", 10240);
    await cp1.createacct({ username: "resellerdemo", domain: "reseller-demo.example", plan: "default", contactemail: "reseller@panel.example.net" });
  } finally {
    cp1.close();
  }
  return [
    { server: "cp1", what: "summit-outdoor.example was unsuspended by hand, though its invoice is unpaid" },
    { server: "cp1", what: "lindqvist-design.example's disk quota was lowered to 10240 MB in WHM" },
    { server: "cp1", what: "reseller-demo.example was created by a reseller (not in git)" },
  ];
}
