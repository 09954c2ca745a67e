/**
 * `siteform show RESOURCE` for BILLmanager services and licences against the BILLmanager emulator
 * over HTTPS, through the CLI (issue 16): the view says what the panel's lists say (tariff, expiry,
 * auto-renewal, status, domain or licence name, IP), BILLmanager's client area as the panel, and
 * git's inventory file and line; it follows the panel (a suspension, an auto-renewal applied, an
 * import) and changes nothing on it. BILLmanager offers no usage, login or password call, and the
 * other commands say so plainly, before reading a password. The account's password is on no
 * output.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { BillmgrServiceInput } from "../../src/emulator/billmgr/index.js";
import type { ResourceView } from "../../src/resources/resource-view.js";
import { BILLMGR_CONFIG, billmgrServer, billmgrSnapshot, startTestFleet, type TestFleet, withoutReadProgress } from "./cli-harness.js";


/** Two comment lines and a blank one first: the entry starts on line 4. */
const SHOP = `# The shop's virtual server.
# Renewed by BILLmanager every quarter.

kind: billmgr/service
server: bm1
name: shop-vps
itemtype: vds
tariff: 12
datacenter: 1
period: 3
domain: shop.example
autoprolong: 3
`;

const LICENCE = `kind: billmgr/license
server: bm1
name: cl-web7
tariff: 14
period: 1
licname: web7.example
ip: 203.0.113.7
autoprolong: off
`;

const FILES = { "siteform.yaml": BILLMGR_CONFIG, "services/shop-vps.yaml": SHOP, "licenses/cl-web7.yaml": LICENCE };

const SERVICES: BillmgrServiceInput[] = [
  {
    id: 101,
    itemtype: "vds",
    pricelist: 12,
    datacenter: 1,
    period: 3,
    domain: "shop.example",
    ip: "198.51.100.102",
    username: "shopadmin",
    remoteid: "shop-vps",
    createdate: "2026-01-15",
    expiredate: "2027-01-15",
    autoprolong: 3,
  },
  { id: 103, itemtype: "softexternal", pricelist: 14, period: 1, ip: "203.0.113.7", licname: "web7.example", remoteid: "cl-web7", createdate: "2025-12-01", expiredate: "2026-12-01" },
  // Not in git, and suspended.
  { id: 104, itemtype: "vhost", pricelist: 11, datacenter: 1, domain: "old.example", remoteid: "old-hosting", item_status: 3, createdate: "2025-03-01", expiredate: "2026-03-01" },
];

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(): Promise<TestFleet> {
  fleet = await startTestFleet(FILES, { tls: true, billmgrStates: { bm1: { services: SERVICES } }, billmgrEmulator: { processingSteps: 0 } });
  return fleet;
}

