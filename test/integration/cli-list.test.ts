/**
 * `siteform list`: what siteform sees on a server, against the ApisCP emulator: every site with
 * its id and state, the inventory file and line that declares it or "unmanaged", and what a
 * plan would do to it; the JSON form for scripts. Reads only.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, addSite, mutatingCalls, siteYaml, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;
const BETA = siteYaml("beta", "s1", "INV-2");

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe("siteform list", () => {
  it("lists each site with its state, its inventory file or unmanaged, and what a plan would do", async () => {
    const f = (fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML, "sites/beta.yaml": BETA }));
    expect((await f.cli(["apply", "--auto-approve"])).code).toBe(0);
    // Someone raises beta's quota in the panel, and adds a site git does not know.
    const beta = await f.cli(["list", "--format", "json"]);
    const betaId = (JSON.parse(beta.stdout) as { resources: Array<{ id: string; name: string }> }).resources.find((r) => r.name === "beta.example")?.id ?? "";
    f.server("s1").api.invoke("admin_edit_site", [betaId, { diskquota: { quota: 9 } }], { now: Math.floor(Date.now() / 1000) });
    addSite(f.server("s1"), "stray.example", "stray");
    f.server("s1").calls.reset();

    const { code, stdout } = await f.cli(["list"]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("s1 (apiscp): 3 resources");
    expect(lines.find((l) => l.includes("alpha.example"))).toMatch(/^ {2}site\d+ +alpha\.example +active +sites\/alpha\.yaml:1 {2}in sync$/);
    expect(lines.find((l) => l.includes("beta.example"))).toMatch(/sites\/beta\.yaml:1 {2}plan: update$/);
    expect(lines.find((l) => l.includes("stray.example"))).toMatch(/unmanaged \(not in git\)$/);
    expect(mutatingCalls(f.server("s1"))).toBe(0);

    const json = JSON.parse((await f.cli(["list", "--format", "json"])).stdout) as { resources: Array<{ name: string; source: unknown; planned: string[]; state: string }> };
    expect(json.resources.find((r) => r.name === "stray.example")).toMatchObject({ source: null, planned: [], state: "active" });
    expect(json.resources.find((r) => r.name === "beta.example")).toMatchObject({ source: { file: "sites/beta.yaml", line: 1 }, planned: ["update"] });
  });

  it("says which server could not be read, and exits 1", async () => {
    const f = (fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML }));
    const { code, stdout } = await f.cli(["list"], { env: { ...f.io().env, S1_APISCP_KEY: "0".repeat(64) } });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^s1: could not be read: /);
  });
});
