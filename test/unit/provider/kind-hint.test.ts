import { describe, expect, it } from "vitest";
import { kindHint } from "../../../src/providers/kind-hint.js";

describe("kindHint", () => {
  it("names where a refused login's credentials came from, in the panel's words", () => {
    expect(kindHint("auth", "the key", ["FRA1_APISCP_KEY"])).toBe(" (the key comes from FRA1_APISCP_KEY)");
    expect(kindHint("auth", "the user and token", ["CP1_USER", "CP1_TOKEN"])).toBe(" (the user and token come from CP1_USER and CP1_TOKEN)");
    expect(kindHint("auth", "the user and password", [null, "BM1_PASSWORD"])).toBe(" (the user and password come from BM1_PASSWORD)");
    expect(kindHint("auth", "the key", [null])).toBe("");
  });

  it("says what to check when a call did not get through, and nothing for the other kinds", () => {
    expect(kindHint("transport", "the key", ["K"])).toBe("; check that the server is up and its url in siteform.yaml is right");
    expect(kindHint("rejected", "the key", ["K"])).toBe("");
    expect(kindHint("unknown-outcome", "the key", ["K"])).toBe("");
  });
});
