/**
 * Reads a SOAP document straight into values, in one streaming pass over saxes: each element's
 * value is made when its end tag is read, from its attributes, its text and its children's
 * values, and the element is forgotten. No tree of the document is ever built, so decoding an
 * answer of 10,000 sites costs the values it yields and little more.
 *
 * It owns the safety rules for untrusted input: no DOCTYPE (so no entity expansion), only the
 * five XML entities and character references are decoded, once (so `&amp;lt;` stays `&lt;`),
 * nesting is bounded, and anything malformed becomes a SoapDecodeError.
 *
 * The decoding rules are tolerant by design, because the peer may be real ApisCP, PHP or any
 * SOAP stack: type names are matched by local name whatever their prefix, integer and float
 * flavours all become numbers, untyped elements are inferred from their shape, SOAP-ENC structs
 * become maps, and multi-ref `href="#id"` values are followed (references.ts). Where PHP has an
 * opinion about odd input (empty typed scalars are null, any non-false boolean text is true) it
 * follows PHP. It refuses only what has no sensible reading: a number that is not one, a
 * dangling or cyclic reference.
 */
import { SaxesParser, type SaxesAttributePlain, type SaxesTagPlain } from "saxes";
import { CONVENTIONAL_PREFIXES, NS } from "./namespaces.js";
import { SoapDecodeError, snippet } from "./decode-error.js";
import { setOwn as setMember } from "./own-key.js";
import { PendingMap, Reference, resolveReferences } from "./references.js";
import type { SoapMap, SoapValue } from "./value.js";

/** A read element as its parent sees it. */
export interface ReadElement {
  /** The qualified name as written, e.g. `SOAP-ENV:Body`. */
  name: string;
  local: string;
  /** Its `id` attribute (a multi-ref target), if any. */
  id: string | undefined;
  /** Direct text and CDATA content, concatenated; comments are dropped. */
  text: string;
  /**
   * Its value, or undefined while not needed yet: a map item's own value (a struct of its key
   * and value) is made only when something reads it as a struct rather than as a map entry.
   */
  value: SoapValue | undefined;
  /** For a map item (`<key>` and `<value>` children): the key's and the value's values. */
  entry: { key: SoapValue; value: SoapValue } | undefined;
  /** Children, kept only near the top (the Body's, the operation's and the fault's) and for items. */
  children: ReadElement[] | undefined;
}

/** What a document holds for the envelope reader: the root and the Body's children. */
export interface ReadDocument {
  root: ReadElement;
  /** Undefined when the root has no Body. */
  body: ReadElement[] | undefined;
}

interface Frame {
  name: string;
  local: string;
  scope: Scope;
  /** The lower-cased local name of `xsi:type`, "" when untyped. */
  type: string;
  nil: boolean;
  href: string | undefined;
  id: string | undefined;
  arrayTyped: boolean;
  text: string;
  children: ReadElement[];
}

const INTEGER_TYPES = new Set([
  "int", "integer", "long", "short", "byte", "unsignedint", "unsignedlong", "unsignedshort", "unsignedbyte",
  "nonnegativeinteger", "positiveinteger", "negativeinteger", "nonpositiveinteger",
]);
const FLOAT_TYPES = new Set(["float", "double", "decimal"]);
const LIST_TYPES = new Set(["array", "vector"]);
const INFERRED_TYPES = new Set(["anytype", "ur-type", "anysimpletype"]);

/** Values nested deeper than this below the operation are refused rather than risking the stack. */
const MAX_DEPTH = 256;
/** Envelope, Body and the operation sit above the values. */
const ABOVE_VALUES = 3;
/** Elements at this depth or above keep their children for the envelope reader. */
const KEEP_CHILDREN_DEPTH = 3;

/**
 * The namespace bindings in scope, and what each attribute name means under them: the same
 * few names (`xsi:type`, `SOAP-ENC:arrayType`) come on every element, so each is worked out
 * once per scope, not once per element.
 */
class Scope {
  private readonly bindings: Map<string, string>;
  private readonly meanings = new Map<string, AttributeMeaning>();

  constructor(parent?: Scope) {
    this.bindings = new Map(parent?.bindings);
  }

  child(): Scope {
    return new Scope(this);
  }

  bind(prefix: string, uri: string): void {
    this.bindings.set(prefix, uri);
  }

  attributeMeaning(attribute: string): AttributeMeaning {
    let meaning = this.meanings.get(attribute);
    if (meaning === undefined) {
      meaning = "";
      const colon = attribute.indexOf(":");
      // An unprefixed attribute is in no namespace.
      if (colon > 0) {
        const prefix = attribute.slice(0, colon);
        const local = attribute.slice(colon + 1);
        const uri = this.bindings.get(prefix) ?? CONVENTIONAL_PREFIXES[prefix];
        if (uri === NS.xsi) meaning = local === "type" ? "type" : local === "nil" || local === "null" ? "nil" : "";
        else if (uri === NS.enc && local === "arrayType") meaning = "arrayType";
      }
      this.meanings.set(attribute, meaning);
    }
    return meaning;
  }
}

