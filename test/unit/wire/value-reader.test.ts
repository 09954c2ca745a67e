import { describe, expect, it } from "vitest";
import { SoapDecodeError, decodeReply } from "../../../src/providers/apiscp/wire/index.js";
import type { SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { responseXml } from "./helpers.js";

const decodeReturn = (inner: string, extraBody = ""): SoapValue => {
  const reply = decodeReply(responseXml(inner, extraBody));
  if (reply.kind !== "result") throw new Error("expected a result");
  return reply.value;
};

const MAP = (items: string): string => `<return xsi:type="ns2:Map">${items}</return>`;
const ITEM = (key: string, value: string): string => `<item><key xsi:type="xsd:string">${key}</key>${value}</item>`;

describe("tolerant value decoding", () => {
  // Where PHP 8.2 has an opinion (checked with test/unit/wire/php/probe.php decode), we follow it.
  it.each<[string, string, SoapValue]>([
    ["boolean true", '<return xsi:type="xsd:boolean">true</return>', true],
    ["boolean 1", '<return xsi:type="xsd:boolean">1</return>', true],
    ["boolean 0", '<return xsi:type="xsd:boolean">0</return>', false],
    ["boolean False with spaces", '<return xsi:type="xsd:boolean"> False </return>', false],
    ["boolean other text (PHP: true)", '<return xsi:type="xsd:boolean">yes</return>', true],
    ["empty int (PHP: null)", '<return xsi:type="xsd:int"></return>', null],
    ["long", '<return xsi:type="xsd:long">9007199254740991</return>', 9007199254740991],
    ["unsignedInt", '<return xsi:type="xsd:unsignedInt">4294967295</return>', 4294967295],
    ["short with spaces", '<return xsi:type="xsd:short"> -7 </return>', -7],
    ["int holding a fraction (PHP: float)", '<return xsi:type="xsd:int">1.5</return>', 1.5],
    ["double", '<return xsi:type="xsd:double">2.5E+3</return>', 2500],
    ["decimal", '<return xsi:type="xsd:decimal">0.10</return>', 0.1],
    ["INF", '<return xsi:type="xsd:float">INF</return>', Infinity],
    ["-INF", '<return xsi:type="xsd:float">-INF</return>', -Infinity],
    ["base64Binary", '<return xsi:type="xsd:base64Binary">aMOp</return>', "hé"],
    ["whitespace-only string", '<return xsi:type="xsd:string">  \n </return>', "  \n "],
    ["CDATA", '<return xsi:type="xsd:string">a<![CDATA[<b>&amp;</b>]]>c</return>', "a<b>&amp;</b>c"],
    ["character references", '<return xsi:type="xsd:string">&#13;&#x41;&#66;&lt;&amp;lt;</return>', "\rAB<&lt;"],
    ["other prefix for the schema namespace", '<return xsi:type="s:string" xmlns:s="http://www.w3.org/2001/XMLSchema">x</return>', "x"],
    ["untyped text", "<return>plain</return>", "plain"],
    ["untyped empty element", "<return/>", ""],
    ["xsi:nil=1", '<return xsi:nil="1"/>', null],
    ["no return element", "", null],
    ["anyType with text", '<return xsi:type="xsd:anyType">t</return>', "t"],
    ["unknown simple type", '<return xsi:type="xsd:dateTime">2024-01-01T00:00:00Z</return>', "2024-01-01T00:00:00Z"],
  ])("%s", (_name, inner, value) => {
    expect(decodeReturn(inner)).toEqual(value);
  });

  it("decodes NaN", () => {
    expect(decodeReturn('<return xsi:type="xsd:float">NAN</return>')).toBeNaN();
  });

  it("refuses a number that is not one, without echoing much of it", () => {
    const long = "x".repeat(5000);
    const err = (() => {
      try {
        decodeReturn(`<return xsi:type="xsd:int">${long}</return>`);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SoapDecodeError);
    expect((err as Error).message.length).toBeLessThan(200);
  });

  it("Apache maps: int keys become strings, duplicate keys keep the last, empty maps are lists", () => {
    const intKey = '<item><key xsi:type="xsd:int">12</key><value xsi:type="xsd:string">a.com</value></item>';
    expect(decodeReturn(MAP(intKey))).toEqual({ "12": "a.com" });
    const dup = ITEM("a", '<value xsi:type="xsd:int">1</value>') + ITEM("a", '<value xsi:type="xsd:int">2</value>');
    expect(decodeReturn(MAP(dup))).toEqual({ a: 2 });
    expect(decodeReturn(MAP(""))).toEqual([]);
    expect(decodeReturn(MAP('<item><key xsi:type="xsd:string">k</key></item>'))).toEqual({ k: null });
  });

  it("a __proto__ key is an own property, not a prototype", () => {
    const value = decodeReturn(MAP(ITEM("__proto__", '<value xsi:type="xsd:string">x</value>')));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
  });

  it("arrays: any item name, with or without xsi:type on the array", () => {
    expect(decodeReturn('<return xsi:type="SOAP-ENC:Array"><x xsi:type="xsd:string">a</x><y xsi:type="xsd:int">1</y></return>')).toEqual(["a", 1]);
    expect(decodeReturn('<return SOAP-ENC:arrayType="xsd:string[2]"><x>a</x><y>b</y></return>')).toEqual(["a", "b"]);
    expect(decodeReturn('<return xsi:type="ns2:Vector"><item xsi:type="xsd:int">1</item></return>')).toEqual([1]);
  });

  it("untyped structure: key/value items are a map, other children a struct (repeats collect)", () => {
    expect(decodeReturn("<return><item><key>k</key><value>v</value></item></return>")).toEqual({ k: "v" });
    expect(decodeReturn("<return><a>1</a><b>2</b><a>3</a></return>")).toEqual({ a: ["1", "3"], b: "2" });
  });

  it("SOAP-ENC:Struct (a PHP stdClass) is a map keyed by member name", () => {
    const struct = '<return xsi:type="SOAP-ENC:Struct"><a xsi:type="xsd:int">1</a><b xsi:type="xsd:string">x</b></return>';
    expect(decodeReturn(struct)).toEqual({ a: 1, b: "x" });
  });

  it("ignores whitespace and comments between elements (pretty-printed XML)", () => {
    const pretty = `<return xsi:type="ns2:Map">\n  <!-- c -->\n  <item>\n    <key xsi:type="xsd:string">a</key>\n    <value xsi:type="SOAP-ENC:Array">\n      <item xsi:type="xsd:int">1</item>\n    </value>\n  </item>\n</return>`;
    expect(decodeReturn(pretty)).toEqual({ a: [1] });
  });

  it("follows multi-ref hrefs, nested ones too", () => {
    const refs =
      '<multiRef id="r1" xsi:type="ns2:Map"><item><key xsi:type="xsd:string">a</key><value href="#r2"/></item></multiRef>' +
      '<multiRef id="r2" xsi:type="SOAP-ENC:Array"><item href="#r3"/><item href="#r3"/></multiRef>' +
      '<multiRef id="r3" xsi:type="xsd:string">deep</multiRef>';
    expect(decodeReturn('<return href="#r1"/>', refs)).toEqual({ a: ["deep", "deep"] });
  });

  it("refuses dangling and cyclic references", () => {
    expect(() => decodeReturn('<return href="#nope"/>')).toThrow(SoapDecodeError);
    const cycle = '<multiRef id="c" xsi:type="SOAP-ENC:Array"><item href="#c"/></multiRef>';
    expect(() => decodeReturn('<return href="#c"/>', cycle)).toThrow(/refers to itself/);
  });

  it("decodes lists of maps of lists, 60 levels deep", () => {
    const nested = (name: string, level: number): { xml: string; value: SoapValue } => {
      if (level === 0) return { xml: `<${name} xsi:type="xsd:string">bottom</${name}>`, value: "bottom" };
      if (level % 2 === 0) {
        const inner = nested("item", level - 1);
        return { xml: `<${name} xsi:type="SOAP-ENC:Array">${inner.xml}</${name}>`, value: [inner.value] };
      }
      const inner = nested("value", level - 1);
      return { xml: `<${name} xsi:type="ns2:Map"><item><key xsi:type="xsd:string">k</key>${inner.xml}</item></${name}>`, value: { k: inner.value } };
    };
    const { xml, value } = nested("return", 60);
    expect(decodeReturn(xml)).toEqual(value);
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    const depth = 400;
    const inner = '<item xsi:type="SOAP-ENC:Array">'.repeat(depth) + "</item>".repeat(depth);
    expect(() => decodeReturn(`<return xsi:type="SOAP-ENC:Array">${inner}</return>`)).toThrow(SoapDecodeError);
  });
});
