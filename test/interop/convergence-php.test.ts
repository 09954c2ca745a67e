/**
 * The convergence run against PHP instead of the TypeScript emulator: siteform's real pipeline
 * (loader, provider over HTTP, planner, stale check, applier) plans and applies one rich
 * scenario on the stateful PHP peer (PHP's own SoapServer keeping ApisCP-like state), and the
 * next plan is empty. The scenario: new sites (one created suspended, one invoice group whose
 * parent exists and whose children do not), a domain rename, a quota change, a suspension, an
 * activation, a cancelled site past its grace period (deleted, the peer checking since/match
 * itself), and an unmanaged site that must come through untouched.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApi } from "../../src/emulator/apiscp/model/index.js";
import { ApiscpClient } from "../../src/providers/apiscp/client.js";
import type { SoapMap } from "../../src/providers/apiscp/wire/value.js";
import { converge, describeOps, unfinished, type Convergence } from "../support/converge.js";
import { tempDir } from "./php-process.js";
import { startStatefulPeer, type StatefulPeer } from "./stateful-peer.js";

const KEY = "c0ffee00".repeat(8);
const NOW = new Date("2026-06-15T12:00:00Z");
const T0 = NOW.getTime() / 1000;
const DAY = 86_400;

const CONFIG = {
  servers: { php1: { url: "http://127.0.0.1:1/soap", key_env: "PHP1_KEY", concurrency: 2 } },
  policy: { max_deletes: 3, deletion_grace_days: 30 },
};

const PLANS = {
  starter: { apiscp_plan: "basic", services: { diskquota: { quota: 2, units: "GB" }, aliases: { max: 3 }, ssh: { enabled: false } } },
  business: { apiscp_plan: "business", services: { diskquota: { quota: 25, units: "GB" }, cgroup: { memory: 2048 }, mysql: { dbasenum: 20 } } },
};

const site = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  domain: `${name}.example`,
  server: "php1",
  admin_user: name.replace(/-/g, ""),
  email: `owner@${name}.example`,
  plan: "starter",
  ...extra,
});

const SITES: Record<string, unknown> = {
  "new-shop": site("new-shop", { invoice: "INV-1", aliases: ["newshop.example", "new-shop.example.net"] }),
  "new-paused": site("new-paused", { plan: "business", state: "suspended", suspend_reason: "awaiting first payment" }),
  bakery: site("bakery", { invoice: "INV-2", aliases: ["bakery.example.net"] }), // on the server as old-bakery.example
  archive: site("archive", { invoice: "INV-3", services: { diskquota: { quota: 10, units: "GB" } } }), // server: 5 GB
  unpaid: site("unpaid", { state: "suspended" }), // active on the server
  back: site("back", { plan: "business" }), // suspended by support on the server
  closed: site("closed", { state: "cancelled", cancelled_on: "2026-01-10" }), // suspended by siteform since January
  agency: {
    invoice: "GRP-7",
    server: "php1",
    services: { cgroup: { memory: 3072 } },
    sites: [
      { domain: "agency.example", admin_user: "agency", email: "ops@agency.example", plan: "business" }, // on the server already
      { domain: "client-one.example", admin_user: "clientone", email: "ops@agency.example", plan: "starter" },
      { domain: "client-two.example", admin_user: "clienttwo", email: "ops@agency.example", plan: "starter", aliases: ["client-two.example.net"] },
    ],
  },
};

/** What the peer holds before siteform runs, in the emulator's state format. */
function startingState(): unknown {
  const api = createAdminApi();
  const add = (domain: string, admin: string, opts: SoapMap, plan: string): void => {
    api.invoke("admin_add_site", [domain, admin, { "siteinfo.plan": plan, ...opts }, { plan }], { now: T0 - 200 * DAY });
  };
  const starter: SoapMap = { "diskquota.quota": 2, "diskquota.units": "GB", "aliases.max": 3, "ssh.enabled": 0 };
  const business: SoapMap = { "diskquota.quota": 25, "diskquota.units": "GB", "cgroup.memory": 2048, "mysql.dbasenum": 20 };
  add("old-bakery.example", "bakery", { ...starter, "siteinfo.email": "owner@bakery.example", "billing.invoice": "INV-2", "aliases.aliases": ["bakery.example.net"] }, "basic");
  add("archive.example", "archive", { ...starter, "diskquota.quota": 5, "siteinfo.email": "owner@archive.example", "billing.invoice": "INV-3" }, "basic");
  add("unpaid.example", "unpaid", { ...starter, "siteinfo.email": "owner@unpaid.example" }, "basic");
  add("back.example", "back", { ...business, "siteinfo.email": "owner@back.example" }, "business");
  add("closed.example", "closed", { ...starter, "siteinfo.email": "owner@closed.example" }, "basic");
  add("agency.example", "agency", { ...business, "cgroup.memory": 3072, "siteinfo.email": "ops@agency.example", "billing.invoice": "GRP-7" }, "business");
  add("handmade.example", "handmade", { "siteinfo.email": "support@panel.example", "aliases.aliases": ["handmade.example.net"], "billing.invoice": "X-99" }, "basic");
  api.invoke("admin_deactivate_site", ["back.example", { reason: "support: abuse report #4411" }], { now: T0 - 3 * DAY });
  api.invoke("admin_deactivate_site", ["closed.example", { reason: "siteform: cancelled on 2026-01-10" }], { now: T0 - 150 * DAY });
  return api.snapshot();
}