/** The attributes the decoding rules read; "" for any other. */
type AttributeMeaning = "type" | "nil" | "arrayType" | "";

const ROOT_SCOPE = new Scope();

const typeNames = new Map<string, string>();
/** The lower-cased local name of an `xsi:type` value; the few values seen are remembered. */
function typeName(raw: string): string {
  let name = typeNames.get(raw);
  if (name === undefined) {
    const trimmed = raw.trim();
    name = trimmed.slice(trimmed.indexOf(":") + 1).toLowerCase();
    if (typeNames.size < 256) typeNames.set(raw, name);
  }
  return name;
}

/**
 * Whether a DOCTYPE comes before the root element, as far as the text read so far tells:
 * undefined while the prolog (white space, processing instructions, comments) is not over yet.
 */
function doctypeAhead(xml: string, complete: boolean): boolean | undefined {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml.charAt(i))) i++;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i);
      if (end < 0) return complete ? false : undefined;
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i);
      if (end < 0) return complete ? false : undefined;
      i = end + 3;
    } else {
      if (!complete && xml.length - i < DOCTYPE.length) return undefined;
      return xml.slice(i, i + DOCTYPE.length).toUpperCase() === DOCTYPE;
    }
  }
}

const DOCTYPE = "<!DOCTYPE";

/** Describes an element for an error message without quoting content. */
function describeElement(name: string): string {
  return `<${name.length > 60 ? `${name.slice(0, 60)}…` : name}>`;
}

/** Reads a whole document; the values of everything below the Body's children are made on the way. */
export function readDocument(xml: string): ReadDocument {
  const reader = new DocumentReader();
  reader.write(xml);
  return reader.end();
}

/**
 * A document read as it arrives, text chunk by text chunk: each chunk is parsed at once, so an
 * answer never needs to be held whole. Throws SoapDecodeError from write or end.
 */
export class DocumentReader {
  private readonly parser = new SaxesParser({ xmlns: false });
  private readonly open: Frame[] = [];
  private root: ReadElement | undefined;
  private body: ReadElement[] | undefined;
  /** Multi-ref targets by id, the first of each id. */
  private readonly targets = new Map<string, SoapValue>();
  private references = false;
  /** The attributes of the tag being opened. */
  private readonly attributes: SaxesAttributePlain[] = [];
  /** Text held back until the prolog shows there is no DOCTYPE; null once it has. */
  private head: string | null = "";
  private blank = true;

  constructor() {
    // Namespaces are resolved here, not by saxes: an unbound prefix is allowed (and looked up among the conventional ones).
    const parser = this.parser;
    parser.on("error", (err) => {
      throw new SoapDecodeError(`malformed XML at line ${parser.line}, column ${parser.column + 1}: ${err.message.replace(/^[^:]*:\d+:\d+: /, "").slice(0, 160)}`);
    });
    // Attributes are taken as saxes lists them, before their tag: cheaper than walking the tag's attribute object.
    parser.on("attribute", (attribute) => this.attributes.push(attribute as SaxesAttributePlain));
    parser.on("opentag", (tag) => this.openTag(tag));
    parser.on("closetag", () => this.closeTag());
    parser.on("text", (text) => this.addText(text));
    parser.on("cdata", (text) => this.addText(text));
  }

  /** True while nothing but white space has been read. */
  get empty(): boolean {
    return this.blank;
  }

  write(text: string): void {
    if (this.blank && text.trim() !== "") this.blank = false;
    if (this.head === null) {
      this.parser.write(text);
      return;
    }
    this.head += text;
    this.release(false);
  }

  end(): ReadDocument {
    if (this.head !== null) this.release(true);
    if (this.blank) throw new SoapDecodeError("empty document: expected a SOAP envelope");
    this.parser.close();
    if (this.root === undefined) throw new SoapDecodeError("no root element: expected a SOAP envelope");
    for (const element of this.body ?? []) {
      for (const child of element.children ?? []) {
        const value = valueOfElement(child);
        child.value = this.references ? resolveReferences(value, this.targets, MAX_DEPTH) : value;
      }
    }
    return { root: this.root, body: this.body };
  }

  /** Hands the held-back text to the parser once the prolog is known to have no DOCTYPE. */
  private release(complete: boolean): void {
    const held = this.head ?? "";
    const text = held.charCodeAt(0) === 0xfeff ? held.slice(1) : held;
    const doctype = doctypeAhead(text, complete);
    if (doctype === undefined) return;
    if (doctype) throw new SoapDecodeError("DOCTYPE is not allowed in a SOAP message");
    this.head = null;
    if (text !== "") this.parser.write(text);
  }

