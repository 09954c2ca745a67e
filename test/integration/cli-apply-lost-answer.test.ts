/**
 * `siteform apply` against a server slower than its `timeout_seconds`: the client gives up on
 * admin_add_site while the server is still working on it. The create must be sent exactly once:
 * apply reads the site back until it shows (done), or until as long again as the call's own
 * timeout has passed (unknown, exit 1), and never sends it again.
 *
 * The emulator's `latencyMs` knob waits before doing the work, and the wait is not cut short
 * when the client goes away: the site appears `latency` after the call, long after the client
 * timed out, which is what a slow server looks like from outside.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALPHA_SITE_YAML, SMALL_PLAN_YAML, domainsOn, startTestFleet, type TestFleet } from "./cli-harness.js";

/** The smallest timeout siteform.yaml allows: the read-back after it lasts at least as long. */
const CONFIG = `servers:
  s1:
    url: http://127.0.0.1:1/soap
    key_env: S1_APISCP_KEY
    concurrency: 1
    timeout_seconds: 1
`;

const FILES = { "siteform.yaml": CONFIG, "plans/small.yaml": SMALL_PLAN_YAML, "sites/alpha.yaml": ALPHA_SITE_YAML };

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe("siteform apply when the server takes longer than timeout_seconds", () => {
  it("reads back until the slow create shows, and sends it once", async () => {
    fleet = await startTestFleet(FILES);
    const s1 = fleet.server("s1");
    // Done 1.3 s after the call: after the 1 s timeout, early in the 1 s read-back that follows.
    s1.setKnobs({ latencyMs: { admin_add_site: 1_300 } });
    const applied = await fleet.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/confirmed by reading back after a lost answer/);
    expect(applied.stderr).toMatch(/no site holds alpha\.example; reading back for up to 1\.0 s, it will not be sent again/);
    expect(s1.calls.count("admin_add_site")).toBe(1);
    expect(domainsOn(s1)).toEqual(["alpha.example"]);
    s1.setKnobs({ latencyMs: {} });
    const again = await fleet.cli(["plan", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
  });

  it("ends unknown, exit 1, without sending it again, when the create does not show within the read-back", async () => {
    fleet = await startTestFleet(FILES);
    const s1 = fleet.server("s1");
    // Far beyond the timeout and the read-back after it (stopping the emulator cancels it).
    s1.setKnobs({ latencyMs: { admin_add_site: 30_000 } });
    const applied = await fleet.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(1);
    expect(applied.stdout).toMatch(/Unknown[^\n]*\(1\):\n\s+s1 create alpha\.example \(\d+ fields set\): .*no site holds alpha\.example \(read back \d+ times over 1\.\d s\); it was not sent again/);
    expect(applied.stdout).toMatch(/Check alpha\.example on s1, then plan again/);
    expect(s1.calls.count("admin_add_site")).toBe(1);
    expect(domainsOn(s1)).toEqual([]);
  });
});
