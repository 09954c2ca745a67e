/**
 * The WHM emulator over real sockets, function by function, with the real server's quirks:
 * exact token authentication (401 otherwise), the API 0 shape when api.version is missing,
 * in-band refusals (HTTP 200, result 0, a reason), numbers as strings and "unlimited", the
 * literal "not suspended", units (MB here, bytes there), the username rules, uids that survive
 * a rename, and changepackage resetting an account's limits.
 */
import { describe, expect, it } from "vitest";
import { send } from "../unit/emulator-server/support/soap-http.js";
import { whmPool } from "../unit/emulator-whm/support/pool.js";
import { ok, refused, rows, summary, whm, whmGet, type Row } from "../unit/emulator-whm/support/whm-http.js";

const emulator = whmPool();
const NOW = 1_700_000_000; // 2023-11-14 22:13:20 UTC
const MB = 1024 * 1024;

const create = (e: Parameters<typeof ok>[0], user: string, extra: Record<string, string> = {}) =>
  ok(e, "createacct", { username: user, domain: `${user}.example`, ...extra });

describe("authentication", () => {
  it("accepts exactly `whm USER:TOKEN` and answers anything else with HTTP 401, doing nothing", async () => {
    const e = await emulator();
    const wrong = [null, `whm ${e.user}:${e.token}x`, `whm admin:${e.token}`, `WHM ${e.user}:${e.token}`, `Basic ${Buffer.from(`${e.user}:${e.token}`).toString("base64")}`];
    for (const authorization of wrong) {
      const res = await whmGet(e, "createacct", { username: "acme", domain: "acme.example" }, { authorization });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ cpanelresult: { error: "Access denied" } });
      expect(res.body).not.toContain(e.token);
    }
    expect(e.accounts()).toEqual([]);
    expect((await whmGet(e, "version")).status).toBe(200);
  });

  it("generates a 32-character token like WHM's and never echoes a wrong one", async () => {
    const e = await emulator();
    expect(e.token).toMatch(/^[A-Z0-9]{32}$/);
    expect(e.user).toBe("root");
    const guess = "GUESSEDTOKEN1234567890ABCDEFGHIJ";
    const res = await whmGet(e, "listaccts", {}, { authorization: `whm root:${guess}` });
    expect(res.body).not.toContain(guess);
  });
});

describe("envelope", () => {
  it("answers API 1 with metadata and data, as JSON", async () => {
    const e = await emulator();
    const res = await whmGet(e, "version");
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      metadata: { command: "version", result: 1, reason: "OK", version: 1 },
      data: { version: expect.stringMatching(/^11\.\d+\.\d+\.\d+$/) },
    });
  });

  it("falls back to the API 0 shape without api.version, and still does the work", async () => {
    const e = await emulator();
    const created = JSON.parse((await whmGet(e, "createacct", { username: "zero", domain: "zero.example" }, { version: null })).body);
    expect(created).toMatchObject({ status: 1, statusmsg: "Account Creation Ok", package: "default" });
    expect(created).not.toHaveProperty("metadata");
    expect(e.accounts().map((a) => a.user)).toEqual(["zero"]);
    const listed = JSON.parse((await whmGet(e, "listaccts", {}, { version: null })).body);
    expect(listed).toMatchObject({ status: 1, acct: [{ user: "zero" }] });
    expect(listed).not.toHaveProperty("metadata");
    const refusal = JSON.parse((await whmGet(e, "accountsummary", { user: "nobody1" }, { version: null })).body);
    expect(refusal).toEqual({ status: 0, statusmsg: expect.stringMatching(/does not exist/) });
  });

  it("refuses an unknown function in-band, naming it, and an unsupported api.version", async () => {
    const e = await emulator();
    const res = await whmGet(e, "deleteeverything");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      metadata: { command: "deleteeverything", result: 0, version: 1, reason: "Unknown app (“deleteeverything”) requested for this version (1) of the API." },
    });
    expect(JSON.parse((await whmGet(e, "version", {}, { version: "2" })).body).metadata.reason).toMatch(/Unsupported API version “2”/);
  });

  it("serves only GET /json-api/<function>", async () => {
    const e = await emulator();
    expect((await send(`${e.origin}/json-api`)).status).toBe(404);
    expect((await send(`${e.origin}/cpanel/listaccts`)).status).toBe(404);
    const post = await send(`${e.url}/listaccts?api.version=1`, { method: "POST", headers: { Authorization: `whm ${e.user}:${e.token}` } });
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET");
  });
});