  private openTag(tag: SaxesTagPlain): void {
    const depth = this.open.length;
    if (depth > MAX_DEPTH + ABOVE_VALUES) throw new SoapDecodeError(`values nested deeper than ${MAX_DEPTH} levels`);
    const parentScope = this.open[depth - 1]?.scope ?? ROOT_SCOPE;
    const attributes = this.attributes;
    const name = tag.name;
    const colon = name.indexOf(":");
    const frame: Frame = { name, local: colon < 0 ? name : name.slice(colon + 1), scope: parentScope, type: "", nil: false, href: undefined, id: undefined, arrayTyped: false, text: "", children: [] };
    let scope = parentScope;
    for (const { name: attribute, value } of attributes) {
      if (attribute === "href") frame.href = value;
      else if (attribute === "id") frame.id = value;
      else if (attribute === "xmlns" || attribute.startsWith("xmlns:")) {
        if (scope === parentScope) scope = parentScope.child();
        scope.bind(attribute === "xmlns" ? "" : attribute.slice(6), value);
      }
    }
    frame.scope = scope;
    for (const { name: attribute, value } of attributes) {
      const meaning = scope.attributeMeaning(attribute);
      if (meaning === "") continue;
      if (meaning === "type") frame.type = typeName(value);
      else if (meaning === "nil") {
        const flag = value.trim();
        frame.nil = flag === "true" || flag === "1";
      } else frame.arrayTyped = true;
    }
    attributes.length = 0;
    if (depth === 0 && frame.local !== "Envelope") throw new SoapDecodeError(`not a SOAP envelope: the root element is ${describeElement(frame.name)}`);
    this.open.push(frame);
  }

  private closeTag(): void {
    const frame = this.open.pop();
    if (frame === undefined) return;
    const depth = this.open.length;
    const parent = this.open[depth - 1];
    // The envelope and the Body only carry elements; the Body's children carry the call or the answer.
    const valued = depth >= 2;
    const entry = valued ? mapEntry(frame) : undefined;
    // An untyped item is what PHP writes inside a map: its own value (a struct) is rarely wanted, so it waits.
    const lazy = entry !== undefined && frame.type === "" && !frame.nil && !frame.arrayTyped;
    const element: ReadElement = {
      name: frame.name,
      local: frame.local,
      id: frame.id,
      text: frame.text,
      value: undefined,
      entry,
      children: depth <= KEEP_CHILDREN_DEPTH || entry !== undefined || isItemShaped(frame.children) ? frame.children : undefined,
    };
    if (valued && (depth > 2 || frame.id !== undefined) && !lazy) element.value = this.valueOf(frame);
    if (valued && frame.id !== undefined && !this.targets.has(frame.id)) this.targets.set(frame.id, valueOfElement(element));
    if (parent !== undefined) parent.children.push(element);
    else this.root = element;
    if (depth === 1 && frame.local === "Body" && this.body === undefined) this.body = frame.children;
  }

  private addText(text: string): void {
    const frame = this.open[this.open.length - 1];
    // Text outside the root is white space (saxes refuses anything else).
    if (frame !== undefined) frame.text += text;
  }

  private valueOf(frame: Frame): SoapValue {
    if (frame.href !== undefined) {
      this.references = true;
      return new Reference(frame.href.startsWith("#") ? frame.href.slice(1) : frame.href) as unknown as SoapValue;
    }
    if (frame.nil) return null;
    const type = frame.type;
    if (type === "map") return mapValue(frame.children, frame.name, this);
    if (LIST_TYPES.has(type) || (type === "" && frame.arrayTyped)) return frame.children.map(valueOfElement);
    if (type === "struct") return structValue(frame.children);
    if (type === "" || INFERRED_TYPES.has(type)) return inferred(frame, this);
    if (type === "boolean") return booleanValue(frame.text);
    if (INTEGER_TYPES.has(type)) return integerValue(frame);
    if (FLOAT_TYPES.has(type)) return floatValue(frame);
    if (type === "base64binary") return Buffer.from(frame.text.replace(/\s+/g, ""), "base64").toString("utf8");
    if (type === "hexbinary") return Buffer.from(frame.text.trim(), "hex").toString("utf8");
    // string and every other simple or unknown type: the text as sent, or the shape if it has one.
    return frame.children.length > 0 ? inferred(frame, this) : frame.text;
  }

  /** A key that is itself a reference cannot be a property name until references are followed. */
  noteDeferredKey(): void {
    this.references = true;
  }
}

