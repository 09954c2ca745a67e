import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../src/model/index.js";
import { schemaDiagnostics } from "../../../src/inventory/schema-errors.js";
import { YamlSource } from "../../../src/inventory/yaml-source.js";
import { baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

const withSite = (extra: string[], domain = "alpha.example"): ReturnType<typeof check> =>
  check({ ...baseFiles(), "sites/alpha.yaml": site(domain, "alpha", extra) });

describe("schema violations", () => {
  it("unknown field, with a did-you-mean hint at the key", () => {
    const result = withSite(["aliasses:", "  - beta.example"]);
    const d = expectDiagnostic(result, { code: "unknown-field", file: "sites/alpha.yaml", line: 6, column: 1, path: "aliasses", message: /^unknown field `aliasses`$/ });
    expect(d.hint).toBe("did you mean `aliases`?");
    expectErrors(result, ["unknown-field"]);
  });

  it("unknown service and unknown parameter name what they are", () => {
    const result = withSite(["services:", "  diskqouta:", "    quota: 1", "  mysql:", "    dbnum: 3"]);
    expectDiagnostic(result, { code: "unknown-field", file: "sites/alpha.yaml", line: 7, column: 3, message: /^unknown service `diskqouta`$/ });
    expect(result.diagnostics.find((d) => d.line === 7)?.hint).toBe("did you mean `diskquota`?");
    expect(result.diagnostics.find((d) => d.line === 10)?.message).toBe("unknown parameter `dbnum` of service `mysql`");
  });

  it("missing required field, at the mapping that lacks it, with the field's description", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": lines("# site", "domain: alpha.example", "server: fra1", "admin_user: alpha", "email: a@alpha.example") });
    const d = expectDiagnostic(result, { code: "missing-field", file: "sites/alpha.yaml", line: 2, column: 1, path: "plan", message: /^missing required field `plan`$/ });
    expect(d.hint).toMatch(/repository plan/);
  });

  it("wrong type: a number where text is expected says to quote it", () => {
    const result = withSite(["invoice: 12345"]);
    const d = expectDiagnostic(result, { code: "wrong-type", file: "sites/alpha.yaml", line: 6, column: 10, message: /^`invoice` must be text, not 12345$/ });
    expect(d.hint).toMatch(/put it in quotes/);
  });

  it("wrong type: a quoted number where a number is expected says to remove the quotes", () => {
    const result = withSite(["services:", "  diskquota:", '    quota: "10"']);
    const d = expectDiagnostic(result, { code: "wrong-type", file: "sites/alpha.yaml", line: 8, column: 12, message: /`quota` must be a number or null, not "10"/ });
    expect(d.hint).toBe("write the number without quotes");
  });

  it("bad domain, with a lowercase hint when that is all that is wrong", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("Alpha.example", "alpha") });
    const d = expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 1, column: 9, path: "domain", message: /^"Alpha\.example" is not a valid domain name for `domain`$/ });
    expect(d.hint).toBe("write it in lowercase: `alpha.example`");
  });

  it("bad domain in a list of aliases", () => {
    const result = withSite(["aliases:", "  - ok.example", "  - not_a_domain"]);
    expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 8, column: 5, path: "aliases[1]", message: /"not_a_domain" is not a valid domain name/ });
  });

  it("bad e-mail, alone or in a list", () => {
    const one = check({ ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "server: fra1", "admin_user: alpha", "email: alpha-at-example", "plan: basic") });
    expectDiagnostic(one, { code: "bad-format", file: "sites/alpha.yaml", line: 4, column: 8, message: /"alpha-at-example" is not a valid e-mail address or list of them/ });
    const list = check({ ...baseFiles(), "sites/alpha.yaml": lines("domain: alpha.example", "server: fra1", "admin_user: alpha", "email:", "  - a@alpha.example", "  - nope@", "plan: basic") });
    expectDiagnostic(list, { code: "bad-format", file: "sites/alpha.yaml", line: 6, column: 5, path: "email[1]", message: /"nope@" is not a valid e-mail address/ });
  });

  it("bad invoice format", () => {
    const result = withSite(["invoice: INV 2024 17"]);
    expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 6, column: 10, message: /"INV 2024 17" is not a valid invoice/ });
  });

  it("bad date", () => {
    const result = withSite(["state: cancelled", "cancelled_on: 2025-02-30"]);
    expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 7, column: 15, message: /"2025-02-30" is not a valid date/ });
  });

  it("bad enum value, with a near miss", () => {
    const result = withSite(["state: suspend"]);
    const d = expectDiagnostic(result, { code: "bad-value", file: "sites/alpha.yaml", line: 6, column: 8, message: /^"suspend" is not a valid state for `state`: expected one of active, suspended, cancelled$/ });
    expect(d.hint).toBe("did you mean `suspended`?");
    expectErrors(result, ["bad-value"]);
  });

  it("a flag given as yes/no", () => {
    const result = withSite(["services:", "  ssh:", "    enabled: yes"]);
    expectDiagnostic(result, { code: "bad-value", file: "sites/alpha.yaml", line: 8, column: 14, message: /"yes" is not a valid switch/ });
  });

  it("out of range", () => {
    const result = withSite(["services:", "  cgroup:", "    proclimit: 5000", "  mysql:", "    dbasenum: -1"]);
    expectDiagnostic(result, { code: "out-of-range", file: "sites/alpha.yaml", line: 8, column: 16, message: /^`proclimit` must be at most 4096, not 5000$/ });
    expect(result.diagnostics.find((d) => d.line === 10)?.message).toBe("`dbasenum` must be at least 0, not -1");
  });

  it("a database prefix that does not end in _", () => {
    const result = withSite(["services:", "  mysql:", "    dbaseprefix: alpha"]);
    expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 8, message: /"alpha" is not a valid database prefix/ });
  });

  it("a repeated alias is reported at the repeat", () => {
    const result = withSite(["aliases:", "  - b.example", "  - c.example", "  - b.example"]);
    expectDiagnostic(result, { code: "duplicate-item", file: "sites/alpha.yaml", line: 9, column: 5, path: "aliases[2]", message: /"b\.example" is listed twice in `aliases`/ });
  });

  it("an identity field under services points at the site field", () => {
    const result = withSite(["services:", "  siteinfo:", "    domain: other.example", "  billing:", "    invoice: X"]);
    expectDiagnostic(result, { code: "set-elsewhere", file: "sites/alpha.yaml", line: 8, column: 5, path: "services.siteinfo.domain", message: /follows the site's `domain`/ });
    expect(result.diagnostics.filter((d) => d.code === "set-elsewhere")).toHaveLength(2);
    expectErrors(result, ["set-elsewhere", "set-elsewhere"]);
  });

  it("siteform.yaml: a server name that is not one, and an unknown policy field", () => {
    const config = lines("servers:", "  FRA_1:", "    url: https://x.example/soap", "    key_env: K", "policy:", "  max_delete: 3");
    const result = check({ ...baseFiles(), "siteform.yaml": config }, { env: { K: "k" } });
    expectDiagnostic(result, { code: "bad-format", file: "siteform.yaml", line: 2, column: 3, message: /^`FRA_1` is not a valid server name$/ });
    expectDiagnostic(result, { code: "unknown-field", file: "siteform.yaml", line: 6, column: 3, message: /`max_delete`/ });
  });

  it("a group without sites, and a group site with its own invoice", () => {
    const empty = check({ ...baseFiles(), "sites/g.yaml": lines("invoice: INV-9", "server: fra1", "sites: []") });
    expectDiagnostic(empty, { code: "out-of-range", file: "sites/g.yaml", line: 3, message: /`sites` must be a list of at least 1 item/ });
    const own = check({ ...baseFiles(), "sites/g.yaml": lines("invoice: INV-9", "server: fra1", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic", "    invoice: INV-10") });
    expectDiagnostic(own, { code: "unknown-field", file: "sites/g.yaml", line: 8, column: 5, message: /`invoice`/ });
  });

  it("a group site without a server when the group has none", () => {
    const group = lines("invoice: INV-9", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic");
    const d = expectDiagnostic(check({ ...baseFiles(), "sites/g.yaml": group }), { code: "missing-field", file: "sites/g.yaml", line: 3, path: "sites[0].server", message: /`server`/ });
    expect(d.hint).toMatch(/group has no `server:`/);
  });

  it("reports every violation of a file in one run", () => {
    const result = withSite(["state: paused", "invoice: 7", "bogus: 1", "services:", "  cgroup:", "    memory: lots"]);
    expectErrors(result, ["bad-value", "wrong-type", "unknown-field", "wrong-type"]);
  });
});

describe("a `not` that is the only failure", () => {
  /** A file checked against a schema whose one rule is a `not` (as a kind may word "must not start with test"). */
  function violations(text: string): Diagnostic[] {
    const ajv = new Ajv2020({ allErrors: true, verbose: true });
    const validate = ajv.compile({
      type: "object",
      properties: { user: { type: "string", description: "The login.", not: { pattern: "^test", description: "a user may not start with `test`" } } },
    });
    const parsed = YamlSource.parse("sites/a.yaml", text);
    if (!parsed.ok) throw new Error("test YAML does not parse");
    return validate(parsed.source.value) ? [] : schemaDiagnostics(parsed.source, validate.errors ?? []);
  }

  it("is reported at the field, with the rule's own description, not dropped as noise", () => {
    const [d, ...rest] = violations("server: cp1\nuser: testacme\n");
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "bad-value", file: "sites/a.yaml", line: 2, column: 7, message: '"testacme" is not allowed for `user`', hint: "a user may not start with `test`" });
  });

  it("stays noise beside a more specific error", () => {
    expect(violations("user: 12\n").map((d) => d.code)).toEqual(["wrong-type"]);
  });
});
