import { describe, expect, it } from "vitest";
import { CONFIG, baseFiles, check, errorsOf, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

/** What FRA1_KEY holds in these tests: long enough to be a known key (the helpers' `k1` is not). */
const KEY = "3f9a0c1b2d3e4f5061728394a5b6c7d8";
const ENV = { FRA1_KEY: KEY, AMS1_KEY: "k2" };

/** siteform.yaml with fra1's `url` line (line 3) replaced. */
const withUrl = (url: string, extra: string[] = []): string =>
  lines("servers:", "  fra1:", `    url: ${url}`, "    key_env: FRA1_KEY", ...extra, "  ams1:", "    url: https://ams1.example.net:2083/soap", "    key_env: AMS1_KEY");

function checkConfig(config: string, env: Record<string, string> = ENV) {
  return check({ ...baseFiles(), "siteform.yaml": config }, { env });
}

/** No diagnostic carries the key, as written or in the forms a key is pasted in. */
function expectNoKey(result: ReturnType<typeof check>, key = KEY): void {
  const text = JSON.stringify(result.diagnostics).toLowerCase();
  expect(text).not.toContain(key.toLowerCase());
  expect(text).not.toContain(key.slice(0, 12).toLowerCase());
}

describe("credentials in a server's url", () => {
  it("a user:password@ part is an error that names the field and the variable to use, never the credential", () => {
    const result = checkConfig(withUrl(`https://admin:${KEY}@fra1.example.net:2083/soap`));
    const d = expectDiagnostic(result, {
      code: "secret",
      file: "siteform.yaml",
      line: 3,
      column: 10,
      path: "servers.fra1.url",
      message: /^`url` of server `fra1` carries a credential in a `user:password@` part, which would be committed to git \(not shown here\)$/,
    });
    expect(d.hint).toMatch(/FRA1_KEY, the variable named by the server's `key_env`/);
    expect(d.hint).toMatch(/change it now/);
    expectErrors(result, ["secret"]);
    expectNoKey(result);
    expect(JSON.stringify(result.diagnostics)).not.toContain("admin:");
  });

  it("a key alone before the @ is refused too, even when siteform does not hold it", () => {
    const stranger = "9b8c7d6e5f40312233445566778899aabbccddee";
    const result = checkConfig(withUrl(`http://${stranger}@127.0.0.1:2082/soap`), {});
    expectDiagnostic(result, { code: "secret", file: "siteform.yaml", line: 3, message: /`user:password@` part/ });
    expectNoKey(result, stranger);
  });

  it("an authkey query parameter is refused without any of the key, replacing the schema's complaint that quoted the URL", () => {
    const result = checkConfig(withUrl(`https://fra1.example.net:2083/soap?authkey=${KEY}`));
    expectDiagnostic(result, { code: "secret", file: "siteform.yaml", line: 3, path: "servers.fra1.url", message: /carries a credential in the `authkey` query parameter/ });
    // The schema pattern refuses any query; its message would repeat 57 characters of the URL.
    expectErrors(result, ["secret"]);
    expectNoKey(result);
  });

  it.each(["api_token", "password", "authinfo", "AuthKey", "token", "key"])("a query parameter named %s is a credential by its name", (name) => {
    const result = checkConfig(withUrl(`https://fra1.example.net:2083/soap?${name}=short-one`), {});
    expectDiagnostic(result, { code: "secret", file: "siteform.yaml", line: 3, message: new RegExp(`the \`${name}\` query parameter`) });
    expect(JSON.stringify(result.diagnostics)).not.toContain("short-one");
  });

  it("a parameter of any name whose value is a known key or looks like one is refused; a name that is itself the key is not quoted", () => {
    const byValue = checkConfig(withUrl(`https://fra1.example.net:2083/soap?x=${KEY}`));
    expectDiagnostic(byValue, { code: "secret", file: "siteform.yaml", line: 3, message: /the `x` query parameter/ });
    const byName = checkConfig(withUrl(`https://fra1.example.net:2083/soap?${KEY}`));
    expectDiagnostic(byName, { code: "secret", file: "siteform.yaml", line: 3, message: /carries a credential in a query parameter,/ });
    expectNoKey(byName);
    const inFragment = checkConfig(withUrl(`https://fra1.example.net:2083/soap#${KEY}`));
    expectDiagnostic(inFragment, { code: "secret", file: "siteform.yaml", line: 3, message: /its `#` fragment/ });
    expectNoKey(inFragment);
  });

  it("an ordinary query is left to the schema, which may quote it", () => {
    const result = checkConfig(withUrl("https://fra1.example.net:2083/soap?lang=en"));
    expectDiagnostic(result, { code: "bad-format", file: "siteform.yaml", line: 3, message: /soap\?lang=en/ });
    expect(result.diagnostics.filter((d) => d.code === "secret")).toEqual([]);
  });
});

describe("a known key in a field value", () => {
  it("is an error at the field's file, line and path that names the server and variable, never the value", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["services:", "  siteinfo:", `    notes: "old key ${KEY}, do not use"`]) };
    const result = check(files, { env: ENV });
    const d = expectDiagnostic(result, {
      code: "secret",
      file: "sites/alpha.yaml",
      line: 8,
      column: 12,
      path: "services.siteinfo.notes",
      message: /^`services\.siteinfo\.notes` contains the key of server `fra1` \(the value of FRA1_KEY\), which must never be in git \(not shown here\)$/,
    });
    expect(d.hint).toMatch(/`key_env`/);
    expectErrors(result, ["secret"]);
    expectNoKey(result);
  });

  it("is found when pasted in upper case or in dashed groups, and in any file and position", () => {
    const grouped = KEY.toUpperCase().replace(/(.{8})(?=.)/g, "$1-");
    const files = {
      ...baseFiles(),
      "siteform.yaml": CONFIG.replace("  ams1:\n", `    description: "key ${grouped}"\n  ams1:\n`),
      "plans/basic.yaml": lines("apiscp_plan: basic", "services:", "  siteinfo:", `    notes: ${KEY}`),
    };
    const result = check(files, { env: ENV });
    expectDiagnostic(result, { code: "secret", file: "siteform.yaml", line: 5, path: "servers.fra1.description", message: /contains the key of server `fra1`/ });
    expectDiagnostic(result, { code: "secret", file: "plans/basic.yaml", line: 4, path: "services.siteinfo.notes", message: /contains the key of server `fra1`/ });
    expectNoKey(result);
    expect(JSON.stringify(result.diagnostics)).not.toContain(grouped.slice(0, 17));
  });

  it("a field name that is the key is reported at its parent, without the name", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["services:", `  ${KEY}:`, "    x: 1"]) };
    const result = check(files, { env: ENV });
    const secrets = result.diagnostics.filter((d) => d.code === "secret");
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ severity: "error", file: "sites/alpha.yaml", line: 7, path: "services", message: expect.stringMatching(/^a field name in `services` contains the key of server `fra1`/) as unknown });
    expectNoKey(result);
  });

  it("masks the key in every other diagnostic that would quote it", () => {
    // A password with spaces does not look like a token, so the schema's message would quote it.
    const password = "correct horse battery staple";
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha").replace("email: owner@alpha.example", `email: "${password}"`) };
    const result = check(files, { env: { ...ENV, AMS1_KEY: password } });
    expectDiagnostic(result, { code: "secret", file: "sites/alpha.yaml", line: 4, message: /contains the key of server `ams1` \(the value of AMS1_KEY\)/ });
    expectDiagnostic(result, { code: "bad-format", file: "sites/alpha.yaml", line: 4, message: /\[redacted\]/ });
    expect(JSON.stringify(result.diagnostics)).not.toContain("horse");
  });

  it("ignores values shorter than 8 characters, and values no server's key_env holds", () => {
    const files = { ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["services:", "  siteinfo:", "    notes: k1 and k2 and s3cr3t-but-unknown"]) };
    const result = check(files, { env: { FRA1_KEY: "k1", AMS1_KEY: "k2", OTHER: "s3cr3t-but-unknown" } });
    expect(result.diagnostics).toEqual([]);
  });
});