describe("createacct", () => {
  it("creates the account on its package, with the success message, a raw log and the package in data", async () => {
    const e = await emulator({ clock: () => NOW });
    const env = await create(e, "acme", { plan: "starter", contactemail: "owner@acme.example" });
    expect(env.metadata).toMatchObject({ command: "createacct", result: 1, reason: "Account Creation Ok" });
    expect(env.metadata.output?.raw).toMatch(/Account Creation Ok/);
    expect(env.metadata.output?.raw).toContain("| Domain: acme.example");
    expect(env.data).toMatchObject({ package: "starter", ip: expect.any(String), nameserver: expect.any(String), nameservera: null });
    expect(e.accounts()).toEqual([
      expect.objectContaining({
        uid: 1001,
        user: "acme",
        domain: "acme.example",
        email: "owner@acme.example",
        plan: "starter",
        owner: "root",
        startdate: NOW,
        suspended: false,
        hasshell: false,
        limits: { quotaMb: 5120, bwlimitMb: 51200, maxpop: 10, maxsql: 2, maxftp: 2, maxsub: 5, maxpark: 1, maxaddon: 0, maxlst: "unlimited" },
      }),
    ]);
  });

  it("takes a quota of any size, as editquota does (a TiB is not a count)", async () => {
    const e = await emulator();
    await create(e, "big", { plan: "starter", quota: "1048576" });
    expect(e.accounts()[0]?.limits.quotaMb).toBe(1_048_576);
  });

  it("gives increasing uids that are never reused", async () => {
    const e = await emulator();
    await create(e, "alpha");
    await create(e, "bravo");
    await ok(e, "removeacct", { username: "bravo" });
    await create(e, "charlie");
    expect(e.accounts().map((a) => [a.user, a.uid])).toEqual([
      ["alpha", 1001],
      ["charlie", 1003],
    ]);
  });

  it("lets explicit limits override the package's: 0 is unlimited for quota and maxpop, zero for maxaddon", async () => {
    const e = await emulator();
    await create(e, "custom", { plan: "business", quota: "100", bwlimit: "0", maxpop: "0", maxsql: "3", maxaddon: "0", hasshell: "0" });
    expect(e.accounts()[0]).toMatchObject({
      plan: "business",
      hasshell: false,
      limits: { quotaMb: 100, bwlimitMb: "unlimited", maxpop: "unlimited", maxsql: 3, maxaddon: 0, maxftp: 10, maxpark: 10 },
    });
  });

  it("lowercases the username, as WHM does", async () => {
    const e = await emulator();
    await create(e, "MixedCase");
    expect(e.accounts()[0]?.user).toBe("mixedcase");
  });

  it.each([
    ["abcdefghijklmnopq", /too long: usernames may have at most 16 characters/],
    ["1acme", /cannot begin with a number/],
    ["testacct", /cannot begin with the string “test”/],
    ["ac-me", /only lowercase letters and digits/],
    ["root", /reserved/],
  ])("refuses the username %s in-band", async (username, reason) => {
    const e = await emulator();
    expect(await refused(e, "createacct", { username, domain: "x.example" })).toMatch(reason);
    expect(e.accounts()).toEqual([]);
  });

  it("refuses a username taken, or sharing its first 8 characters with another account", async () => {
    const e = await emulator();
    await create(e, "acmecorp1");
    expect(await refused(e, "createacct", { username: "acmecorp1", domain: "other.example" })).toMatch(/already exists/);
    expect(await refused(e, "createacct", { username: "acmecorp2", domain: "other.example" })).toMatch(
      /conflicts with the existing account “acmecorp1”: the first 8 characters/,
    );
    await create(e, "acmecorx"); // 8 characters that differ in the 8th
    expect(e.accounts().map((a) => a.user)).toEqual(["acmecorp1", "acmecorx"]);
  });

  it("refuses a domain another account has, a malformed domain or e-mail, an unknown package, a missing username", async () => {
    const e = await emulator();
    await create(e, "first");
    expect(await refused(e, "createacct", { username: "second", domain: "FIRST.example" })).toMatch(/“first\.example” already exists.*“first”/);
    expect(await refused(e, "createacct", { username: "second", domain: "not a domain" })).toMatch(/not a valid domain/);
    expect(await refused(e, "createacct", { username: "second", domain: "s.example", contactemail: "nope" })).toMatch(/not a valid email/);
    expect(await refused(e, "createacct", { username: "second", domain: "s.example", plan: "gold" })).toMatch(/package “gold” does not exist/);
    expect(await refused(e, "createacct", { domain: "s.example" })).toMatch(/“username” is required/);
    expect(e.accounts().map((a) => a.user)).toEqual(["first"]);
  });

  it("makes a temporary domain when given none, and takes a pinned uid from root", async () => {
    const e = await emulator();
    await ok(e, "createacct", { username: "nodomain", uid: "5000" });
    const row = await summary(e, "nodomain");
    expect(row).toMatchObject({ uid: 5000, is_temporary_domain: 1, domain: expect.stringMatching(/^nodomain\./) });
    expect(await refused(e, "createacct", { username: "again", domain: "again.example", uid: "5000" })).toMatch(/uid “5000” is already in use/);
    await create(e, "next");
    expect((await summary(e, "next"))["uid"]).toBe(5001);
  });

  it("never echoes the account password", async () => {
    const e = await emulator();
    const env = await create(e, "secret", { password: "Sup3rSecretPass" });
    expect(JSON.stringify(env)).not.toContain("Sup3rSecretPass");
  });
});

