/**
 * The WHM provider against the real WHM emulator, made through the module as the commands
 * make it: collect (one listaccts, showbw only for bandwidth, listpkgs for packages), reading
 * accounts back in one call, every op end to end (create then the account's own limits, rename
 * keeping the uid, a package change that puts the account's own limits back, suspend with
 * siteform's reason, a delete re-checked right before removeacct), package defaults, failures as
 * the core's error kinds, and the token in no message. Then a plan → apply → plan round trip
 * through the real planner and applier. One fresh emulator per test, on a clock the test moves.
 */
import { describe, expect, it } from "vitest";
import { applyPlan, deletionRulesFor, paidRulesFor } from "../../src/applier/index.js";
import { startWhmEmulator, type RunningWhmEmulator, type WhmAccountInput, type WhmEmulatorOptions } from "../../src/emulator/whm/index.js";
import { checkInventory } from "../../src/inventory/index.js";
import { Catalogue } from "../../src/kinds/catalogue.js";
import type { FieldChange, Op, OpAction, OpFlags } from "../../src/model/op.js";
import type { ObservedServer } from "../../src/model/resource.js";
import type { ServerConfig } from "../../src/model/server-config.js";
import { CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX, buildPlan } from "../../src/planner/index.js";
import { APISCP } from "../../src/providers/apiscp/module.js";
import type { Provider } from "../../src/providers/provider.js";
import { WHM } from "../../src/providers/whm/module.js";
import { providerError, testServer } from "../support/provider-fixture.js";
import { cleanupsAfterEach } from "../support/cleanups.js";

const serverConfig = (url: string, extra: Partial<ServerConfig> = {}): ServerConfig => testServer("cp1", "whm", url, { keyEnv: TOKEN_ENV, userEnv: USER_ENV }, extra);

const TOKEN_ENV = "CP1_WHM_TOKEN";
const USER_ENV = "CP1_WHM_USER";
const KIND = "whm/account";
const DAY = 86_400;

const cleanups = cleanupsAfterEach();


interface Fixture {
  emu: RunningWhmEmulator;
  provider: Provider;
  /** Moves the emulator's clock (seconds; the provider's clock is the real one). */
  shift(seconds: number): void;
}

const realSeconds = (): number => Math.floor(Date.now() / 1000);

async function fixture(options: WhmEmulatorOptions = {}, token?: string): Promise<Fixture> {
  let offset = 0;
  const emu = await startWhmEmulator({ clock: () => realSeconds() + offset, ...options });
  cleanups.push(() => emu.stop());
  const provider = WHM.create(serverConfig(emu.url), { [TOKEN_ENV]: token ?? emu.token, [USER_ENV]: emu.user });
  cleanups.push(() => provider.close());
  return { emu, provider, shift: (seconds) => (offset = seconds) };
}

/** Accounts as an administrator made them before siteform came. */
function seeded(...accounts: WhmAccountInput[]): WhmEmulatorOptions {
  return { state: { accounts: accounts.map((a) => ({ plan: "starter", email: `owner@${a.domain}`, ...a })) } };
}

const set = (field: string, after: FieldChange["after"], before: FieldChange["before"] = null): FieldChange => ({ field, before, after });

function op(action: OpAction, target: { id: string | null; name: string }, changes: FieldChange[] = [], flags: OpFlags = {}, free: Array<{ key: string; value: string }> = []): Op {
  return {
    id: `cp1:${action}:${target.name}`,
    server: "cp1",
    kind: KIND,
    action,
    target: { ...target, key: null, source: null },
    changes,
    flags,
    dependsOn: [],
    preconditions: { exists: action !== "create", id: target.id, ...(free.length > 0 && { free: free.map((f) => ({ ...f, namespace: f.key })) }), fields: {} },
    reason: "test",
    notes: [],
  };
}

