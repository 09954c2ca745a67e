/**
 * The demo's story on the BILLmanager, after it held what git says: someone switched the backup
 * server's auto-renewal on in the panel (BILLmanager would now charge for it every month by
 * itself), and the CloudLinux licence bought two months ago for three months now expires sooner
 * than git asks it to stay paid. The change goes through the real BILLmanager client over the
 * wire, as a panel click would.
 */
import { BillmgrClient } from "../../providers/billmgr/index.js";
import type { DemoChange, EmulatedFleet } from "../fleet.js";

function clientFor(fleet: EmulatedFleet, server: string): BillmgrClient {
  const emulator = fleet.billmgr.get(server);
  if (emulator === undefined) throw new Error(`the demo inventory has no BILLmanager server ${server}`);
  const caFile = emulator.caCert === undefined ? undefined : `${fleet.dir}/certs/${server}.pem`;
  return new BillmgrClient({ url: emulator.url, user: emulator.user, password: emulator.password, ...(caFile !== undefined && { caFile }) });
}

/** Hand-made changes on bm1 after it matched git. */
export async function driftBillmgrServer(fleet: EmulatedFleet): Promise<DemoChange[]> {
  const bm1 = clientFor(fleet, "bm1");
  try {
    // New orders pass through "ordered" and "processing" for a few reads, as on a real
    // BILLmanager: wait for both to settle, so the story starts from services that are active.
    for (let read = 0; ; read++) {
      const rows = [...(await bm1.services("vds")), ...(await bm1.services("softexternal"))];
      const backup = rows.find((row) => row.remoteid !== null && row.remoteid.endsWith("backup-vps"));
      if (backup === undefined) throw new Error("the demo's backup server was not ordered");
      if (rows.every((row) => row.itemStatus === 2)) {
        await bm1.edit("vds", backup.id, { autoprolong: 1 });
        break;
      }
      if (read === 10) throw new Error("the demo's BILLmanager orders are still being processed");
    }
  } finally {
    bm1.close();
  }
  return [
    { server: "bm1", what: "backup-vps's auto-renewal was switched on in the panel (git says off)" },
    { server: "bm1", what: "the CloudLinux licence for fra1, bought for three months, now expires sooner than the 45 days git asks for" },
  ];
}