describe("how the key would travel", () => {
  it("http:// to another machine is a warning at the url", () => {
    const result = checkConfig(withUrl("http://fra1.example.net:2082/soap"));
    expect(result.ok).toBe(true);
    const d = expectDiagnostic(result, {
      code: "secret",
      severity: "warning",
      file: "siteform.yaml",
      line: 3,
      path: "servers.fra1.url",
      message: /^`url` of server `fra1` is http:\/\/ to fra1\.example\.net: the API key would travel over the network in clear text$/,
    });
    expect(d.hint).toMatch(/use https:\/\//);
  });

  it.each(["http://127.0.0.1:2082/soap", "http://localhost:2082/soap", "http://[::1]:2082/soap", "http://panel.localhost/soap", "https://fra1.example.net:2083/soap"])("%s gets no warning", (url) => {
    expect(checkConfig(withUrl(url)).diagnostics).toEqual([]);
  });

  it("a retired server is never called, so its http:// url is not reported", () => {
    expect(checkConfig(withUrl("http://fra1.example.net:2082/soap", ["    retired: true"])).diagnostics).toEqual([]);
  });

  it("insecure_tls: true is a warning at that field; false is not", () => {
    const on = checkConfig(withUrl("https://fra1.example.net:2083/soap", ["    insecure_tls: true"]));
    expect(on.ok).toBe(true);
    const d = expectDiagnostic(on, { code: "secret", severity: "warning", file: "siteform.yaml", line: 5, path: "servers.fra1.insecure_tls", message: /^`insecure_tls: true` on server `fra1`: its TLS certificate is not verified/ });
    expect(d.hint).toMatch(/`ca_file`/);
    expect(checkConfig(withUrl("https://fra1.example.net:2083/soap", ["    insecure_tls: false"])).diagnostics).toEqual([]);
  });

  it("neither warning stops the inventory from resolving", () => {
    const result = checkConfig(withUrl("http://fra1.example.net:2082/soap"));
    expect(errorsOf(result)).toEqual([]);
    expect(result.inventory?.servers.find((s) => s.name === "fra1")?.url).toBe("http://fra1.example.net:2082/soap");
  });
});