const read = (id: string | null, name: string, fields: string[] = []) => ({ kind: KIND, id, name, fields });
const deletion = (suspendedDays: number, ownerTag = CANCELLED_REASON_PREFIX): OpFlags => ({ deletion: { suspendedDays, ownerTag } });


function ok(server: ObservedServer): Extract<ObservedServer, { ok: true }> {
  if (!server.ok) throw new Error(server.error);
  return server;
}

/** The token must not appear whole, in another case, or as any 12-character run of it. */
function expectNoToken(text: string, token: string): void {
  const plain = text.toLowerCase();
  for (let i = 0; i + 12 <= token.length; i++) expect(plain).not.toContain(token.slice(i, i + 12).toLowerCase());
}

const LIMITS = ["limits.disk_mb", "limits.bandwidth_mb", "limits.mailboxes", "limits.databases", "shell.enabled"];

describe("reading", () => {
  it("collects every account with one listaccts, packages with one listpkgs, and no showbw unless bandwidth is read", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }, { user: "bravo", domain: "bravo.example", uid: 1002, suspended: true, suspendreason: "abuse", suspendtime: 1_700_000_000 }));
    const server = ok(await f.provider.collect({ fields: { [KIND]: ["limits.disk_mb", "limits.mailboxes", "account.email"] } }));
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 1, listpkgs: 1 });
    expect(server.templates).toEqual({ [KIND]: ["default", "starter", "business"] });
    expect(server.fields).toEqual({ [KIND]: ["account.email", "limits.disk_mb", "limits.mailboxes"] });
    expect(server.resources).toEqual([
      {
        server: "cp1",
        kind: KIND,
        id: "1001",
        name: "acme.example",
        state: "active",
        fields: { account: { domain: "acme.example", email: "owner@acme.example", package: "starter", user: "acme" }, limits: { disk_mb: 5120, mailboxes: 10 } },
      },
      expect.objectContaining({ id: "1002", name: "bravo.example", state: "suspended", suspension: { since: "2023-11-14T22:13:20.000Z", reason: "abuse" } }),
    ]);
    f.emu.calls.reset();
    const withBandwidth = ok(await f.provider.collect({ fields: { [KIND]: ["limits.bandwidth_mb"] } }));
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 1, listpkgs: 1, showbw: 1 });
    expect(withBandwidth.resources[0]?.fields.limits).toEqual({ bandwidth_mb: 51200 });
  });

  it("reads many accounts back with one listaccts, in the order asked, null for one that is not there", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }, { user: "bravo", domain: "bravo.example", uid: 1002 }));
    const found = await f.provider.readResources([read("1002", "old.example", ["limits.mailboxes"]), read(null, "acme.example"), read(null, "nope.example"), read("4711", "gone.example")]);
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 1 });
    expect(found.map((r) => r?.id ?? null)).toEqual(["1002", "1001", null, null]);
    expect(found[0]?.fields).toEqual({ account: { domain: "bravo.example", package: "starter", user: "bravo" }, limits: { mailboxes: 10 } });
    expect(found[1]?.fields).toEqual({ account: { domain: "acme.example", package: "starter", user: "acme" } });
  });

  it("reads one account by name with a listaccts narrowed to its domain, and its bandwidth with its own showbw line", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    expect(await f.provider.readResource(read(null, "acme.example", ["limits.bandwidth_mb"]))).toMatchObject({ id: "1001", fields: { limits: { bandwidth_mb: 51200 } } });
    expect(f.emu.calls.byMethod()).toEqual({ listaccts: 1, showbw: 1 });
    expect(await f.provider.readResource(read(null, "nope.example"))).toBeNull();
  });

  it("gives a package's limits and shell access as template defaults", async () => {
    const f = await fixture();
    expect(await f.provider.templateDefaults(KIND, "starter")).toEqual({
      limits: { disk_mb: 5120, bandwidth_mb: 51200, mailboxes: 10, databases: 2, ftp_accounts: 2, subdomains: 5, parked_domains: 1, addon_domains: 0 },
      shell: { enabled: false },
    });
    const missing = await providerError(f.provider.templateDefaults(KIND, "gold"));
    expect(missing).toMatchObject({ kind: "rejected", message: 'cp1: there is no package "gold"' });
  });
});

