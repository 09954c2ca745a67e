/**
 * Reads an XML document into a small namespace-aware element tree, in one streaming pass over
 * saxes (which checks well-formedness as it reads, so no separate validation pass). It owns the
 * safety rules for untrusted input: no DOCTYPE (so no entity expansion), only the five XML
 * entities and character references are decoded, once (so `&amp;lt;` stays `&lt;`), and
 * anything malformed becomes a SoapDecodeError. It knows nothing about SOAP.
 */
import { SaxesParser, type SaxesTagPlain } from "saxes";
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

/** True when a DOCTYPE appears before the root element: its entities are never expanded, so it is refused. */
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

const EMPTY_SCOPE: ReadonlyMap<string, string> = new Map();

/** Parses a whole document and returns its root element. */
export function parseXml(input: string): XmlElement {
  const xml = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (xml.trim() === "") throw new SoapDecodeError("empty document: expected a SOAP envelope");
  if (hasDoctype(xml)) throw new SoapDecodeError("DOCTYPE is not allowed in a SOAP message");
  // Namespaces are resolved here, not by saxes: an unbound prefix is allowed (and looked up among the conventional ones).
  const parser = new SaxesParser({ xmlns: false });
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: string | null = null;
  parser.on("error", (err) => {
    failure ??= `malformed XML at line ${parser.line}, column ${parser.column + 1}: ${err.message.replace(/^[^:]*:\d+:\d+: /, "").slice(0, 160)}`;
  });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    const parentScope = open.at(-1)?.scope ?? EMPTY_SCOPE;
    const attrs = new Map<string, string>(Object.entries(tag.attributes));
    let scope = parentScope;
    for (const [k, v] of attrs) {
      if (k === "xmlns" || k.startsWith("xmlns:")) {
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(k === "xmlns" ? "" : k.slice(6), v);
      }
    }
    const { prefix, local } = splitQName(tag.name);
    const element: XmlElement = { name: tag.name, local, uri: resolvePrefix(scope, prefix), attrs, scope, children: [], text: "" };
    const parent = open.at(-1);
    if (parent === undefined) root ??= element;
    else parent.children.push(element);
    open.push(element);
  });
  parser.on("closetag", () => {
    open.pop();
  });
  // Text outside the root is white space (saxes refuses anything else); CDATA is literal.
  const addText = (text: string): void => {
    const current = open.at(-1);
    if (current !== undefined) current.text += text;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.write(xml);
  if (failure === null) parser.close();
  if (failure !== null) throw new SoapDecodeError(failure);
  if (root === undefined) throw new SoapDecodeError("no root element: expected a SOAP envelope");
  return root;
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