describe("listaccts and accountsummary", () => {
  it("report numbers as strings, 'unlimited', '14M' disk use, 'not suspended' and a null suspendtime", async () => {
    const e = await emulator({
      clock: () => NOW,
      state: { accounts: [{ user: "big", domain: "big.example", plan: "default", usage: { diskMb: 14 } }] },
    });
    await create(e, "small", { plan: "starter" });
    const [big, small] = rows(await ok(e, "listaccts")) as [Row, Row];
    expect(big).toMatchObject({
      user: "big",
      disklimit: "unlimited",
      diskused: "14M",
      maxpop: "unlimited",
      maxaddons: "0",
      suspended: 0,
      suspendreason: "not suspended",
      suspendtime: null,
      is_locked: 0,
      shell: "/usr/local/cpanel/bin/noshell",
      uid: 1001,
      has_backup: 0,
    });
    expect(small).toMatchObject({
      user: "small",
      domain: "small.example",
      plan: "starter",
      owner: "root",
      disklimit: "5120M",
      diskused: "0M",
      maxpop: "10",
      maxsql: "2",
      maxftp: "2",
      maxsub: "5",
      maxparked: "1",
      maxlst: "unlimited",
      startdate: "23 Nov 14 22:13",
      unix_startdate: NOW,
      uid: 1002,
    });
    expect(await summary(e, "small")).toEqual(Object.fromEntries(Object.entries(small).filter(([k]) => k !== "has_backup")));
  });

  it("keeps to the OpenAPI schemas' types with the schema wire style", async () => {
    const e = await emulator({ wire: "schema", clock: () => NOW });
    await create(e, "typed", { plan: "starter" });
    await create(e, "active", { contactemail: "" });
    await ok(e, "suspendacct", { user: "typed" });
    const [active, typed] = rows(await ok(e, "listaccts")) as [Row, Row];
    expect(typed).toMatchObject({ disklimit: 5120, maxpop: 10, maxlst: "unlimited", diskused: "0M", suspendreason: "Unknown", suspendtime: NOW });
    expect(active).toMatchObject({ disklimit: "unlimited", suspended: 0, suspendreason: null, suspendtime: null });
    expect(active).not.toHaveProperty("email"); // an empty address fails the schema's format: email
    expect(await summary(e, "typed")).toMatchObject({ disklimit: 5120, suspendtime: String(NOW) });
  });

  it("filters with search/searchtype (regex by default, or exact) and keeps only the `want` fields", async () => {
    const e = await emulator();
    for (const u of ["alpha", "alpine", "bravo"]) await create(e, u);
    const users = async (q: Record<string, string>) => rows(await ok(e, "listaccts", q)).map((r) => r["user"]);
    expect(await users({ searchtype: "user", search: "^alp" })).toEqual(["alpha", "alpine"]);
    expect(await users({ searchtype: "domain", search: "alpha.example", searchmethod: "exact" })).toEqual(["alpha"]);
    expect(await users({ searchtype: "package", search: "default" })).toEqual(["alpha", "alpine", "bravo"]);
    expect(await users({ search: "^alp" })).toEqual(["alpha", "alpine", "bravo"]); // no searchtype: no filter
    expect(rows(await ok(e, "listaccts", { want: "user,uid" }))[0]).toEqual({ user: "alpha", uid: 1001 });
    expect(await refused(e, "listaccts", { searchtype: "user", search: "(" })).toMatch(/not a valid regular expression/);
  });

  it("accountsummary finds one account by user or domain, or refuses", async () => {
    const e = await emulator();
    await create(e, "found");
    expect(rows(await ok(e, "accountsummary", { domain: "found.example" }))).toEqual([expect.objectContaining({ user: "found" })]);
    expect(await refused(e, "accountsummary", { user: "missing" })).toMatch(/Account does not exist.*“missing”/);
    expect(await refused(e, "accountsummary", {})).toMatch(/either the “user” or the “domain”/);
  });
});

