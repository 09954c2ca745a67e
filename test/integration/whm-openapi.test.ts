/**
 * The WHM emulator's answers hold to cPanel's published OpenAPI response schemas (recorded copy:
 * test/fixtures/whm-openapi/, source in its README). Every function siteform uses is called over
 * real HTTP with `Authorization: whm USER:TOKEN`, in success and, where it can fail, in error
 * (a missing account, bad input), on active and suspended accounts and with unlimited and numeric
 * limits, and each JSON answer is validated against the 200 application/json schema of that
 * function. The run is repeated for both of the emulator's wire styles, because siteform's
 * provider is tested against the default one.
 *
 * When an answer breaks the schema the test fails with the function, the case and ajv's errors.
 * Fix the emulator then. The schemas are vendor data and are not edited to fit it.
 *
 * One function has no recorded schema: `create_user_session` (its OpenAPI file is not in the
 * mirror the fixtures come from). Its answer is checked against DOCUMENTED below instead, a schema
 * written here from cPanel's published operation page and the data its implementation returns;
 * it says so in every message.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhmEmulator, WHM_FUNCTIONS, type RunningWhmEmulator, type WhmFunction, type WhmStateInput, type WireStyle } from "../../src/emulator/whm/index.js";
import { describeErrors, hasPath, loadOpenApi, parseOpenApi, responseValidator, type OpenApiDocument, type ResponseValidator } from "../support/openapi.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "whm-openapi");
const documents: OpenApiDocument[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => loadOpenApi(join(FIXTURES, f)));

/**
 * Not vendor data: the 200 answer of `create_user_session` as cPanel documents it
 * (https://api.docs.cpanel.net/openapi/whm/operation/create_user_session: `data` with
 * `cp_security_token`, `expires` in Unix time, `locale`, `service`, `session` and `url`, as
 * Whostmgr/API/1/Session.pm returns them), written in the shape of the recorded schemas.
 */
const DOCUMENTED: Readonly<Partial<Record<WhmFunction, string>>> = {
  create_user_session: `openapi: 3.2.0
paths:
  /create_user_session:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                properties:
                  data:
                    properties:
                      cp_security_token:
                        type: string
                        pattern: '^/cpsess[0-9]{10}$'
                      expires:
                        type: integer
                      locale:
                        type: string
                      service:
                        type: string
                        enum: [cpaneld, whostmgrd, webmaild]
                      session:
                        type: string
                      url:
                        type: string
                        format: uri
                    type: object
                  metadata:
                    properties:
                      command:
                        type: string
                      reason:
                        type: string
                      result:
                        enum: [0, 1]
                        type: integer
                      version:
                        type: integer
                type: object
`,
};

const validators = new Map<WhmFunction, ResponseValidator>();
function validatorFor(fn: WhmFunction): ResponseValidator {
  let v = validators.get(fn);
  const documented = DOCUMENTED[fn];
  if (v === undefined && documented !== undefined) {
    v = responseValidator(parseOpenApi(documented, `the schema written from cPanel's documentation in ${import.meta.filename} (no recorded copy)`), `/${fn}`);
    validators.set(fn, v);
  }
  if (v === undefined) {
    const doc = documents.find((d) => hasPath(d, `/${fn}`));
    if (doc === undefined) throw new Error(`no fixture in ${FIXTURES} documents /${fn}; record its schema there (see README.md)`);
    v = responseValidator(doc, `/${fn}`);
    validators.set(fn, v);
  }
  return v;
}

/** Functions whose every call succeeds: nothing they take can be wrong. */
const CANNOT_FAIL: ReadonlySet<WhmFunction> = new Set(["version", "listpkgs", "listsuspended"]);

const NOW = 1_750_000_000;
const SUSPENDED_AT = 1_740_000_000;

/** Accounts on a numeric package, on the all-unlimited one, and one already suspended. */
const STATE: WhmStateInput = {
  accounts: [
    { user: "alpha", domain: "alpha.example", email: "owner@alpha.example", plan: "starter", startdate: 1_600_000_000, usage: { diskMb: 14, bandwidthBytes: 5_242_880 } },
    { user: "bravo", domain: "bravo.example", email: "owner@bravo.example", plan: "default", startdate: 1_600_000_100 },
    {
      user: "charlie", domain: "charlie.example", email: "owner@charlie.example", plan: "business", startdate: 1_600_000_200,
      suspended: true, suspendreason: "siteform: unpaid since 2025-02-01", suspendtime: SUSPENDED_AT,
    },
  ],
};

