import { describe, expect, it } from "vitest";
import { isPasswordLikeName, looksLikeCredential } from "../../../src/inventory/secrets.js";
import { baseFiles, check, expectDiagnostic, expectErrors, lines, site } from "./helpers.js";

describe("secrets", () => {
  it("refuses every field the schema marks secret, without its value", () => {
    const extra = ["services:", "  auth:", "    tpasswd: Tr0ub4dor&3", "    cpasswd: $6$salt$hash", "  dns:", "    key: cf-token-value", "  mail:", "    key: mg-key"];
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", extra) });
    const d = expectDiagnostic(result, { code: "secret", file: "sites/alpha.yaml", line: 8, column: 5, path: "services.auth.tpasswd", message: /^`tpasswd` is a secret and must not be in the inventory$/ });
    expect(d.hint).toMatch(/panel/);
    expect(d.hint).toMatch(/environment variable/);
    expectErrors(result, ["secret", "secret", "secret", "secret"]);
    const text = JSON.stringify(result.diagnostics);
    for (const value of ["Tr0ub4dor", "$6$salt", "cf-token", "mg-key"]) expect(text).not.toContain(value);
  });

  it("a secret in a plan is refused too", () => {
    const result = check({ ...baseFiles(), "plans/basic.yaml": lines("apiscp_plan: basic", "services:", "  dns:", "    key: abc") });
    expectDiagnostic(result, { code: "secret", file: "plans/basic.yaml", line: 4, message: /`key` is a secret/ });
  });

  it("an unknown field named like a password is reported as a secret", () => {
    const result = check({ ...baseFiles(), "sites/alpha.yaml": site("alpha.example", "alpha", ["password: hunter2"]) });
    const d = expectDiagnostic(result, { code: "secret", file: "sites/alpha.yaml", line: 6, column: 1, message: /unknown field `password` looks like a secret/ });
    expect(JSON.stringify(d)).not.toContain("hunter2");
  });

  it("names and values that look like secrets", () => {
    for (const name of ["password", "tpasswd", "api_key", "apiKey", "secret", "auth_token", "key"]) expect(isPasswordLikeName(name), name).toBe(true);
    for (const name of ["domain", "keyboard", "key_env", "passenger"]) expect(isPasswordLikeName(name), name).toBe(false);
    expect(looksLikeCredential("3f9a0c1b-2d3e-4f50-6172-8394a5b6c7d8")).toBe(true);
    expect(looksLikeCredential("$2y$10$abcdefghijklmnopqrstuv")).toBe(true);
    for (const value of ["acme-bakery.example", "INV-2024-0117", "owner@example.com", "business"]) expect(looksLikeCredential(value), value).toBe(false);
  });
});
