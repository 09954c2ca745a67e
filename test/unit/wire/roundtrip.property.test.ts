/**
 * Properties: whatever SoapValue we encode decodes to the same value, as a result and as a
 * call. The arbitrary produces only values that survive PHP's model unchanged: no empty objects
 * (PHP has no empty map: it travels as []), no -0 (an int on the wire), and no lone surrogates
 * (not representable in UTF-8). NaN and ±Infinity are included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCall, decodeReply, encodeCall, encodeResult } from "../../../src/providers/apiscp/wire/index.js";
import type { SoapValue } from "../../../src/providers/apiscp/wire/value.js";

const text = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }).map((s) => s.replace(/[\ud800-\udfff]/g, "")),
  fc.constantFrom("", " ", "  padded  ", "\r\n", "<&>\"'", "]]>", "12", "007", "-3", "__proto__", "true", "null"),
);

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double().map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.constantFrom(Infinity, -Infinity, NaN, 1e20, 1e-7, 2 ** 53 + 2),
);

const { value } = fc.letrec<{ value: SoapValue; map: SoapValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie("value"), { maxLength: 5 }),
    tie("map"),
  ),
  map: fc
    .array(fc.tuple(fc.oneof(text, fc.integer().map(String)), tie("value")), { minLength: 1, maxLength: 5 })
    .map((entries) => Object.fromEntries(entries) as SoapValue),
}));

describe("codec round trips", () => {
  it("decodeReply(encodeResult(x)) equals x", () => {
    fc.assert(
      fc.property(value, (x) => {
        expect(decodeReply(encodeResult("admin_collect", x))).toEqual({ kind: "result", value: x });
      }),
      { numRuns: 500 },
    );
  });

  it("decodeCall(encodeCall(c)) equals c", () => {
    const names = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(names, fc.array(value, { maxLength: 4 }), (operation, args) => {
        expect(decodeCall(encodeCall({ operation, args }))).toEqual({ operation, args, argNames: args.map((_, i) => `param${i}`) });
      }),
      { numRuns: 300 },
    );
  });

  it("an empty object comes back as an empty list, as in PHP", () => {
    expect(decodeReply(encodeResult("x", { a: {}, b: [{}] }))).toEqual({ kind: "result", value: { a: [], b: [[]] } });
  });
});