type Expect = "ok" | "refused";
interface Case {
  readonly fn: WhmFunction;
  readonly label: string;
  readonly params: Readonly<Record<string, string>>;
  readonly expect: Expect;
}

const ok = (fn: WhmFunction, label: string, params: Record<string, string> = {}): Case => ({ fn, label, params, expect: "ok" });
const refused = (fn: WhmFunction, label: string, params: Record<string, string> = {}): Case => ({ fn, label, params, expect: "refused" });

/** In order: later cases see what earlier ones did. */
const CASES: readonly Case[] = [
  ok("version", "server version"),
  ok("listpkgs", "all packages (numeric and unlimited)"),
  ok("listpkgs", "creatable packages", { want: "creatable" }),
  ok("listaccts", "active numeric, active unlimited and suspended accounts"),
  ok("listaccts", "exact search by user", { searchtype: "user", search: "alpha", searchmethod: "exact" }),
  ok("listaccts", "a search that matches nothing", { searchtype: "domain", search: "^nowhere\\.example$" }),
  ok("listaccts", "selected fields only", { want: "user,domain,suspended,disklimit,maxpop" }),
  refused("listaccts", "an unknown searchtype", { searchtype: "colour", search: "red" }),
  ok("accountsummary", "active account with numeric limits", { user: "alpha" }),
  ok("accountsummary", "active account with unlimited limits, by domain", { domain: "bravo.example" }),
  ok("accountsummary", "suspended account", { user: "charlie" }),
  refused("accountsummary", "a missing account", { user: "nobody" }),
  refused("accountsummary", "neither user nor domain"),
  ok("listsuspended", "one suspended account"),
  ok("showbw", "current month, every account"),
  ok("create_user_session", "a cPanel session for an active account", { user: "alpha", service: "cpaneld" }),
  ok("create_user_session", "a session that opens the file manager", { user: "alpha", service: "cpaneld", app: "FileManager_Home" }),
  refused("create_user_session", "a suspended account", { user: "charlie", service: "cpaneld" }),
  refused("create_user_session", "a missing account", { user: "nobody", service: "cpaneld" }),
  refused("create_user_session", "an application name with spaces", { user: "alpha", service: "cpaneld", app: "File Manager" }),
  ok("passwd", "a strong password", { user: "alpha", password: "Xk9#mP2$vL7!qR4z" }),
  ok("passwd", "a strong password, MySQL's left alone", { user: "bravo", password: "t7^Gq!2wZ@e9Lp#4", db_pass_update: "0" }),
  refused("passwd", "a weak password", { user: "alpha", password: "abc12" }),
  refused("passwd", "a password that contains the user", { user: "alpha", password: "alpha-Xk9#mP2$vL7!" }),
  refused("passwd", "a missing account", { user: "nobody", password: "Xk9#mP2$vL7!qR4z" }),
  refused("passwd", "a suspended account", { user: "charlie", password: "Xk9#mP2$vL7!qR4z" }),
  ok("showbw", "one user, a past month", { searchtype: "user", search: "alpha", month: "1", year: "2024" }),
  refused("showbw", "month 13", { month: "13" }),
  ok("createacct", "on a numeric package, with contact address", { username: "delta", domain: "delta.example", plan: "starter", contactemail: "owner@delta.example" }),
  ok("createacct", "on the unlimited package, no contact address", { username: "echo", domain: "echo.example", plan: "default" }),
  ok("createacct", "with numeric overrides of the package", { username: "foxtrot", domain: "foxtrot.example", plan: "business", quota: "2048", bwlimit: "10000", maxpop: "7", maxsql: "3", hasshell: "0" }),
  ok("createacct", "without a domain (temporary domain)", { username: "golf", plan: "starter", contactemail: "owner@golf.example" }),
  refused("createacct", "a username that exists", { username: "alpha", domain: "alpha2.example" }),
  refused("createacct", "a username beginning with test", { username: "testuser", domain: "testuser.example" }),
  refused("createacct", "an unknown package", { username: "hotel", domain: "hotel.example", plan: "nosuchplan" }),
  ok("editquota", "numeric quota", { user: "delta", quota: "2048" }),
  ok("editquota", "unlimited quota", { user: "echo", quota: "unlimited" }),
  refused("editquota", "a missing account", { user: "nobody", quota: "100" }),
  refused("editquota", "a quota that is not a number", { user: "delta", quota: "lots" }),
  ok("limitbw", "numeric bandwidth", { user: "alpha", bwlimit: "20000" }),
  ok("limitbw", "unlimited bandwidth", { user: "bravo", bwlimit: "unlimited" }),
  refused("limitbw", "a missing account", { user: "nobody", bwlimit: "100" }),
  ok("modifyacct", "numeric counts, shell on, bandwidth in bytes", { user: "delta", MAXPOP: "50", MAXSQL: "10", MAXFTP: "5", MAXSUB: "20", MAXPARK: "5", MAXADDON: "2", HASSHELL: "1", BWLIMIT: "20971520000" }),
  ok("modifyacct", "unlimited counts, contact address", { user: "echo", MAXPOP: "unlimited", MAXSQL: "unlimited", contactemail: "owner@echo.example" }),
  ok("modifyacct", "rename of user and domain", { user: "golf", newuser: "golfnew", DNS: "golf.example" }),
  refused("modifyacct", "a missing account", { user: "nobody", MAXPOP: "1" }),
  refused("modifyacct", "a count that is not a number", { user: "delta", MAXPOP: "many" }),
  ok("accountsummary", "account created without a contact address", { user: "foxtrot" }),
  ok("changepackage", "numeric to unlimited package", { user: "foxtrot", pkg: "default" }),
  ok("changepackage", "unlimited to numeric package", { user: "bravo", pkg: "starter" }),
  refused("changepackage", "an unknown package", { user: "alpha", pkg: "nosuchplan" }),
  refused("changepackage", "a missing account", { user: "nobody", pkg: "starter" }),
  ok("suspendacct", "with a reason", { user: "delta", reason: "siteform: unpaid since 2025-06-01" }),
  ok("suspendacct", "without a reason, root-only unsuspend", { user: "echo", disallowun: "1" }),
  refused("suspendacct", "a missing account", { user: "nobody", reason: "x" }),
  ok("listaccts", "after creating, modifying and suspending"),
  ok("accountsummary", "freshly suspended account", { user: "delta" }),
  ok("listsuspended", "three suspended accounts"),
  ok("unsuspendacct", "a suspended account", { user: "charlie" }),
  ok("unsuspendacct", "an account that is not suspended", { user: "alpha" }),
  refused("unsuspendacct", "a missing account", { user: "nobody" }),
  ok("removeacct", "a suspended account", { username: "delta" }),
  ok("removeacct", "by the deprecated user parameter", { user: "golfnew" }),
  refused("removeacct", "a missing account", { username: "nobody" }),
  ok("listaccts", "at the end"),
  ok("showbw", "at the end"),
];

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

