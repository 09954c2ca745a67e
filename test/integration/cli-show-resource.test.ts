/**
 * `siteform show RESOURCE` against the ApisCP emulator: the service-info view (server, panel
 * address and deep links, state, git's entry and plan, what the panel reports, usage), and how a
 * resource is named for it and for `login`/`password`: by domain, admin user, id, inventory entry
 * or group member, optionally after its server, case-insensitively; a misspelt name gets the
 * closest one, and a name on two servers is an error listing both. `show FILE.json` still shows
 * a plan file.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ResourceView } from "../../src/resources/resource-view.js";
import { ALPHA_SITE_YAML, SMALL_PLAN_YAML, TWO_SERVERS_CONFIG, addSite, invoke, mutatingCalls, startTestFleet, withoutReadProgress, type TestFleet } from "./cli-harness.js";

const GROUP = `invoice: INV-9
server: s1
sites:
  - domain: gp.example
    admin_user: gparent
    email: owner@gp.example
    plan: small
  - domain: gc.example
    admin_user: gchild
    email: owner@gc.example
    plan: small
`;

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(): Promise<TestFleet> {
  const f = (fleet = await startTestFleet({ "siteform.yaml": TWO_SERVERS_CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML, "sites/group.yaml": GROUP }));
  expect((await f.cli(["apply", "--auto-approve"])).code).toBe(0);
  addSite(f.server("s1"), "stray.example", "stray");
  addSite(f.server("s1"), "dup.example", "dup1");
  addSite(f.server("s2"), "dup.example", "dup2");
  f.server("s1").api.setUsage?.("alpha.example", { storageKb: 1024 * 1024, bandwidthBytes: 512 * 1024 * 1024 });
  return f;
}

/** The id the server gave a domain. */
function idOf(f: TestFleet, server: string, domain: string): string {
  const rows = invoke(f.server(server), "admin_collect", ["siteinfo.domain"], null, null) as Record<string, { domain: string }>;
  return Object.keys(rows).find((id) => rows[id]?.domain === domain) ?? "";
}

