import { describe, expect, it } from "vitest";
import { CONFIG, baseFiles, check, expectDiagnostic, lines } from "./helpers.js";

describe("connection prerequisites", () => {
  it("a missing key_env variable is a warning when validating", () => {
    const result = check(baseFiles(), { env: { AMS1_KEY: "k" } });
    const d = expectDiagnostic(result, { code: "missing-key-env", file: "siteform.yaml", line: 4, column: 14, path: "servers.fra1.key_env", severity: "warning", message: /^environment variable FRA1_KEY \(the API key of server `fra1`\) is not set$/ });
    expect(d.hint).toMatch(/export FRA1_KEY/);
    expect(result.ok).toBe(true);
  });

  it("an empty variable counts as missing", () => {
    expectDiagnostic(check(baseFiles(), { env: { FRA1_KEY: "", AMS1_KEY: "k" } }), { code: "missing-key-env", file: "siteform.yaml", line: 4, severity: "warning", message: /FRA1_KEY/ });
  });

  it("requireKeys makes it an error, for every server or for the ones named", () => {
    const all = check(baseFiles(), { env: {}, requireKeys: true });
    expect(all.ok).toBe(false);
    expect(all.diagnostics.filter((d) => d.code === "missing-key-env").map((d) => d.severity)).toEqual(["error", "error"]);
    const one = check(baseFiles(), { env: {}, requireKeys: ["ams1"] });
    expect(one.diagnostics.filter((d) => d.code === "missing-key-env").map((d) => [d.line, d.severity])).toEqual([
      [4, "warning"],
      [7, "error"],
    ]);
  });

  it("a user_env variable is resolved by name, and reported like key_env when it is not set", () => {
    const config = CONFIG.replace("    key_env: FRA1_KEY\n", "    key_env: FRA1_KEY\n    user_env: FRA1_USER\n");
    const files = { ...baseFiles(), "siteform.yaml": config };
    const set = check(files, { env: { FRA1_KEY: "k", FRA1_USER: "root", AMS1_KEY: "k" } });
    expect(set.diagnostics).toEqual([]);
    expect(set.inventory?.servers.map((s) => [s.name, s.userEnv])).toEqual([
      ["ams1", null],
      ["fra1", "FRA1_USER"],
    ]);
    const missing = check(files, { env: { FRA1_KEY: "k", AMS1_KEY: "k" }, requireKeys: true });
    expect(missing.ok).toBe(false);
    const d = expectDiagnostic(missing, { code: "missing-user-env", file: "siteform.yaml", line: 5, column: 15, path: "servers.fra1.user_env", severity: "error", message: /^environment variable FRA1_USER \(the API user of server `fra1`\) is not set$/ });
    expect(d.hint).toMatch(/export FRA1_USER/);
  });

  it("an unreadable ca_file", () => {
    const config = CONFIG.replace("    key_env: FRA1_KEY\n", "    key_env: FRA1_KEY\n    ca_file: certs/fra1.pem\n");
    const files = { ...baseFiles(), "siteform.yaml": config };
    expectDiagnostic(check(files, { readableCaFiles: new Set() }), { code: "missing-ca-file", file: "siteform.yaml", line: 5, severity: "warning", message: /`certs\/fra1\.pem` of server `fra1` cannot be read/ });
    const ok = check(files, { readableCaFiles: new Set(["certs/fra1.pem"]), dir: "/srv/inventory" });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.inventory?.servers.find((s) => s.name === "fra1")?.caFile).toBe("/srv/inventory/certs/fra1.pem");
  });

  it("a key put in siteform.yaml is refused without being shown", () => {
    const secret = "3f9a0c1b2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccdd";
    const config = lines("servers:", "  fra1:", "    url: https://fra1.example.net/soap", "    key_env: FRA1_KEY", `    key: ${secret}`, "  ams1:", "    url: https://ams1.example.net/soap", `    key_env: ${secret}`);
    const result = check({ ...baseFiles(), "siteform.yaml": config });
    expectDiagnostic(result, { code: "secret", file: "siteform.yaml", line: 5, column: 5, message: /`key` is a secret/ });
    const keyEnv = expectDiagnostic(result, { code: "bad-format", file: "siteform.yaml", line: 8, message: /looks like a credential \(not shown\)/ });
    expect(keyEnv.hint).toMatch(/change it/);
    expect(JSON.stringify(result.diagnostics)).not.toContain(secret.slice(0, 16));
  });
});