async function call(emu: RunningWhmEmulator, fn: WhmFunction, params: Readonly<Record<string, string>>): Promise<Answer> {
  const query = new URLSearchParams({ "api.version": "1", ...params });
  const res = await fetch(`${emu.url}/${fn}?${query}`, { headers: { Authorization: `whm ${emu.user}:${emu.token}` } });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${fn}: the emulator answered HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, contentType: res.headers.get("content-type"), body };
}

function metadataOf(body: unknown): { command?: unknown; result?: unknown; reason?: unknown } {
  const meta = (body as { metadata?: unknown } | null)?.metadata;
  return typeof meta === "object" && meta !== null ? meta : {};
}

/** Shortens a large answer (listaccts) in a failure message without hiding which answer it was. */
function excerpt(body: unknown): string {
  const text = JSON.stringify(body);
  return text.length <= 3000 ? text : `${text.slice(0, 3000)}… (${text.length} characters)`;
}

/**
 * The emulator's two wire styles. `schema` answers exactly as cPanel's published schemas say,
 * and must validate everywhere. `observed` (its default, the one siteform's provider tests run
 * against) answers as real servers have been seen to: limits as strings (`"5120M"`, `"10"`),
 * `suspendreason: "not suspended"`, an empty contact `email`, accountsummary's `suspendtime` as
 * a number. Those break the published schemas (the `"not suspended"` literal even matches both
 * branches of listaccts' `oneOf`, so no answer could pass), so in that style an answer may
 * break the schema at those fields and nowhere else.
 */
