/**
 * A name (a domain or an alias) belongs to one server in the whole inventory, whatever kind
 * claims it: the kinds' keys of the `domain` namespace share one registry across servers. And
 * a domain written the way DNS zone files or browsers show it (a trailing dot, an
 * internationalised name) gets a hint with the exact form to write.
 */
import { describe, expect, it } from "vitest";
import { checkInventory } from "../../../src/inventory/index.js";
import { Catalogue } from "../../../src/kinds/catalogue.js";
import { APISCP } from "../../../src/providers/apiscp/module.js";
import { WHM } from "../../../src/providers/whm/module.js";
import { CONFIG, baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

describe("a name on two servers", () => {
  it("an alias that is another server's domain: an error at the alias, naming the domain's file and line", () => {
    const result = check({ ...baseFiles(), "sites/beta.yaml": site("beta.example", "beta", ["aliases:", "  - shop.example", "  - alpha.example"], "ams1") });
    const d = expectDiagnostic(result, {
      code: "duplicate-domain",
      file: "sites/beta.yaml",
      line: 8,
      column: 5,
      path: "aliases[1]",
      message: /^`alpha\.example` is already used on server `fra1` as a site's domain \(sites\/alpha\.yaml:1:9\), and this site is on `ams1`$/,
    });
    expect(d.hint).toMatch(/belongs to one server in the whole inventory/);
    expectErrors(result, ["duplicate-domain"]);
  });

  it("an alias of two sites on two servers, inside an invoice group", () => {
    const group = lines("invoice: INV-9", "server: ams1", "sites:", "  - domain: g.example", "    admin_user: g", "    email: a@g.example", "    plan: basic", "    aliases: [shop.example]");
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - shop.example"]), "sites/g.yaml": group };
    expectDiagnostic(check(files), { code: "duplicate-domain", file: "sites/g.yaml", line: 8, path: "sites[0].aliases[0]", message: /`shop\.example` is already used on server `fra1` as a site's alias \(sites\/alpha\.yaml:7:5\), and this site is on `ams1`/ });
  });

  it("one name on three servers: each later one points at the first", () => {
    const config = `${CONFIG}  par1:\n    url: https://par1.example.net:2083/soap\n    key_env: FRA1_KEY\n`;
    const files = { ...baseFiles(), "siteform.yaml": config, "sites/beta.yaml": site("alpha.example", "beta", [], "ams1"), "sites/gamma.yaml": site("alpha.example", "gamma", [], "par1") };
    const result = check(files);
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/beta.yaml", line: 1, message: /on server `fra1`.*\(sites\/alpha\.yaml:1:9\)/ });
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/gamma.yaml", line: 1, message: /on server `fra1`.*\(sites\/alpha\.yaml:1:9\)/ });
  });

  it("a name twice on one server is reported once, as before", () => {
    const result = check({ ...baseFiles(), "sites/beta.yaml": site("alpha.example", "beta") });
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/beta.yaml", line: 1, message: /^`alpha\.example` is already used on server `fra1` as a site's domain \(sites\/alpha\.yaml:1:9\)$/ });
    expectErrors(result, ["duplicate-domain"]);
  });

  it("admin users are per server: the same one on two servers is fine", () => {
    expectErrors(check({ ...baseFiles(), "sites/beta.yaml": site("beta.example", "alpha", [], "ams1") }), []);
  });

  it("a retired server's sites claim no name, so a site can be moved off it by hand", () => {
    const config = CONFIG.replace("    key_env: FRA1_KEY\n", "    key_env: FRA1_KEY\n    retired: true\n");
    expectErrors(check({ ...baseFiles(), "siteform.yaml": config, "sites/beta.yaml": site("alpha.example", "beta", [], "ams1") }), []);
  });

  it("a site on a server siteform.yaml does not have brings no follow-on error", () => {
    expectErrors(check({ ...baseFiles(), "sites/beta.yaml": site("alpha.example", "beta", [], "fra9") }), ["unknown-server"]);
  });

  it("kinds share the namespace: a cPanel account's domain that is an ApisCP alias on another server", () => {
    const catalogue = new Catalogue([...APISCP.kinds, ...WHM.kinds]);
    const config = `${CONFIG}  cp1:\n    provider: whm\n    url: https://cp1.example:2087\n    key_env: CP1_TOKEN\n    user_env: CP1_USER\n`;
    const files: Record<string, string> = {
      ...baseFiles(),
      "siteform.yaml": config,
      "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - shop.example"]),
      "plans/starter.yaml": lines("kind: whm/account", "whm_package: starter"),
      "sites/shop.yaml": lines("kind: whm/account", "server: cp1", "user: shop", "domain: shop.example", "plan: starter"),
    };
    const result = checkInventory(
      Object.entries(files).map(([file, text]) => ({ file, text })),
      { catalogue, env: { FRA1_KEY: "k1", AMS1_KEY: "k2", CP1_TOKEN: "t", CP1_USER: "root" } },
    );
    expectDiagnostic(result, { code: "duplicate-domain", file: "sites/shop.yaml", line: 4, path: "domain", message: /^`shop\.example` is already used on server `fra1` as a site's alias \(sites\/alpha\.yaml:7:5\), and this account is on `cp1`$/ });
    expectErrors(result, ["duplicate-domain"]);
  });
});

describe("the exact form of a domain to write", () => {
  it("an internationalised domain: its xn-- form", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("bäckerei.example", "alpha").replace("owner@bäckerei.example", "owner@alpha.example") });
    const d = expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 1, column: 9, message: /"bäckerei\.example" is not a valid domain name/ });
    expect(d.hint).toBe("write it in its ASCII (`xn--`) form, as DNS and the panel store an internationalised name: `xn--bckerei-5wa.example`");
  });

  it("a trailing dot: the name without it", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - shop.example."]) });
    const d = expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 7, path: "aliases[0]", message: /"shop\.example\." is not a valid domain name/ });
    expect(d.hint).toBe("write it without the trailing dot: `shop.example`");
  });

  it("both, in capitals", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - Bäckerei.Example."]) });
    const d = expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 7, message: /is not a valid domain name/ });
    expect(d.hint).toMatch(/^write it without the trailing dot and in its ASCII \(`xn--`\) form, .*: `xn--bckerei-5wa\.example`$/);
  });

  it("an e-mail address at an internationalised domain", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha").replace("owner@alpha.example", "owner@bäckerei.example") });
    const d = expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 4, message: /is not a valid e-mail address/ });
    expect(d.hint).toMatch(/: `owner@xn--bckerei-5wa\.example`$/);
  });

  it("a name that no rewriting makes valid keeps the schema's own hint", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["aliases:", "  - bad_name.example."]) });
    const d = expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 7, message: /is not a valid domain name/ });
    expect(d.hint).not.toMatch(/trailing dot/);
  });
});
