/**
 * Writes one SoapValue as a typed element, byte-for-byte the way PHP's ext/soap writes the
 * equivalent PHP value in rpc/encoded mode (see test/fixtures/php-wire/README.md): maps as
 * Apache `ns2:Map`, lists as `SOAP-ENC:Array` with a typed `SOAP-ENC:arrayType`, null as
 * `xsi:nil`. It assumes the envelope declares the prefixes `xsi`, `xsd`, `SOAP-ENC` and `ns2`.
 */
import type { SoapMap, SoapValue } from "./value.js";
import { escapeXmlText, isXmlSafe } from "./xml-text.js";

/** PHP's int range: a canonical integer key inside it becomes a PHP int key. */
const PHP_INT_MIN = -(2n ** 63n);
const PHP_INT_MAX = 2n ** 63n - 1n;

/** Writes `<name …>value</name>` (or a self-closed element for nil and empty lists). */
export function encodeElement(name: string, value: SoapValue): string {
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (Array.isArray(value)) return encodeList(name, value);
  if (typeof value === "object") return Object.keys(value).length === 0 ? encodeList(name, []) : encodeMap(name, value);
  const { type, text } = scalar(value);
  return `<${name} xsi:type="${type}">${text}</${name}>`;
}

function scalar(value: string | number | boolean): { type: string; text: string } {
  if (typeof value === "boolean") return { type: "xsd:boolean", text: value ? "true" : "false" };
  if (typeof value === "number") return encodeNumber(value);
  // XML 1.0 cannot carry some characters at all; PHP reads base64Binary back as a plain string.
  if (!isXmlSafe(value)) return { type: "xsd:base64Binary", text: Buffer.from(value, "utf8").toString("base64") };
  return { type: "xsd:string", text: escapeXmlText(value) };
}

function encodeNumber(n: number): { type: string; text: string } {
  // PHP on 64-bit labels every int xsd:int; a JS integer past 2^53 is no longer exact, so it is a float.
  if (Number.isSafeInteger(n)) return { type: "xsd:int", text: String(n === 0 ? 0 : n) };
  if (Number.isNaN(n)) return { type: "xsd:float", text: "NAN" };
  if (!Number.isFinite(n)) return { type: "xsd:float", text: n > 0 ? "INF" : "-INF" };
  return { type: "xsd:float", text: formatFloat(n) };
}

/**
 * Shortest round-trip digits (PHP's own text is rounded to its `precision` ini, 14 digits by
 * default, which would lose data), laid out as PHP lays them out: fixed notation for
 * 1e-4 <= |n| < 1e14 and PHP's exponent form (`1.0E+20`, `-2.5E-7`) outside it.
 */
export function formatFloat(n: number): string {
  const [mantissa = "0", exp = "0"] = Math.abs(n).toExponential().split("e");
  const decpt = Number(exp) + 1;
  if (decpt >= -3 && decpt <= 14) return String(n);
  const digits = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  const e = Number(exp);
  return `${n < 0 ? "-" : ""}${digits}E${e < 0 ? "-" : "+"}${Math.abs(e)}`;
}

/** The `xsi:type` a value gets as a list item, for choosing the list's `arrayType`. */
function itemType(value: SoapValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "SOAP-ENC:Array";
  if (typeof value === "object") return Object.keys(value).length === 0 ? "SOAP-ENC:Array" : "ns2:Map";
  return scalar(value).type;
}

function encodeList(name: string, items: SoapValue[]): string {
  const types = new Set(items.map(itemType));
  const [only] = types;
  // PHP names a list of nothing but nulls `xsi:nil[N]`; any other mix is `xsd:ur-type`.
  const elementType = types.size === 1 && only !== undefined ? (only === "null" ? "xsi:nil" : only) : "xsd:ur-type";
  const open = `<${name} SOAP-ENC:arrayType="${elementType}[${items.length}]" xsi:type="SOAP-ENC:Array"`;
  if (items.length === 0) return `${open}/>`;
  return `${open}>${items.map((item) => encodeElement("item", item)).join("")}</${name}>`;
}

function encodeMap(name: string, map: SoapMap): string {
  let body = "";
  for (const [key, value] of Object.entries(map)) {
    body += `<item>${encodeKey(key)}${encodeElement("value", value)}</item>`;
  }
  return `<${name} xsi:type="ns2:Map">${body}</${name}>`;
}

function encodeKey(key: string): string {
  if (isPhpIntKey(key)) return `<key xsi:type="xsd:int">${key}</key>`;
  const { type, text } = scalar(key);
  return text === "" ? `<key xsi:type="${type}"/>` : `<key xsi:type="${type}">${text}</key>`;
}

/** PHP stores a string key that is a canonical decimal integer ("12", "-3"; not "012") as an int. */
export function isPhpIntKey(key: string): boolean {
  if (!/^(0|-?[1-9][0-9]*)$/.test(key)) return false;
  const n = BigInt(key);
  return n >= PHP_INT_MIN && n <= PHP_INT_MAX;
}