const WIRE_STYLES: readonly WireStyle[] = ["schema", "observed"];

/** The fields where `observed` answers knowingly depart from the published schemas. */
const OBSERVED_QUIRKS: ReadonlySet<string> = new Set([
  "disklimit",
  "maxpop",
  "maxsql",
  "maxftp",
  "maxsub",
  "maxparked",
  "maxaddons",
  "max_emailacct_quota",
  "min_defer_fail_to_trigger_protection",
  "email",
  "suspendreason",
  "suspendtime",
]);

/** The field an ajv error is about: the last segment of its instance path (a oneOf's branches report the same one). */
function fieldOf(error: { instancePath: string }): string {
  return error.instancePath.split("/").pop() ?? "";
}

describe.each(WIRE_STYLES)("WHM emulator answers, wire style %s, against cPanel's OpenAPI schemas", (wire) => {
  let emu: RunningWhmEmulator;
  const seen = new Map<WhmFunction, Set<Expect>>();
  const quirksSeen = new Set<string>();

  beforeAll(async () => {
    emu = await startWhmEmulator({ state: STATE, wire, clock: () => NOW });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it("has a recorded schema for every function the emulator serves", () => {
    for (const fn of Object.keys(WHM_FUNCTIONS) as WhmFunction[]) expect(validatorFor(fn).where).toContain(`/${fn} get 200`);
    // A documented stand-in only where no recorded schema exists.
    for (const fn of Object.keys(DOCUMENTED) as WhmFunction[]) expect(documents.some((d) => hasPath(d, `/${fn}`))).toBe(false);
  });

  for (const [i, c] of CASES.entries()) it(`${i + 1}. ${c.fn} (${c.expect}): ${c.label}`, async () => {
    const answer = await call(emu, c.fn, c.params);
    expect(answer.status, `${c.fn}: HTTP status`).toBe(200);
    expect(answer.contentType ?? "", `${c.fn}: content type`).toMatch(/^application\/json/);
    const meta = metadataOf(answer.body);
    expect(meta.command, `${c.fn}: metadata.command`).toBe(c.fn);
    expect(meta.result, `${c.fn} (${c.label}) was expected to be ${c.expect}; reason: ${String(meta.reason)}`).toBe(c.expect === "ok" ? 1 : 0);
    seen.set(c.fn, (seen.get(c.fn) ?? new Set<Expect>()).add(c.expect));

    const validator = validatorFor(c.fn);
    const all = validator.errorsOf(answer.body);
    // ajv reports a failed oneOf at the field and each failed branch below it: judge by field.
    const quirks = wire === "observed" ? all.filter((e) => OBSERVED_QUIRKS.has(fieldOf(e))) : [];
    for (const e of quirks) quirksSeen.add(fieldOf(e));
    const errors = all.filter((e) => !quirks.includes(e));
    if (errors.length > 0) {
      throw new Error(
        `${c.fn} (${c.label}, wire style ${wire}): the answer breaks cPanel's schema ${validator.where}:\n` +
          `${describeErrors(errors)}\nanswer: ${excerpt(answer.body)}`,
      );
    }
  });

  it(wire === "observed" ? "departed from the schemas at the known quirks (they are real: not a vacuous allowance)" : "needed no allowance", () => {
    // Every allowance is used by some answer: an allowance nothing needs would hide a regression.
    expect([...quirksSeen].sort()).toEqual(wire === "observed" ? [...OBSERVED_QUIRKS].sort() : []);
  });

  it("covered every function in success, and in error wherever it can fail", () => {
    const missing: string[] = [];
    for (const fn of Object.keys(WHM_FUNCTIONS) as WhmFunction[]) {
      const got = seen.get(fn) ?? new Set<Expect>();
      if (!got.has("ok")) missing.push(`${fn}: no successful call`);
      if (!CANNOT_FAIL.has(fn) && !got.has("refused")) missing.push(`${fn}: no refused call`);
    }
    expect(missing).toEqual([]);
  });
});
