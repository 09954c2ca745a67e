/**
 * `siteform import` from a WHM server without repository plans, through the CLI against the WHM
 * emulator: the limits most accounts on a package set alike go once into the plan the import
 * proposes (not into every account file), an account that differs keeps its own value, a
 * suspended account keeps its reason, and a plan right after shows no changes.
 */
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import type { WhmAccountInput } from "../../src/emulator/whm/index.js";
import { WHM_CONFIG, startTestFleet, type TestFleet } from "./cli-harness.js";

/** Five accounts on starter with more mailboxes and disk than the package; one with even more disk, one suspended. */
const ACCOUNTS: WhmAccountInput[] = [1, 2, 3, 4, 5].map((n) => ({
  uid: 2000 + n,
  user: `shop${n}`,
  domain: `shop${n}.example`,
  email: `owner@shop${n}.example`,
  plan: "starter",
  limits: { quotaMb: n === 5 ? 20_480 : 10_240, maxpop: 40 },
  ...(n === 2 ? { suspended: true, suspendreason: "unpaid invoice 2026-0042", suspendtime: 1_750_000_000 } : {}),
}));

let fleet: TestFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe("siteform import from a WHM server without repository plans", () => {
  it("puts the limits the accounts repeat into the proposed plan once, and a plan right after shows no changes", async () => {
    fleet = await startTestFleet({ "siteform.yaml": WHM_CONFIG }, { whmStates: { cp1: { accounts: ACCOUNTS } } });
    const f = fleet;
    const imported = await f.cli(["import", "--server", "cp1"]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported 5 accounts from cp1 into 6 files/);

    const plan = parse(await f.read("plans/starter.yaml")) as Record<string, unknown>;
    expect(plan).toMatchObject({ kind: "whm/account", whm_package: "starter", services: { limits: { disk_mb: 10_240, mailboxes: 40 } } });
    for (const n of [1, 3, 4]) expect(await f.read(`sites/shop${n}.example.yaml`), `shop${n}`).not.toMatch(/services|disk_mb|mailboxes/);
    expect(parse(await f.read("sites/shop5.example.yaml"))).toMatchObject({ plan: "starter", services: { limits: { disk_mb: 20_480 } } });
    expect(await f.read("sites/shop5.example.yaml")).not.toMatch(/mailboxes/);
    expect(parse(await f.read("sites/shop2.example.yaml"))).toMatchObject({ state: "suspended", suspend_reason: "unpaid invoice 2026-0042" });

    const validated = await f.cli(["validate"]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const planned = await f.cli(["plan", "--detailed-exitcode"]);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/No changes/);
  });
});