describe("create", () => {
  const CREATE = op(
    "create",
    { id: null, name: "acme.example" },
    [
      set("account.user", "acme"),
      set("account.domain", "acme.example"),
      set("account.email", "owner@acme.example"),
      set("account.package", "starter"),
      set("limits.disk_mb", 2048),
      set("limits.bandwidth_mb", 20000),
      set("limits.mailboxes", 0),
      set("limits.databases", "unlimited"),
      set("shell.enabled", true),
    ],
    { template: "starter" },
    [
      { key: "domain", value: "acme.example" },
      { key: "user", value: "acme" },
    ],
  );

  it("creates the account on its package, then sets its own limits; a read gives back exactly what was asked", async () => {
    const f = await fixture();
    expect(await f.provider.execute(CREATE)).toEqual({ id: "1001" });
    const [account] = f.emu.accounts();
    expect(account).toMatchObject({ user: "acme", domain: "acme.example", email: "owner@acme.example", plan: "starter", hasshell: true });
    expect(account?.limits).toMatchObject({ quotaMb: 2048, bwlimitMb: 20000, maxpop: 0, maxsql: "unlimited", maxftp: 2 });
    const back = await f.provider.readResource(read("1001", "acme.example", [...LIMITS, "account.email"]));
    expect(back?.fields).toEqual({
      account: { user: "acme", domain: "acme.example", email: "owner@acme.example", package: "starter" },
      limits: { disk_mb: 2048, bandwidth_mb: 20000, mailboxes: 0, databases: "unlimited" },
      shell: { enabled: true },
    });
  });

  it("reports a user that exists or a package that does not as WHM's refusal", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "other.example" }));
    const taken = await providerError(f.provider.execute(CREATE));
    expect(taken).toMatchObject({ kind: "rejected", retryable: false });
    expect(taken.message).toMatch(/^cp1: create acme\.example: WHM refused createacct: /);
    const gold = await providerError(f.provider.execute({ ...CREATE, flags: { template: "gold" }, changes: [set("account.user", "bravo"), set("account.domain", "bravo.example"), set("account.package", "gold")] }));
    expect(gold).toMatchObject({ kind: "rejected" });
    expect(gold.message).toMatch(/gold/);
    expect(f.emu.accounts().map((a) => a.user)).toEqual(["acme"]);
  });

  it("settles a createacct whose answer was lost by reading back, and still sets the account's own limits", async () => {
    const f = await fixture({ knobs: { dropAfterWork: { createacct: 1 } } });
    const result = await f.provider.execute(CREATE);
    expect(result).toMatchObject({ id: "1001" });
    expect(f.emu.calls.byMethod()).toMatchObject({ createacct: 1 });
    expect(f.emu.accounts().map((a) => [a.user, a.limits.quotaMb])).toEqual([["acme", 2048]]);
  });

  it("reports a createacct whose answer was lost as an unknown outcome when the account is not there yet", async () => {
    // The work is not done (a failure before it) but the answer is lost as if after it: nothing to find.
    const f = await fixture({ knobs: { failProbability: { createacct: 1 }, failForm: { createacct: "reset" } } });
    const err = await providerError(f.provider.execute(CREATE));
    expect(err).toMatchObject({ kind: "unknown-outcome", retryable: false });
    expect(f.emu.calls.byMethod()).toMatchObject({ createacct: 1 });
    expect(f.emu.accounts()).toEqual([]);
  });

  it("never lets a create be retried once createacct is done, even when a later step says try again later", async () => {
    const f = await fixture({ knobs: { failProbability: { editquota: 1 }, failForm: { editquota: "fault" } } });
    const err = await providerError(f.provider.execute(CREATE));
    expect(err).toMatchObject({ kind: "rejected", retryable: false });
    expect(err.message).toMatch(/createacct acme.* done, then .*the account exists; plan again/);
  });

  it("does not let a failure after createacct be retried as a create: the account exists", async () => {
    const f = await fixture({ knobs: { failProbability: { editquota: 1 } } });
    const err = await providerError(f.provider.execute(CREATE));
    expect(err).toMatchObject({ kind: "rejected", retryable: false });
    expect(err.message).toMatch(/createacct acme, modifyacct acme limits done, then editquota .* HTTP 503.*the account exists; plan again to set what is missing/);
    expect(f.emu.accounts().map((a) => a.user)).toEqual(["acme"]);
  });
});

