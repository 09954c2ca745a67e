/**
 * Reads one typed element back into a SoapValue. Tolerant by design, because the peer may be
 * real ApisCP, PHP, or any SOAP stack: type names are matched by local name whatever their
 * prefix, integer and float flavours all become numbers, untyped elements are inferred from
 * their shape, SOAP-ENC structs become maps, and multi-ref `href="#id"` values are followed.
 * Where PHP has an opinion about odd input (empty typed scalars are null, any non-false
 * boolean text is true) it follows PHP. It refuses only what has no sensible reading: a
 * number that is not one, a dangling or cyclic reference.
 */
import type { SoapMap, SoapValue } from "./value.js";
import { NS } from "./namespaces.js";
import { SoapDecodeError, snippet } from "./decode-error.js";
import { attrNs, describe, splitQName, type XmlElement } from "./xml-tree.js";

/** Elements carrying `id`, for resolving `href="#id"` anywhere in the document. */
export type RefIndex = ReadonlyMap<string, XmlElement>;

export function indexRefs(root: XmlElement): RefIndex {
  const index = new Map<string, XmlElement>();
  const stack = [root];
  for (let el = stack.pop(); el !== undefined; el = stack.pop()) {
    const id = el.attrs.get("id");
    if (id !== undefined && !index.has(id)) index.set(id, el);
    for (const child of el.children) stack.push(child);
  }
  return index;
}

const INTEGER_TYPES = new Set([
  "int", "integer", "long", "short", "byte", "unsignedint", "unsignedlong", "unsignedshort", "unsignedbyte",
  "nonnegativeinteger", "positiveinteger", "negativeinteger", "nonpositiveinteger",
]);
const FLOAT_TYPES = new Set(["float", "double", "decimal"]);
const LIST_TYPES = new Set(["array", "vector"]);
const STRUCT_TYPES = new Set(["struct"]);
const INFERRED_TYPES = new Set(["anytype", "ur-type", "anysimpletype"]);

/** Nesting deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 256;

interface DecodeState {
  refs: RefIndex;
  /** Ids being decoded right now: seeing one again is a cycle. */
  following: Set<string>;
}

export function decodeElement(el: XmlElement, refs: RefIndex): SoapValue {
  return decode(el, { refs, following: new Set() }, 0);
}

function decode(el: XmlElement, state: DecodeState, depth: number): SoapValue {
  if (depth > MAX_DEPTH) throw new SoapDecodeError(`values nested deeper than ${MAX_DEPTH} levels`);
  const href = el.attrs.get("href");
  if (href !== undefined) return follow(href, state, depth);
  const nil = attrNs(el, NS.xsi, "nil") ?? attrNs(el, NS.xsi, "null");
  if (nil !== undefined && (nil.trim() === "true" || nil.trim() === "1")) return null;
  const type = typeLocalName(el);
  if (type === "map") return decodeMap(el, state, depth);
  if (LIST_TYPES.has(type) || (type === "" && attrNs(el, NS.enc, "arrayType") !== undefined)) {
    return el.children.map((child) => decode(child, state, depth + 1));
  }
  if (STRUCT_TYPES.has(type)) return decodeStruct(el, state, depth);
  if (type === "" || INFERRED_TYPES.has(type)) return infer(el, state, depth);
  if (type === "boolean") return decodeBoolean(el);
  if (INTEGER_TYPES.has(type)) return decodeInteger(el);
  if (FLOAT_TYPES.has(type)) return decodeFloat(el);
  if (type === "base64binary") return Buffer.from(el.text.replace(/\s+/g, ""), "base64").toString("utf8");
  if (type === "hexbinary") return Buffer.from(el.text.trim(), "hex").toString("utf8");
  // string and every other simple or unknown type: the text as sent, or the shape if it has one.
  return el.children.length > 0 ? infer(el, state, depth) : el.text;
}

function typeLocalName(el: XmlElement): string {
  const raw = attrNs(el, NS.xsi, "type");
  return raw === undefined ? "" : splitQName(raw.trim()).local.toLowerCase();
}

function follow(href: string, state: DecodeState, depth: number): SoapValue {
  const id = href.startsWith("#") ? href.slice(1) : href;
  const target = state.refs.get(id);
  if (target === undefined) throw new SoapDecodeError(`multi-ref href ${snippet(href)} points at no element`);
  if (state.following.has(id)) throw new SoapDecodeError(`multi-ref ${snippet(id)} refers to itself`);
  state.following.add(id);
  try {
    return decode(target, state, depth + 1);
  } finally {
    state.following.delete(id);
  }
}

/** Builds a map from entries without letting a key like `__proto__` touch the prototype. */
function toMap(entries: [string, SoapValue][]): SoapValue {
  // PHP has no empty map: an empty associative array is an empty list.
  return entries.length === 0 ? [] : (Object.fromEntries(entries) as SoapMap);
}

function decodeMap(el: XmlElement, state: DecodeState, depth: number): SoapValue {
  const entries: [string, SoapValue][] = [];
  for (const item of el.children) {
    const keyEl = item.children.find((c) => c.local === "key");
    const valueEl = item.children.find((c) => c.local === "value");
    if (keyEl === undefined) throw new SoapDecodeError(`map item in ${describe(el)} has no <key>`);
    const key = decode(keyEl, state, depth + 1);
    entries.push([key === null ? "" : String(key), valueEl === undefined ? null : decode(valueEl, state, depth + 1)]);
  }
  return toMap(entries);
}

/** A struct's members are its child elements; a name that repeats collects into a list, as PHP does. */
function decodeStruct(el: XmlElement, state: DecodeState, depth: number): SoapValue {
  const members = new Map<string, SoapValue[]>();
  for (const child of el.children) {
    const values = members.get(child.local) ?? [];
    values.push(decode(child, state, depth + 1));
    members.set(child.local, values);
  }
  return toMap([...members].map(([name, values]): [string, SoapValue] => [name, values.length === 1 ? (values[0] ?? null) : values]));
}

function isMapItem(el: XmlElement): boolean {
  return el.children.some((c) => c.local === "key") && el.children.every((c) => c.local === "key" || c.local === "value");
}

function infer(el: XmlElement, state: DecodeState, depth: number): SoapValue {
  if (el.children.length === 0) return el.text;
  if (el.children.every(isMapItem)) return decodeMap(el, state, depth);
  return decodeStruct(el, state, depth);
}

/** As PHP reads it: "true"/"1" and "false"/"0", any other non-empty text is true, empty is null. */
function decodeBoolean(el: XmlElement): boolean | null {
  const text = el.text.trim().toLowerCase();
  if (text === "") return null;
  return !(text === "false" || text === "0");
}

/** Empty numeric elements are null, as PHP reads them. */
function decodeInteger(el: XmlElement): number | null {
  const text = el.text.trim();
  if (text === "") return null;
  if (!/^[+-]?[0-9]+$/.test(text)) {
    // Some stacks label any number xsd:int; a fraction or exponent is still a number.
    return decodeFloat(el);
  }
  return Number(text);
}

function decodeFloat(el: XmlElement): number | null {
  const text = el.text.trim();
  const upper = text.toUpperCase();
  if (upper === "INF" || upper === "+INF" || upper === "INFINITY") return Infinity;
  if (upper === "-INF" || upper === "-INFINITY") return -Infinity;
  if (upper === "NAN") return NaN;
  if (text === "") return null;
  const n = Number(text);
  if (Number.isNaN(n)) throw new SoapDecodeError(`${describe(el)} is typed as a number but holds ${snippet(el.text)}`);
  return n;
}