describe("suspension", () => {
  it("suspendacct records the reason and the time, listsuspended lists it, unsuspendacct clears both", async () => {
    let now = NOW;
    const e = await emulator({ clock: () => now });
    await create(e, "late");
    const env = await ok(e, "suspendacct", { user: "late", reason: "siteform: unpaid" });
    expect(env.metadata.output?.raw).toMatch(/late's account has been suspended/);
    expect(await summary(e, "late")).toMatchObject({ suspended: 1, suspendreason: "siteform: unpaid", suspendtime: NOW });
    expect((await ok(e, "listsuspended")).data).toEqual({
      account: [{ user: "late", owner: "root", reason: "siteform: unpaid", time: expect.any(String), unixtime: NOW, is_locked: 0 }],
    });

    now = NOW + 60;
    await ok(e, "suspendacct", { user: "late" }); // again: reason and time replaced
    expect(await summary(e, "late")).toMatchObject({ suspendreason: "Unknown", suspendtime: NOW + 60 });

    expect((await ok(e, "unsuspendacct", { user: "late" })).metadata.reason).toBe("OK");
    expect(await summary(e, "late")).toMatchObject({ suspended: 0, suspendreason: "not suspended", suspendtime: null });
    expect((await ok(e, "listsuspended")).data).toEqual({ account: [] });
    await ok(e, "unsuspendacct", { user: "late" }); // not suspended: still fine
  });

  it("refuses an unknown user, and unsuspending a disallowun suspension by anyone but root", async () => {
    const e = await emulator({ user: "reseller", state: { accounts: [{ user: "held", domain: "held.example", suspended: true, suspendreason: "abuse", suspendtime: NOW, locked: true }] } });
    expect(await refused(e, "suspendacct", { user: "ghost" })).toMatch(/“ghost” does not exist/);
    expect(await refused(e, "unsuspendacct", { user: "held" })).toMatch(/only root may unsuspend/);
    expect(await summary(e, "held")).toMatchObject({ suspended: 1, is_locked: 1 });
  });
});

describe("changepackage", () => {
  it("moves the account and resets its limits and shell to the package's, logging each change", async () => {
    const e = await emulator();
    await create(e, "mover", { plan: "starter" });
    await ok(e, "modifyacct", { user: "mover", MAXPOP: "3" });
    const env = await ok(e, "changepackage", { user: "mover", pkg: "business" });
    expect(env.metadata.reason).toBe("Account Upgrade/Downgrade Complete for mover");
    expect(env.metadata.output?.raw).toContain("Changing the maximum email accounts from “3” to “100”.");
    expect(env.metadata.output?.raw).toContain("Changing plan from starter to business");
    expect(await summary(e, "mover")).toMatchObject({ plan: "business", maxpop: "100", disklimit: "20480M", shell: "/bin/bash" });

    await ok(e, "changepackage", { user: "mover", pkg: "business" }); // the same package resets the account's own values too
    await ok(e, "modifyacct", { user: "mover", MAXSQL: "1" });
    await ok(e, "changepackage", { user: "mover", pkg: "business" });
    expect((await summary(e, "mover"))["maxsql"]).toBe("20");
  });

  it("refuses an unknown package or user and changes nothing", async () => {
    const e = await emulator();
    await create(e, "stay", { plan: "starter" });
    expect(await refused(e, "changepackage", { user: "stay", pkg: "gold" })).toMatch(/package “gold” does not exist/);
    expect(await refused(e, "changepackage", { user: "gone", pkg: "starter" })).toMatch(/“gone” does not exist/);
    expect(await refused(e, "changepackage", { user: "stay" })).toMatch(/“pkg” is required/);
    expect((await summary(e, "stay"))["plan"]).toBe("starter");
  });
});

describe("modifyacct", () => {
  it("renames the user in place: the uid stays, the old name is gone", async () => {
    const e = await emulator();
    await create(e, "oldname");
    const env = await ok(e, "modifyacct", { user: "oldname", newuser: "newname" });
    expect(env.metadata).toMatchObject({ reason: "Account Modified", output: { messages: ["Username changed from oldname to newname"], warnings: [] } });
    expect(env.data).toMatchObject({ user: "newname", domain: "oldname.example", setshell: "unmodified", cpuser: { USER: "newname" } });
    expect(e.accounts().map((a) => [a.user, a.uid])).toEqual([["newname", 1001]]);
    expect(await refused(e, "accountsummary", { user: "oldname" })).toMatch(/does not exist/);
  });

  it("moves the main domain (DNS wins over domain) and refuses one another account has", async () => {
    const e = await emulator();
    await create(e, "one");
    await create(e, "two");
    await ok(e, "modifyacct", { user: "one", DNS: "One-New.example", domain: "ignored.example" });
    expect((await summary(e, "one"))["domain"]).toBe("one-new.example");
    await ok(e, "modifyacct", { user: "one", domain: "one-alias.example" });
    expect((await summary(e, "one"))["domain"]).toBe("one-alias.example");
    expect(await refused(e, "modifyacct", { user: "one", DNS: "two.example" })).toMatch(/“two\.example” already exists/);
  });

  it("sets contact e-mail, upper-case MAX* counts (0 is zero), HASSHELL, and ignores lower-case spellings", async () => {
    const e = await emulator();
    await create(e, "limits", { plan: "starter" });
    const env = await ok(e, "modifyacct", {
      user: "limits",
      contactemail: "new@limits.example",
      MAXPOP: "0",
      MAXSQL: "unlimited",
      MAXFTP: "7",
      MAXSUB: "8",
      MAXPARK: "9",
      MAXADDON: "4",
      HASSHELL: "1",
      maxlst: "5",
    });
    expect(env.data?.["setshell"]).toBe("/bin/bash");
    expect(await summary(e, "limits")).toMatchObject({
      email: "new@limits.example",
      maxpop: "0",
      maxsql: "unlimited",
      maxftp: "7",
      maxsub: "8",
      maxparked: "9",
      maxaddons: "4",
      maxlst: "unlimited",
      shell: "/bin/bash",
    });
  });

  it("takes BWLIMIT in bytes: showbw reports the same bytes, limitbw's MB agree", async () => {
    const e = await emulator();
    await create(e, "bytes");
    await ok(e, "modifyacct", { user: "bytes", BWLIMIT: String(300 * MB) });
    expect(e.accounts()[0]?.limits.bwlimitMb).toBe(300);
    const [acct] = (await ok(e, "showbw")).data?.["acct"] as Row[];
    expect(acct).toMatchObject({ user: "bytes", limit: 300 * MB });
    await ok(e, "modifyacct", { user: "bytes", BWLIMIT: "0" });
    expect(e.accounts()[0]?.limits.bwlimitMb).toBe("unlimited");
  });

  it("checks everything before changing anything", async () => {
    const e = await emulator();
    await create(e, "atomic", { plan: "starter" });
    await create(e, "taken");
    const attempts: Record<string, string>[] = [
      { newuser: "taken", MAXPOP: "1" },
      { newuser: "test1", MAXPOP: "1" },
      { DNS: "taken.example", MAXPOP: "1" },
      { MAXPOP: "lots" },
      { MAXPOP: "1", HASSHELL: "true" },
      { MAXPOP: "1", contactemail: "bad" },
    ];
    for (const params of attempts) {
      expect(await refused(e, "modifyacct", { user: "atomic", ...params })).toMatch(/already exists|cannot begin|Invalid value|not a valid/);
    }
    expect(await summary(e, "atomic")).toMatchObject({ user: "atomic", domain: "atomic.example", maxpop: "10", shell: "/usr/local/cpanel/bin/noshell" });
  });
});

describe("editquota, limitbw and showbw", () => {
  it("editquota sets the disk quota in MB; 0 and unlimited lift it", async () => {
    const e = await emulator();
    await create(e, "disk", { plan: "starter" });
    expect((await ok(e, "editquota", { user: "disk", quota: "2048" })).metadata.reason).toMatch(/disk/);
    expect((await summary(e, "disk"))["disklimit"]).toBe("2048M");
    await ok(e, "editquota", { user: "disk", quota: "0" });
    expect((await summary(e, "disk"))["disklimit"]).toBe("unlimited");
    expect(await refused(e, "editquota", { user: "disk", quota: "big" })).toMatch(/Invalid value “big” for “quota”/);
    expect(await refused(e, "editquota", { user: "disk" })).toMatch(/“quota” is required/);
  });

  it("limitbw sets the bandwidth limit in MB and reports it; showbw speaks bytes, 0 for unlimited", async () => {
    const e = await emulator({ clock: () => NOW, state: { accounts: [{ user: "traffic", domain: "traffic.example", usage: { bandwidthBytes: 5 * MB } }] } });
    const env = await ok(e, "limitbw", { user: "traffic", bwlimit: "100" });
    expect(env.metadata.reason).toBe("Bandwidth Limit for traffic has been set to 100 megabytes");
    expect(env.data).toEqual({
      bwlimits: [{ bwlimit: 100, bwlimitenable: 1, domains: ["traffic.example"], human_bwlimit: "100 MB", human_bwused: "5 MB", unlimited: 0 }],
    });
    const shown = (await ok(e, "showbw")).data;
    expect(shown).toEqual({
      acct: [
        {
          user: "traffic",
          maindomain: "traffic.example",
          owner: "root",
          reseller: 0,
          deleted: 0,
          limit: 100 * MB,
          totalbytes: 5 * MB,
          bwusage: [{ domain: "traffic.example", usage: 5 * MB, deleted: 0 }],
        },
      ],
      month: 11,
      year: 2023,
      reseller: "root",
      totalused: 5 * MB,
    });
    const unlimited = await ok(e, "limitbw", { user: "traffic", bwlimit: "0" });
    expect(unlimited.data?.["bwlimits"]).toEqual([expect.objectContaining({ bwlimit: 0, unlimited: 1, human_bwlimit: "unlimited" })]);
    expect(((await ok(e, "showbw")).data?.["acct"] as Row[])[0]?.["limit"]).toBe(0);
    expect(((await ok(e, "showbw", { month: "1", year: "2023" })).data?.["acct"] as Row[])[0]?.["totalbytes"]).toBe(0);
    expect(await refused(e, "showbw", { month: "13" })).toMatch(/“month”/);
  });
});

describe("listpkgs and version", () => {
  it("lists the packages with their limits in MB or counts, 'unlimited', and y/n flags", async () => {
    const e = await emulator();
    const pkgs = (await ok(e, "listpkgs")).data?.["pkg"] as Row[];
    expect(pkgs.map((p) => p["name"])).toEqual(["default", "starter", "business"]);
    expect(pkgs[1]).toMatchObject({ name: "starter", QUOTA: 5120, BWLIMIT: 51200, MAXPOP: 10, MAXLST: "unlimited", HASSHELL: "n", CGI: "y" });
    expect(pkgs[0]).toMatchObject({ QUOTA: "unlimited", BWLIMIT: "unlimited" });
    expect(((await ok(e, "listpkgs", { want: "creatable" })).data?.["pkg"] as Row[]).length).toBe(3);
  });
});

describe("call log", () => {
  it("counts every request per function, refused and unknown ones included", async () => {
    const e = await emulator();
    await whm(e, "listaccts");
    await whm(e, "accountsummary", { user: "x" });
    await whmGet(e, "listaccts", {}, { authorization: null });
    await whm(e, "bogus");
    expect(e.calls.byMethod()).toEqual({ listaccts: 2, accountsummary: 1, bogus: 1 });
    expect(e.calls.total).toBe(4);
  });
});