describe("update", () => {
  it("renames the user and the domain in place, keeping the uid", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    const rename = op("update", { id: "1001", name: "acme.example" }, [set("account.user", "acmenew", "acme"), set("account.domain", "acme.test", "acme.example")]);
    expect(await f.provider.execute(rename)).toEqual({ id: "1001" });
    expect(f.emu.accounts()).toMatchObject([{ uid: 1001, user: "acmenew", domain: "acme.test" }]);
    expect(f.emu.calls.count("modifyacct")).toBe(1);
    expect(await f.provider.readResource(read("1001", "acme.example"))).toMatchObject({ id: "1001", name: "acme.test", fields: { account: { user: "acmenew" } } });
    // Sent again (its answer lost, say): the account is found by its uid and nothing is renamed twice.
    expect(await f.provider.execute(rename)).toEqual({ id: "1001" });
    expect(f.emu.calls.count("modifyacct")).toBe(1);
  });

  it("moves package and then puts the account's own limits back, which changepackage rewrote", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001, limits: { quotaMb: 2048, maxpop: 3 } }));
    const move = op(
      "update",
      { id: "1001", name: "acme.example" },
      [set("account.package", "business", "starter"), set("limits.disk_mb", 2048, 2048), set("limits.mailboxes", 3, 3)],
      { template: "business" },
    );
    await f.provider.execute(move);
    const [account] = f.emu.accounts();
    // Its own limits as before; the rest are the new package's.
    expect(account).toMatchObject({ plan: "business", hasshell: true, limits: { quotaMb: 2048, maxpop: 3, maxsql: 20, bwlimitMb: 204800 } });
    const calls = f.emu.calls.byMethod();
    expect(calls).toMatchObject({ changepackage: 1, modifyacct: 1, editquota: 1 });
  });

  it("sets limits and the contact address in one modifyacct plus editquota and limitbw", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    await f.provider.execute(
      op("update", { id: "1001", name: "acme.example" }, [set("account.email", "new@acme.example"), set("limits.disk_mb", "unlimited"), set("limits.bandwidth_mb", 100), set("limits.databases", 0), set("shell.enabled", true)]),
    );
    expect(f.emu.accounts()[0]).toMatchObject({ email: "new@acme.example", hasshell: true, limits: { quotaMb: "unlimited", bwlimitMb: 100, maxsql: 0 } });
    expect(f.emu.calls.byMethod()).toEqual({ accountsummary: 1, modifyacct: 1, editquota: 1, limitbw: 1 });
  });

  it("says what was done when a later call fails, and picks up from there when sent again", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }), undefined);
    f.emu.setKnobs({ failProbability: { editquota: 1 } });
    const change = op("update", { id: "1001", name: "acme.example" }, [set("account.user", "acmenew", "acme"), set("limits.disk_mb", 100)]);
    const err = await providerError(f.provider.execute(change));
    expect(err).toMatchObject({ kind: "transport", retryable: true });
    expect(err.message).toMatch(/modifyacct acme done, then editquota/);
    f.emu.setKnobs({ failProbability: {} });
    await f.provider.execute(change);
    expect(f.emu.accounts()[0]).toMatchObject({ uid: 1001, user: "acmenew", limits: { quotaMb: 100 } });
  });
});