/** A child's value: a map item read as a struct of its key and value when it is not in a map. */
function valueOfElement(element: ReadElement): SoapValue {
  if (element.value !== undefined) return element.value;
  return structValue(element.children ?? []);
}

/** For an element whose children are a `<key>` and optionally a `<value>`: their values. */
function mapEntry(frame: Frame): { key: SoapValue; value: SoapValue } | undefined {
  const children = frame.children;
  if (children.length === 0 || children.length > 2 || frame.href !== undefined) return undefined;
  let key: ReadElement | undefined;
  let value: ReadElement | undefined;
  for (const child of children) {
    if (child.local === "key" && key === undefined) key = child;
    else if (child.local === "value" && value === undefined) value = child;
    else return undefined;
  }
  if (key === undefined) return undefined;
  return { key: valueOfElement(key), value: value === undefined ? null : valueOfElement(value) };
}

function mapValue(children: readonly ReadElement[], name: string, reader: DocumentReader): SoapValue {
  // PHP has no empty map: an empty associative array is an empty list.
  if (children.length === 0) return [];
  let deferred: Array<[SoapValue, SoapValue]> | undefined;
  const map: SoapMap = {};
  for (const child of children) {
    const entry = child.entry ?? itemEntry(child, name);
    if (entry.key instanceof Reference) {
      deferred = [];
      break;
    }
    setMember(map, entry.key === null ? "" : String(entry.key), entry.value);
  }
  if (deferred === undefined) return map;
  reader.noteDeferredKey();
  for (const child of children) {
    const entry = child.entry ?? itemEntry(child, name);
    deferred.push([entry.key, entry.value]);
  }
  return new PendingMap(deferred) as unknown as SoapValue;
}

/** A map item that is not plainly `<key>`+`<value>` (more children, or several keys): its first key and value. */
function itemEntry(item: ReadElement, name: string): { key: SoapValue; value: SoapValue } {
  const children = item.children ?? [];
  const key = children.find((c) => c.local === "key");
  if (key === undefined) throw new SoapDecodeError(`map item in ${describeElement(name)} has no <key>`);
  const value = children.find((c) => c.local === "value");
  return { key: valueOfElement(key), value: value === undefined ? null : valueOfElement(value) };
}

/** A struct's members are its child elements; a name that repeats collects into a list, as PHP does. */
function structValue(children: readonly ReadElement[]): SoapValue {
  if (children.length === 0) return [];
  const struct: SoapMap = {};
  let repeated: Set<string> | undefined;
  for (const child of children) {
    const value = valueOfElement(child);
    if (!Object.hasOwn(struct, child.local)) setMember(struct, child.local, value);
    else if (repeated?.has(child.local) === true) (struct[child.local] as SoapValue[]).push(value);
    else {
      (repeated ??= new Set()).add(child.local);
      setMember(struct, child.local, [struct[child.local] as SoapValue, value]);
    }
  }
  return struct;
}

/** An element with no type: text when it has no children, a map when every child is a key/value item, a struct otherwise. */
function inferred(frame: Frame, reader: DocumentReader): SoapValue {
  const children = frame.children;
  if (children.length === 0) return frame.text;
  if (children.every((c) => c.entry !== undefined || isLooseItem(c))) return mapValue(children, frame.name, reader);
  return structValue(children);
}

/** A map item with a `<key>` among only `<key>`/`<value>` children (repeats allowed). */
function isLooseItem(element: ReadElement): boolean {
  return element.children !== undefined && isItemShaped(element.children);
}

function isItemShaped(children: readonly ReadElement[]): boolean {
  return children.some((c) => c.local === "key") && children.every((c) => c.local === "key" || c.local === "value");
}


/** As PHP reads it: "true"/"1" and "false"/"0", any other non-empty text is true, empty is null. */
function booleanValue(raw: string): boolean | null {
  const text = raw.trim().toLowerCase();
  if (text === "") return null;
  return !(text === "false" || text === "0");
}

/** Empty numeric elements are null, as PHP reads them. */
function integerValue(frame: Frame): number | null {
  const text = frame.text.trim();
  if (text === "") return null;
  // Some stacks label any number xsd:int; a fraction or exponent is still a number.
  if (!/^[+-]?[0-9]+$/.test(text)) return floatValue(frame);
  return Number(text);
}

function floatValue(frame: Frame): number | null {
  const text = frame.text.trim();
  const upper = text.toUpperCase();
  if (upper === "INF" || upper === "+INF" || upper === "INFINITY") return Infinity;
  if (upper === "-INF" || upper === "-INFINITY") return -Infinity;
  if (upper === "NAN") return NaN;
  if (text === "") return null;
  const n = Number(text);
  if (Number.isNaN(n)) throw new SoapDecodeError(`${describeElement(frame.name)} is typed as a number but holds ${snippet(frame.text)}`);
  return n;
}
