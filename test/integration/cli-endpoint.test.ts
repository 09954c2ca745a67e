/**
 * A server in siteform.yaml may name its provider, and its URL may leave out the provider's
 * standard path: `https://HOST:2083` reaches ApisCP's `/soap`, through the real CLI and client.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, ONE_SERVER_CONFIG, SMALL_PLAN_YAML, domainsOn, startTestFleet, type TestFleet } from "./cli-harness.js";

const CONFIG = ONE_SERVER_CONFIG;

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe("siteform.yaml servers", () => {
  it("reach the standard endpoint from a URL without a path, with provider: apiscp written out", async () => {
    fleet = await startTestFleet({ "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML });
    const f = fleet;
    const config = await f.read("siteform.yaml");
    const withPath = /url: (http:\/\/127\.0\.0\.1:\d+)\/soap/.exec(config);
    expect(withPath, config).not.toBeNull();
    await f.write("siteform.yaml", config.replace(/url: (http:\/\/127\.0\.0\.1:\d+)\/soap/, "url: $1\n    provider: apiscp"));
    const applied = await f.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(domainsOn(f.server("s1"))).toEqual(["alpha.example"]);
  });

  it("name only a provider siteform has, and say which ones it has", async () => {
    fleet = await startTestFleet({ "siteform.yaml": `${CONFIG}    provider: plesk\n`, "plans/small.yaml": SMALL_PLAN_YAML });
    const validated = await fleet.cli(["validate"]);
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toMatch(/siteform\.yaml:\d+:\d+ error .*provider.*plesk.*\n\s+hint: .*providers.*apiscp/);
  });
});
