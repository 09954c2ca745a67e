import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeCall } from "../../../src/providers/apiscp/wire/index.js";
import { formatFloat, isPhpIntKey } from "../../../src/providers/apiscp/wire/value-encoder.js";
import type { SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { UNIT_FIXTURES, argsFragment, readJson } from "./helpers.js";

const encodeArg = (value: SoapValue): string => argsFragment(encodeCall({ operation: "test_echo", args: [value] }));

describe("value encoding, PHP's shapes", () => {
  it.each<[string, SoapValue, string]>([
    ["null", null, '<param0 xsi:nil="true"/>'],
    ["true", true, '<param0 xsi:type="xsd:boolean">true</param0>'],
    ["false", false, '<param0 xsi:type="xsd:boolean">false</param0>'],
    ["int", -42, '<param0 xsi:type="xsd:int">-42</param0>'],
    ["negative zero", -0, '<param0 xsi:type="xsd:int">0</param0>'],
    ["big safe int", 9007199254740991, '<param0 xsi:type="xsd:int">9007199254740991</param0>'],
    ["unsafe integral number", 2 ** 60, '<param0 xsi:type="xsd:float">1.152921504606847E+18</param0>'],
    ["float", 0.1, '<param0 xsi:type="xsd:float">0.1</param0>'],
    ["empty string", "", '<param0 xsi:type="xsd:string"></param0>'],
    ["numeric string", "12", '<param0 xsi:type="xsd:string">12</param0>'],
    ["xml specials", `<a href="x">&amp; 'q'</a>`, `<param0 xsi:type="xsd:string">&lt;a href="x"&gt;&amp;amp; 'q'&lt;/a&gt;</param0>`],
    ["CR", "a\r\nb", '<param0 xsi:type="xsd:string">a&#13;\nb</param0>'],
    ["unicode", "Müller 🎉", '<param0 xsi:type="xsd:string">Müller 🎉</param0>'],
    ["empty list", [], '<param0 SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>'],
    ["empty object is an empty list", {}, '<param0 SOAP-ENC:arrayType="xsd:ur-type[0]" xsi:type="SOAP-ENC:Array"/>'],
    [
      "list of strings",
      ["a", "b"],
      '<param0 SOAP-ENC:arrayType="xsd:string[2]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:string">a</item><item xsi:type="xsd:string">b</item></param0>',
    ],
    [
      "list of maps",
      [{ a: 1 }],
      '<param0 SOAP-ENC:arrayType="ns2:Map[1]" xsi:type="SOAP-ENC:Array"><item xsi:type="ns2:Map"><item><key xsi:type="xsd:string">a</key><value xsi:type="xsd:int">1</value></item></item></param0>',
    ],
    [
      "map with int, negative and non-canonical keys",
      { "12": "a", "-3": "b", "007": "c" },
      '<param0 xsi:type="ns2:Map"><item><key xsi:type="xsd:int">12</key><value xsi:type="xsd:string">a</value></item>' +
        '<item><key xsi:type="xsd:int">-3</key><value xsi:type="xsd:string">b</value></item>' +
        '<item><key xsi:type="xsd:string">007</key><value xsi:type="xsd:string">c</value></item></param0>',
    ],
    [
      "empty key and null value",
      { "": null },
      '<param0 xsi:type="ns2:Map"><item><key xsi:type="xsd:string"/><value xsi:nil="true"/></item></param0>',
    ],
  ])("%s", (_name, value, xml) => {
    expect(encodeArg(value)).toBe(xml);
  });

  it("sends strings XML cannot carry as base64Binary, which PHP reads back as a string", () => {
    expect(encodeArg("a\u0001b")).toBe('<param0 xsi:type="xsd:base64Binary">YQFi</param0>');
  });

  it("recognises PHP int keys exactly", () => {
    for (const key of ["0", "12", "-3", "9223372036854775807", "-9223372036854775808"]) expect(isPhpIntKey(key)).toBe(true);
    for (const key of ["-0", "012", "+1", "1.0", " 1", "", "9223372036854775808", "1e3"]) expect(isPhpIntKey(key)).toBe(false);
  });

  it("formats floats in PHP's layout with round-trip digits", () => {
    expect(formatFloat(1e20)).toBe("1.0E+20");
    expect(formatFloat(1e-7)).toBe("1.0E-7");
    expect(formatFloat(-2.5e-7)).toBe("-2.5E-7");
    expect(formatFloat(1.5e300)).toBe("1.5E+300");
    expect(formatFloat(0.0001)).toBe("0.0001");
    expect(formatFloat(0.00001)).toBe("1.0E-5");
    expect(formatFloat(123.25)).toBe("123.25");
    expect(formatFloat(0.1 + 0.2)).toBe("0.30000000000000004");
    for (const n of [1e20, 1e-7, 0.1 + 0.2, 5e-324, Number.MAX_VALUE, -1.2345678901234567e14]) {
      expect(Number(formatFloat(n))).toBe(n);
    }
  });
});

/**
 * What PHP 8.2's SoapClient wrote for values the shared fixtures do not cover, recorded by
 * test/unit/wire/php/probe.php. Cases JavaScript cannot express the same way are left out with
 * the reason.
 */
describe("value encoding matches PHP's probe output", () => {
  const php = readJson<Record<string, string>>(join(UNIT_FIXTURES, "php-encoded-edges.json"));
  const cases: Record<string, SoapValue> = {
    "all-null-list": [null, null],
    "string-and-null-list": ["a", null],
    "int-and-float-list": [1, 1.5],
    "empty-and-map-list": [[], { a: 1 }],
    inf: Infinity,
    nan: NaN,
    "neg-inf": -Infinity,
    "float-1e17": 1e17,
    "float-0.0001": 0.0001,
    "float-0.00001": 0.00001,
    "float-neg-1e-7": -1e-7,
    "float-1.5e300": 1.5e300,
  };
  const leftOut: Record<string, string> = {
    "float-1e14": "a JS integer: we send xsd:int",
    "float-1e15": "a JS integer: we send xsd:int",
    stdclass: "PHP objects have no SoapValue; we only decode SOAP-ENC:Struct",
    "control-char": "PHP sends invalid XML; we send base64Binary (tested above)",
  };

  it("the probe's cases are all accounted for", () => {
    expect(Object.keys(php).sort()).toEqual([...Object.keys(cases), ...Object.keys(leftOut)].sort());
  });

  it.each(Object.entries(cases))("%s", (name, value) => {
    expect(encodeArg(value)).toBe(php[name]);
  });
});
