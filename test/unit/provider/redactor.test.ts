/**
 * The one redactor every provider words its errors through: the whole secret and long runs of
 * it go, an ApisCP key also when echoed in dashed groups, and a WHM token's redaction never
 * eats the words around it.
 */
import { describe, expect, it } from "vitest";
import { Redactor } from "../../../src/providers/redactor.js";

const KEY = "3f9a0c1b2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccdd";
const TOKEN = "Q7Z3K9W2M4X8C1V6B5N0L2J7H3G9F4D1";

describe("Redactor", () => {
  it("removes a key whole, in any case, and a truncated echo of 12 or more of its characters", () => {
    const r = new Redactor(KEY);
    expect(r.redact(`bad key ${KEY.toUpperCase()} given`)).toBe("bad key [REDACTED] given");
    expect(r.redact(`key ${KEY.slice(20, 34)}…`)).toBe("key [REDACTED]…");
    expect(r.redact(`short ${KEY.slice(0, 8)} is kept`)).toBe(`short ${KEY.slice(0, 8)} is kept`);
  });

  it("finds a grouped secret echoed with dashes or spaces", () => {
    const dashed = KEY.match(/.{1,8}/g)?.join("-") ?? "";
    expect(new Redactor(KEY).redact(`key ${dashed}`)).toBe("key [REDACTED]");
  });

  it("leaves the words around an ungrouped token as they were", () => {
    const r = new Redactor(TOKEN, { grouped: false });
    expect(r.redact(`Sorry, the token ${TOKEN} may not call createacct`)).toBe("Sorry, the token [REDACTED] may not call createacct");
    // The grouped reading would take the neighbouring letters that happen to be in the token.
    expect(new Redactor(TOKEN).redact(`the token ${TOKEN} may`)).not.toBe("the token [REDACTED] may");
  });

  it("leaves text alone for an empty secret", () => {
    expect(new Redactor("").redact("nothing to hide")).toBe("nothing to hide");
  });
});