async function viewOf(f: TestFleet, ...args: string[]): Promise<ResourceView> {
  const r = await f.cli(["show", "--format", "json", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ResourceView;
}

describe("siteform show RESOURCE", () => {
  it("shows server, state, git's entry, the panel's address, links and facts, and usage; changes nothing", async () => {
    const f = await start();
    f.server("s1").calls.reset();
    const id = idOf(f, "s1", "alpha.example");
    const origin = new URL(f.server("s1").url).origin;
    const r = await f.cli(["show", "alpha.example"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        `alpha.example (${id}): site on s1`,
        "  server       s1 (apiscp)",
        "  state        active",
        "  in git       sites/alpha.yaml:1, plan small",
        `  panel        ${origin}/`,
        "  admin user   alpha",
        "  e-mail       owner@alpha.example",
        "  server plan  starter",
        "  IP           the server's shared address (name-based)",
        "  invoice      INV-1",
        "  disk         1 GB of 2 GB (50 %)",
        "  bandwidth    512 MB of 10 GB (5 %)",
        "  links",
        `    file manager  ${origin}/apps/filemanager  (signed in: siteform login s1/alpha.example --app filemanager)`,
        `    mail          ${origin}/apps/mailboxroutes  (signed in: siteform login s1/alpha.example --app mailboxroutes)`,
        `    databases     ${origin}/apps/changemysql  (signed in: siteform login s1/alpha.example --app changemysql)`,
        `    terminal      ${origin}/apps/terminal  (signed in: siteform login s1/alpha.example --app terminal)`,
        "",
      ].join("\n"),
    );
    expect(mutatingCalls(f.server("s1"))).toBe(0);
    const view = await viewOf(f, "alpha.example");
    expect(view).toMatchObject({ server: "s1", provider: "apiscp", kind: "apiscp/site", id, state: "active", git: { file: "sites/alpha.yaml", line: 1, plan: "small", state: "active", protect: false }, panelUrl: `${origin}/` });
    expect(view.usage?.disk).toMatchObject({ used: 1024 ** 3, limit: 2 * 1024 ** 3, percent: 50 });
    const markdown = await f.cli(["show", "alpha.example", "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/^### alpha\.example \(site\d+\): site on s1\n\n- \*\*server\*\*: s1 \(apiscp\)\n/);
  });

  it("says what is unmanaged, suspended, or only in git", async () => {
    const f = await start();
    expect((await viewOf(f, "stray.example")).git).toBeNull();
    expect((await f.cli(["show", "stray.example"])).stdout).toMatch(/ {2}in git +no: unmanaged/);
    invoke(f.server("s1"), "admin_deactivate_site", "alpha.example", { reason: "unpaid invoice" });
    expect((await f.cli(["show", "alpha.example"])).stdout).toMatch(/ {2}state +suspended \(the panel does not report why\)\n {2}in git +sites\/alpha\.yaml:1, plan small, git wants it active\n/);
    await f.write("sites/new.yaml", "domain: new.example\nserver: s2\nadmin_user: newbie\nemail: a@new.example\nplan: small\n");
    const only = await f.cli(["show", "new.example"]);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/^new\.example: site on s2\n {2}server +s2 \(apiscp\)\n {2}state +not on s2 \(only in git\)\n/);
    const login = await f.cli(["login", "new.example", "--print"]);
    expect(login.code).toBe(1);
    expect(withoutReadProgress(login.stderr)).toBe("error: cannot sign in to new.example (sites/new.yaml:1): it is in git but not on s2 yet\n  hint: `siteform plan` shows what creating it takes\n");
  });

  it("finds a resource by domain, admin user, id, inventory entry or group member, with its server or without, in any case", async () => {
    const f = await start();
    const child = idOf(f, "s1", "gc.example");
    for (const name of ["gc.example", "GC.Example", "gchild", child, `s1/${child}`, "sites/group.yaml#1", "s1/gc.example"]) {
      expect((await viewOf(f, name)).name, name).toBe("gc.example");
    }
    expect((await viewOf(f, "sites/alpha.yaml")).name).toBe("alpha.example");
    expect((await viewOf(f, "INV-9")).name).toBe("gp.example");
  });

  it("gives the closest name for a misspelt one, and lists the candidates for one that fits two", async () => {
    const f = await start();
    const typo = await f.cli(["show", "alpah.example"]);
    expect(typo.code).toBe(1);
    expect(withoutReadProgress(typo.stderr)).toBe('error: "alpah.example" names no resource in the inventory or on the servers read\n  hint: did you mean "alpha.example"?\n');
    const dup = await f.cli(["show", "dup.example"]);
    expect(dup.code).toBe(1);
    expect(withoutReadProgress(dup.stderr)).toMatch(/^error: "dup\.example" names 2 resources: s1\/dup\.example \(site\d+, not in git\); s2\/dup\.example \(site\d+, not in git\)\n {2}hint: name one by its server and name/);
    const group = await f.cli(["show", "sites/group.yaml"]);
    expect(withoutReadProgress(group.stderr)).toMatch(/"sites\/group\.yaml" names 2 resources: s1\/gp\.example .*; s1\/gc\.example /);
    expect((await viewOf(f, "s2/dup.example")).server).toBe("s2");
    expect((await viewOf(f, "dup.example", "--server", "s2")).server).toBe("s2");
    // Reading only the server a prefix names.
    f.server("s2").calls.reset();
    await viewOf(f, "s1/stray.example");
    expect(f.server("s2").calls.total).toBe(0);
  });

  it("still shows a plan file, and a missing .json path is a missing plan file", async () => {
    const f = await start();
    expect((await f.cli(["plan", "-o", "plan.json"])).code).toBe(0);
    const plan = await f.cli(["show", "plan.json"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/s1: /);
    const missing = await f.cli(["show", "nothing.json"]);
    expect(missing.stderr).toMatch(/^error: cannot read the plan file nothing\.json: no such file/);
  });
});