async function viewOf(f: TestFleet, name: string): Promise<ResourceView> {
  const r = await f.cli(["show", name, "--format", "json"]);
  expect(r.code, `${name}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as ResourceView;
}

describe("siteform show RESOURCE on a BILLmanager server", () => {
  it("shows a service's tariff, expiry, auto-renewal, the client area as its panel and git's file and line; changes nothing", async () => {
    const f = await start();
    const emulator = billmgrServer(f, "bm1");
    const before = billmgrSnapshot(emulator);
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/billmgr$/);
    const r = await f.cli(["show", "shop-vps"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 14)).toEqual([
      "shop-vps (101): service on bm1",
      "  server        bm1 (billmgr)",
      "  state         active",
      "  in git        services/shop-vps.yaml:4",
      `  panel         ${emulator.url}`,
      "  product       virtual server (vds)",
      "  tariff        VPS 2",
      "  expires       2027-01-15",
      "  auto-renewal  every 3 months",
      "  status        Active",
      "  domain        shop.example",
      "  IP            198.51.100.102",
      "  datacenter    Frankfurt DC1",
      "  panel user    shopadmin",
    ]);
    expect(lines[14]).toMatch(/^ {2}cost {10}\d+\.\d\d$/);
    expect(lines.slice(15)).toEqual(["  created       2026-01-15", "  note          usage: this panel reports none", ""]);

    // By its domain too, and in markdown for a ticket.
    const markdown = await f.cli(["show", "shop.example", "--format", "markdown"]);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^### shop-vps \(101\): service on bm1\n\n- \*\*server\*\*: bm1 \(billmgr\)\n- \*\*state\*\*: active\n- \*\*in git\*\*: services\/shop-vps\.yaml:4\n/);
    expect(markdown.stdout).toContain("- **tariff**: VPS 2\n- **expires**: 2027-01-15\n- **auto-renewal**: every 3 months\n");
    expect(billmgrSnapshot(emulator)).toBe(before);
    for (const out of [r.stdout, r.stderr, markdown.stdout, markdown.stderr]) expect(out).not.toContain(emulator.password);
  });

  it("shows a licence by its name, id or inventory file: tariff, expiry, auto-renewal off, licence name", async () => {
    const f = await start();
    const emulator = billmgrServer(f, "bm1");
    for (const name of ["cl-web7", "CL-WEB7", "103", "bm1/103", "licenses/cl-web7.yaml", "bm1/cl-web7"]) {
      expect((await viewOf(f, name)).name, name).toBe("cl-web7");
    }
    const view = await viewOf(f, "cl-web7");
    expect(view).toMatchObject({
      server: "bm1",
      provider: "billmgr",
      kind: "billmgr/license",
      noun: "licence",
      id: "103",
      state: "active",
      git: { file: "licenses/cl-web7.yaml", line: 1, plan: null, state: "active", protect: false },
      panelUrl: emulator.url,
      links: [],
      usage: null,
      notes: ["usage: this panel reports none"],
    });
    const facts = Object.fromEntries(view.facts.map((fact) => [fact.label, fact.value]));
    expect(facts).toMatchObject({ product: "licence (softexternal)", tariff: "CloudLinux OS", expires: "2026-12-01", "auto-renewal": "off", status: "Active", "licence name": "web7.example", IP: "203.0.113.7", created: "2025-12-01" });
    expect(facts).not.toHaveProperty("domain");
    const text = await f.cli(["show", "cl-web7"]);
    expect(text.stdout).toMatch(/^cl-web7 \(103\): licence on bm1\n {2}server +bm1 \(billmgr\)\n {2}state +active\n {2}in git +licenses\/cl-web7\.yaml:1\n {2}panel +https:\/\/127\.0\.0\.1:\d+\/billmgr\n/);
    expect(text.stdout).toMatch(/\n {2}tariff +CloudLinux OS\n {2}expires +2026-12-01\n {2}auto-renewal +off\n/);
  });

  it("follows the panel: a suspended service not in git, then imported; an auto-renewal applied", async () => {
    const f = await start();
    const old = await f.cli(["show", "old.example"]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toMatch(/^old-hosting \(104\): service on bm1\n {2}server +bm1 \(billmgr\)\n {2}state +suspended \(the panel does not report why\)\n {2}in git +no: unmanaged \(`siteform import` writes its file\)\n/);
    expect(old.stdout).toMatch(/\n {2}tariff +Hosting Start\n {2}expires +2026-03-01\n {2}auto-renewal +off\n {2}status +Suspended\n {2}domain +old\.example\n/);

    const imported = await f.cli(["import", "--server", "bm1", "--site", "old-hosting"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const written = await f.read("services/old-hosting.yaml");
    // The entry's line is where its first key is, below the header import writes.
    const line = written.split("\n").findIndex((l) => l.startsWith("kind: ")) + 1;
    expect(line).toBeGreaterThan(1);
    expect((await viewOf(f, "old-hosting")).git).toMatchObject({ file: "services/old-hosting.yaml", line, state: "suspended" });

    // Git asks BILLmanager to renew the licence every 12 months; once applied, show says so.
    expect((await f.cli(["plan", "--detailed-exitcode"])).code).toBe(0);
    await f.write("licenses/cl-web7.yaml", LICENCE.replace("autoprolong: off", "autoprolong: 12"));
    const applied = await f.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(billmgrServer(f, "bm1").services().find((s) => s.id === 103)).toMatchObject({ autoprolong: 12 });
    const facts = Object.fromEntries((await viewOf(f, "cl-web7")).facts.map((fact) => [fact.label, fact.value]));
    expect(facts["auto-renewal"]).toBe("every 12 months");
  });

  it("says a name that fits nothing, with the closest one", async () => {
    const f = await start();
    const typo = await f.cli(["show", "shop-vsp"]);
    expect(typo.code).toBe(1);
    expect(withoutReadProgress(typo.stderr)).toBe('error: "shop-vsp" names no resource in the inventory or on the servers read\n  hint: did you mean "shop-vps"?\n');
  });
});

describe("what BILLmanager does not offer", () => {
  it("usage reports no figures from it, login and password say the panel has no such call, and no password is read", async () => {
    const f = await start();
    const emulator = billmgrServer(f, "bm1");
    const before = billmgrSnapshot(emulator);
    const usage = await f.cli(["usage"]);
    expect(usage.code, usage.stderr).toBe(0);
    expect(usage.stdout).toBe("Disk and bandwidth against their limits, closest to a limit first.\n\nbm1 (billmgr): this panel reports no usage\n");
    const over = await f.cli(["usage", "--over", "90", "--format", "json"]);
    expect(over.code, over.stderr).toBe(0);
    expect(JSON.parse(over.stdout)).toMatchObject({ overLimit: false, servers: [{ name: "bm1", provider: "billmgr", status: "no-usage", error: null }], managed: [], unmanaged: [] });

    const login = await f.cli(["login", "shop-vps", "--print"]);
    expect(login.code).toBe(1);
    expect(login.stdout).toBe("");
    expect(withoutReadProgress(login.stderr)).toBe("error: bm1: its panel offers no single sign-on through siteform\n");

    let read = 0;
    const password = await f.cli(["password", "cl-web7"], {
      stdinLine: async () => {
        read += 1;
        return "Never-Read-1234";
      },
    });
    expect(password.code).toBe(1);
    expect(withoutReadProgress(password.stderr)).toBe("error: bm1: its panel offers no password change through siteform\n");
    expect(read).toBe(0);
    expect(billmgrSnapshot(emulator)).toBe(before);
  });
});