describe("suspend and activate", () => {
  it("suspends with siteform's reason and activates again", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    await f.provider.execute(op("suspend", { id: "1001", name: "acme.example" }, [], { reason: "siteform: suspended" }));
    const suspended = await f.provider.readResource(read("1001", "acme.example"));
    expect(suspended).toMatchObject({ state: "suspended", suspension: { reason: "siteform: suspended", since: expect.stringMatching(/^\d{4}-/) } });
    await f.provider.execute(op("activate", { id: "1001", name: "acme.example" }));
    expect((await f.provider.readResource(read("1001", "acme.example")))?.state).toBe("active");
  });

  it("refuses an op on an account that is not there, naming it", async () => {
    const f = await fixture();
    const err = await providerError(f.provider.execute(op("suspend", { id: "4711", name: "gone.example" }, [], { reason: "x" })));
    expect(err).toMatchObject({ kind: "rejected" });
    expect(err.message).toBe("cp1: suspend gone.example (uid 4711): no account has the uid 4711 (it was gone.example when planned)");
  });
});

describe("delete, re-checked right before removeacct", () => {
  const DELETE = op("delete", { id: "1001", name: "acme.example" }, [], deletion(30));

  async function suspendedAgo(days: number, reason: string): Promise<Fixture> {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    f.shift(-days * DAY);
    await f.provider.execute(op("suspend", { id: "1001", name: "acme.example" }, [], { reason }));
    f.shift(0);
    return f;
  }

  it("deletes an account siteform suspended longer ago than the grace period", async () => {
    const f = await suspendedAgo(31, `${CANCELLED_REASON_PREFIX} on 2026-01-01`);
    expect(await f.provider.execute(DELETE)).toEqual({ id: null });
    expect(f.emu.accounts()).toEqual([]);
  });

  it("refuses an account suspended too recently, and calls nothing that changes it", async () => {
    const f = await suspendedAgo(3, `${CANCELLED_REASON_PREFIX} on 2026-01-01`);
    const err = await providerError(f.provider.execute(DELETE));
    expect(err).toMatchObject({ kind: "rejected", retryable: false });
    expect(err.message).toMatch(/^cp1: delete acme\.example \(uid 1001\): account acme \(uid 1001\) was not deleted: suspended 3\.0 days ago, less than the 30 days/);
    expect(f.emu.calls.count("removeacct")).toBe(0);
    expect(f.emu.accounts()).toHaveLength(1);
  });

  it("refuses an account someone else suspended, however long ago", async () => {
    const f = await suspendedAgo(90, "abuse: spam");
    const err = await providerError(f.provider.execute(DELETE));
    expect(err.message).toMatch(/suspension reason "abuse: spam" does not start with siteform's/);
    expect(f.emu.calls.count("removeacct")).toBe(0);
  });

  it("refuses an account whose reason only mentions siteform's: someone else suspended it after siteform", async () => {
    const f = await suspendedAgo(90, `HOLD by support, do not delete (was: ${CANCELLED_REASON_PREFIX} on 2026-01-01)`);
    const err = await providerError(f.provider.execute(DELETE));
    expect(err).toMatchObject({ kind: "rejected", retryable: false });
    expect(err.message).toMatch(/does not start with siteform's/);
    expect(f.emu.calls.count("removeacct")).toBe(0);
    expect(f.emu.accounts()).toHaveLength(1);
  });

  it("refuses an account that is not suspended, and a delete without its requirement", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    expect((await providerError(f.provider.execute(DELETE))).message).toMatch(/it is not suspended/);
    expect((await providerError(f.provider.execute({ ...DELETE, flags: {} }))).message).toMatch(/without siteform's requirement/);
    expect(f.emu.calls.count("removeacct")).toBe(0);
  });

  it("finds the account by its uid when its domain changed since the plan", async () => {
    const f = await suspendedAgo(40, `${CANCELLED_REASON_PREFIX} on 2026-01-01`);
    const [seededAccount] = f.emu.accounts();
    expect(seededAccount?.domain).toBe("acme.example");
    await f.provider.execute(op("update", { id: "1001", name: "acme.example" }, [set("account.domain", "acme.test", "acme.example")]));
    expect(await f.provider.execute(DELETE)).toEqual({ id: null });
    expect(f.emu.accounts()).toEqual([]);
  });
});

describe("failures", () => {
  it("reads a refused token as auth, naming the variables, in a collect and in an op", async () => {
    const f = await fixture({}, "Z".repeat(32));
    const server = await f.provider.collect({ fields: {} });
    expect(server.ok).toBe(false);
    if (!server.ok) expect(server.error).toMatch(/^cp1: cannot read its accounts: listaccts at .*HTTP 401.*\(the user and token come from CP1_WHM_USER and CP1_WHM_TOKEN\)$/);
    const err = await providerError(f.provider.execute(op("suspend", { id: "1001", name: "acme.example" })));
    expect(err).toMatchObject({ kind: "auth", retryable: false });
  });

  it("reads HTTP 503 as retryable transport with a hint", async () => {
    const f = await fixture({ knobs: { failProbability: { "*": 1 } } });
    const err = await providerError(f.provider.readResource(read(null, "acme.example")));
    expect(err).toMatchObject({ kind: "transport", retryable: true });
    expect(err.message).toMatch(/check that the server is up and its url in siteform\.yaml is right$/);
  });

  it("never puts the token in a message, whatever goes wrong", async () => {
    const f = await fixture(seeded({ user: "acme", domain: "acme.example", uid: 1001 }));
    const token = f.emu.token;
    const texts: string[] = [];
    const collect = async (fields: string[]) => {
      const s = await f.provider.collect({ fields: { [KIND]: fields } });
      if (!s.ok) texts.push(s.error);
    };
    const attempt = async (promise: Promise<unknown>) => {
      try {
        const result = await promise;
        texts.push(JSON.stringify(result));
      } catch (err) {
        texts.push(err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err));
      }
    };
    for (const form of ["http503", "reset", "fault"] as const) {
      f.emu.setKnobs({ failProbability: { "*": 1 }, failForm: { "*": form } });
      await collect(["limits.bandwidth_mb"]);
      await attempt(f.provider.execute(op("update", { id: "1001", name: "acme.example" }, [set("limits.disk_mb", 5)])));
    }
    f.emu.setKnobs({ failProbability: {}, dropAfterWork: { "*": 1 } });
    await attempt(f.provider.execute(op("suspend", { id: "1001", name: "acme.example" }, [], { reason: "x" })));
    f.emu.setKnobs({ dropAfterWork: {} });
    await attempt(f.provider.execute(op("create", { id: null, name: "acme.example" }, [set("account.user", "acme"), set("account.domain", "acme.example")])));
    // A message that would quote what the caller passed is scrubbed too, should that ever be the token.
    await attempt(f.provider.templateDefaults(KIND, token));
    expect(texts.length).toBeGreaterThanOrEqual(9);
    for (const text of texts) expectNoToken(text, token);
  });
});

describe("plan → apply → plan through the real planner and applier", () => {
  const catalogue = new Catalogue([...APISCP.kinds, ...WHM.kinds]);
  const lines = (...t: string[]): string => `${t.join("\n")}\n`;

  it("creates, then finds nothing to change; cancels, suspends, and deletes after the grace period", async () => {
    const f = await fixture();
    const env = { [TOKEN_ENV]: f.emu.token, [USER_ENV]: f.emu.user };
    const files = (state: string[] = []) =>
      Object.entries({
        "siteform.yaml": lines("servers:", "  cp1:", "    provider: whm", `    url: ${f.emu.url}`, `    key_env: ${TOKEN_ENV}`, `    user_env: ${USER_ENV}`, "policy:", "  deletion_grace_days: 30"),
        "plans/starter.yaml": lines("kind: whm/account", "whm_package: starter", "services:", "  limits:", "    mailboxes: 25"),
        "sites/acme.yaml": lines(
          "user: acme",
          "domain: acme.example",
          "server: cp1",
          "email: owner@acme.example",
          "plan: starter",
          "services:",
          "  limits:",
          "    disk_mb: 2048",
          "    bandwidth_mb: unlimited",
          "    addon_domains: 0",
          "  shell:",
          "    enabled: true",
          ...state,
        ),
      }).map(([file, text]) => ({ file, text }));
    const inventoryOf = (state: string[] = []) => {
      const result = checkInventory(files(state), { catalogue, env });
      if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join("; "));
      return result.inventory;
    };
    const planFor = async (inventory: ReturnType<typeof inventoryOf>, now = new Date().toISOString()) => {
      const fields = [...new Set(inventory.resources.flatMap((r) => Object.entries(r.fields).flatMap(([g, v]) => Object.keys(v).map((k) => `${g}.${k}`))))];
      const observed = await f.provider.collect({ fields: { [KIND]: fields } });
      return buildPlan(inventory, [observed], { now, commit: { commit: null, dirty: false }, allowDeletes: null, allowPaid: null, servers: ["cp1"], resetPlanDefaults: false });
    };
    const apply = (plan: Awaited<ReturnType<typeof planFor>>, inventory: ReturnType<typeof inventoryOf>) =>
      applyPlan(plan, {
        providers: new Map([["cp1", f.provider]]),
        catalogue,
        concurrency: { perServer: {}, total: 2 },
        failFast: false,
        deletionRules: deletionRulesFor(inventory, null, [CANCELLED_REASON_PREFIX, PRUNED_REASON_PREFIX]),
        paidRules: paidRulesFor(inventory, null),
      });

    const inventory = inventoryOf();
    const first = await planFor(inventory);
    expect(first.diagnostics).toEqual([]);
    expect(first.ops.map((o) => o.id)).toEqual(["cp1:create:acme.example"]);
    const created = await apply(first, inventory);
    expect(created.ops.map((o) => [o.status, o.message])).toEqual([["done", null]]);
    expect(f.emu.accounts()[0]).toMatchObject({ uid: 1001, hasshell: true, limits: { quotaMb: 2048, bwlimitMb: "unlimited", maxpop: 25, maxaddon: 0 } });
    expect((await planFor(inventory)).ops).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const cancelled = inventoryOf(["state: cancelled", `cancelled_on: '${today}'`]);
    const suspend = await planFor(cancelled);
    expect(suspend.ops.map((o) => o.action)).toEqual(["suspend"]);
    expect((await apply(suspend, cancelled)).ops.map((o) => o.status)).toEqual(["done"]);
    expect(f.emu.accounts()[0]).toMatchObject({ suspended: true, suspendreason: `${CANCELLED_REASON_PREFIX} on ${today}` });

    // 31 days on (the planner's clock), the plan deletes; the provider's own re-check refuses, since WHM says it was suspended today.
    const later = new Date(Date.now() + 31 * DAY * 1000).toISOString();
    const early = await planFor(cancelled, later);
    expect(early.ops.map((o) => o.action)).toEqual(["delete"]);
    const refused = await apply(early, cancelled);
    expect(refused.ops.map((o) => o.status)).toEqual(["failed"]);
    expect(refused.ops[0]?.message).toMatch(/was not deleted: suspended 0\.0 days ago, less than the 30 days/);
    expect(f.emu.accounts()).toHaveLength(1);
  });
});