describe("plan and apply converge on the stateful PHP peer", () => {
  const scratch = tempDir("convergence-php");
  let peer: StatefulPeer;
  let client: ApiscpClient;
  let before: Awaited<ReturnType<ApiscpClient["collect"]>>;
  let run: Convergence;

  beforeAll(async () => {
    const dir = join(scratch.path, "inventory");
    await mkdir(join(dir, "plans"), { recursive: true });
    await mkdir(join(dir, "sites"), { recursive: true });
    const stateFile = join(scratch.path, "state.json");
    await writeFile(stateFile, `${JSON.stringify(startingState(), null, 2)}\n`);
    peer = await startStatefulPeer({ key: KEY, stateFile });
    await peer.setClock(T0);
    client = new ApiscpClient({ url: peer.url, key: KEY, timeoutMs: 20_000 });
    before = await client.collect(null);

    const config = { ...CONFIG, servers: { php1: { ...CONFIG.servers.php1, url: peer.url } } };
    await writeFile(join(dir, "siteform.yaml"), stringify(config));
    for (const [name, plan] of Object.entries(PLANS)) await writeFile(join(dir, "plans", `${name}.yaml`), stringify(plan));
    for (const [name, text] of Object.entries(SITES)) await writeFile(join(dir, "sites", `${name}.yaml`), stringify(text));
    run = await converge({ dir, env: { PHP1_KEY: KEY }, now: NOW, allowDeletes: null, maxRounds: 1 });
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await peer?.stop();
    scratch.cleanup();
  });

  const context = (): string => [...(run.rounds[0] ? describeOps(run.rounds[0].plan) : []), ...(run.rounds[0] ? unfinished(run.rounds[0].report) : []), "final:", ...describeOps(run.final), peer.output().slice(-2000)].join("\n");

  it("plans every kind of change once, applies it, and the next plan is empty", () => {
    expect(run.rounds.length, context()).toBe(1);
    const [first] = run.rounds;
    expect(first?.plan.ops.map((op) => op.id).sort(), context()).toEqual(
      [
        "php1:activate:back.example",
        "php1:create:client-one.example",
        "php1:create:client-two.example",
        "php1:create:new-paused.example",
        "php1:create:new-shop.example",
        "php1:delete:closed.example",
        "php1:suspend:new-paused.example",
        "php1:suspend:unpaid.example",
        "php1:update:archive.example",
        "php1:update:old-bakery.example",
      ].sort(),
    );
    expect(first?.plan.servers[0]?.unmanaged, context()).toEqual([{ kind: "apiscp/site", id: "site7", name: "handmade.example" }]);
    expect(first?.report.ok, context()).toBe(true);
    expect(run.final.ops, context()).toEqual([]);
  });

  it("left the peer as the inventory says, renaming in place and leaving the unmanaged site alone", async () => {
    const after = await client.collect(null);
    const byDomain = (domain: string) => Object.entries(after).find(([, row]) => row.domain === domain);
    expect(byDomain("bakery.example")?.[0]).toBe("site1");
    expect(byDomain("old-bakery.example")).toBeUndefined();
    expect(byDomain("archive.example")?.[1].services.diskquota?.quota).toBe(10);
    expect(byDomain("unpaid.example")?.[1].active).toBe(false);
    expect(byDomain("back.example")?.[1].active).toBe(true);
    expect(byDomain("new-paused.example")?.[1].active).toBe(false);
    expect(byDomain("closed.example")).toBeUndefined();
    expect(byDomain("client-two.example")?.[1].services.billing).toMatchObject({ parent_invoice: "GRP-7" });
    expect(byDomain("client-two.example")?.[1].services.cgroup?.memory).toBe(3072);
    expect(byDomain("new-shop.example")?.[1].services.aliases?.aliases).toEqual(["newshop.example", "new-shop.example.net"]);
    expect(after.site7).toEqual(before.site7);
  });
});
