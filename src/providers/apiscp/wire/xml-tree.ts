/**
 * Reads an XML document into a small namespace-aware element tree, over fast-xml-parser.
 * It owns the safety rules for untrusted input: no DOCTYPE (so no entity expansion), only the
 * five XML entities and character references are decoded (in one pass, so `&amp;lt;` stays
 * `&lt;`), and anything malformed becomes a SoapDecodeError. It knows nothing about SOAP.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { CONVENTIONAL_PREFIXES } from "./namespaces.js";
import { SoapDecodeError } from "./decode-error.js";

export interface XmlElement {
  /** The qualified name as written, e.g. `SOAP-ENV:Body`. */
  name: string;
  local: string;
  /** The namespace URI the prefix resolves to, or undefined when unbound/unprefixed-without-default. */
  uri: string | undefined;
  /** Attributes by qualified name, values entity-decoded. */
  attrs: ReadonlyMap<string, string>;
  /** Prefix → URI bindings in scope here ("" is the default namespace). */
  scope: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** Direct text and CDATA content, concatenated; comments are dropped. */
  text: string;
}

type FxpNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded here instead: the parser's own handling skips character references.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: "#cdata",
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
});

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML line-end normalisation, then entity decoding; `&#13;` therefore survives as CR. */
function decodeText(raw: string): string {
  return raw.replace(/\r\n?/g, "\n").replace(ENTITY, (whole, hex?: string, dec?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? "", 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** True when a DOCTYPE appears before the root element; fast-xml-parser would expand its entities. */
function hasDoctype(xml: string): boolean {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml.charAt(i))) i++;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i);
      if (end < 0) return false;
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i);
      if (end < 0) return false;
      i = end + 3;
    } else {
      return xml.slice(i, i + 9).toUpperCase() === "<!DOCTYPE";
    }
  }
}

/** Parses a whole document and returns its root element. */
export function parseXml(input: string): XmlElement {
  const xml = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (xml.trim() === "") throw new SoapDecodeError("empty document: expected a SOAP envelope");
  if (hasDoctype(xml)) throw new SoapDecodeError("DOCTYPE is not allowed in a SOAP message");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new SoapDecodeError(`malformed XML at line ${line}, column ${col}: ${msg.slice(0, 160)}`);
  }
  let roots: XmlElement[];
  try {
    const nodes: unknown = parser.parse(xml);
    roots = Array.isArray(nodes) ? toElements(nodes as FxpNode[], new Map()) : [];
  } catch (err) {
    // A RangeError here is a document nested deep enough to exhaust the stack.
    throw new SoapDecodeError(`malformed XML: ${err instanceof Error ? err.message.slice(0, 160) : "parse failed"}`);
  }
  const root = roots[0];
  if (root === undefined) throw new SoapDecodeError("no root element: expected a SOAP envelope");
  return root;
}

function toElements(nodes: FxpNode[], parentScope: ReadonlyMap<string, string>): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ":@");
    if (name === undefined || name === "#text" || name === "#cdata") continue;
    out.push(toElement(name, node, parentScope));
  }
  return out;
}

function toElement(name: string, node: FxpNode, parentScope: ReadonlyMap<string, string>): XmlElement {
  const attrs = new Map<string, string>();
  const rawAttrs = node[":@"];
  if (typeof rawAttrs === "object" && rawAttrs !== null) {
    for (const [k, v] of Object.entries(rawAttrs)) attrs.set(k, decodeText(typeof v === "string" ? v : ""));
  }
  let scope = parentScope;
  for (const [k, v] of attrs) {
    if (k === "xmlns" || k.startsWith("xmlns:")) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(k === "xmlns" ? "" : k.slice(6), v);
    }
  }
  const content = Array.isArray(node[name]) ? (node[name] as FxpNode[]) : [];
  let text = "";
  for (const child of content) {
    if (typeof child["#text"] === "string") text += decodeText(child["#text"]);
    const cdata = child["#cdata"];
    if (Array.isArray(cdata)) {
      // CDATA is literal: no entity decoding, only line-end normalisation.
      for (const part of cdata as FxpNode[]) if (typeof part["#text"] === "string") text += part["#text"].replace(/\r\n?/g, "\n");
    }
  }
  const { prefix, local } = splitQName(name);
  return {
    name,
    local,
    uri: resolvePrefix(scope, prefix),
    attrs,
    scope,
    children: toElements(content, scope),
    text,
  };
}

export function splitQName(qname: string): { prefix: string; local: string } {
  const colon = qname.indexOf(":");
  return colon < 0 ? { prefix: "", local: qname } : { prefix: qname.slice(0, colon), local: qname.slice(colon + 1) };
}

function resolvePrefix(scope: ReadonlyMap<string, string>, prefix: string): string | undefined {
  return scope.get(prefix) ?? (prefix === "" ? undefined : CONVENTIONAL_PREFIXES[prefix]);
}

/** The value of the attribute `{uri}local`, however the document prefixed it. */
export function attrNs(el: XmlElement, uri: string, local: string): string | undefined {
  for (const [name, value] of el.attrs) {
    const q = splitQName(name);
    if (q.prefix !== "" && q.local === local && resolvePrefix(el.scope, q.prefix) === uri) return value;
  }
  return undefined;
}

/** Describes an element for an error message without quoting content. */
export function describe(el: XmlElement): string {
  return `<${el.name.length > 60 ? `${el.name.slice(0, 60)}…` : el.name}>`;
}
