/**
 * Reading BILLmanager's `out=json` answer: the XML document mapped to JSON, `{"doc":{…}}`, where
 * an element's text is under `"$"` and its attributes under `"$name"`. Pure helpers for that
 * mapping (text, attribute, the one-row normaliser: a list of one comes back as an object), and
 * the decoder that says what a body is: a document, BILLmanager's refusal (`doc.error` with its
 * `$type`, `$object` and `msg.$`), or nothing readable. What that means for the call (retry,
 * unknown outcome) is the caller's business.
 */

export type Node = Readonly<Record<string, unknown>>;

export type Envelope =
  | { kind: "doc"; doc: Node }
  /** `doc.error`: BILLmanager refused the call; `type` is e.g. `auth`, `access`, `exist`, `value`, `missed`. */
  | { kind: "error"; type: string; object: string | null; msg: string }
  | { kind: "unreadable"; detail: string };

export function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The text of an element: `{"$": "text"}` as BILLmanager writes it, a bare string or number as
 * some versions write short values, undefined when the element is absent or has no text.
 */
export function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (isNode(value)) return text(value.$);
  // `out=sjson` and some list cells wrap a value in a one-element array.
  if (Array.isArray(value) && value.length === 1) return text(value[0]);
  return undefined;
}

/** The attribute `name` of an element (`"$name"` in JSON), as text. */
export function attr(value: unknown, name: string): string | undefined {
  return isNode(value) ? text(value[`$${name}`]) : undefined;
}

/** The text of the child element `name` of a node. */
export function field(node: Node, name: string): string | undefined {
  return text(node[name]);
}

/** A repeated element as a list: BILLmanager writes a list of one as the bare object, and none as nothing. */
export function rows(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** `doc.ok`: BILLmanager's "done" for an action (sometimes with a URL as its text). */
export function isOk(doc: Node): boolean {
  return doc.ok !== undefined && doc.ok !== null;
}

/** `doc.id.$`: the new service's id after an order with `skipbasket=on`. */
export function docId(doc: Node): string | undefined {
  const id = text(doc.id);
  return id === undefined || id.trim() === "" ? undefined : id.trim();
}

/** Decodes a response body. Never throws. */
export function decodeEnvelope(body: string): Envelope {
  const trimmed = body.trim();
  if (trimmed === "") return { kind: "unreadable", detail: "an empty body" };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: "unreadable", detail: `a body that is not JSON (${describeStart(trimmed)})` };
  }
  if (!isNode(value)) return { kind: "unreadable", detail: "JSON that is not an object" };
  const doc = value.doc;
  if (!isNode(doc)) return { kind: "unreadable", detail: "JSON without a doc object (is out=json honoured?)" };
  if (doc.error !== undefined && doc.error !== null) {
    const error = doc.error;
    const type = attr(error, "type");
    const msg = isNode(error) ? text(error.msg) : text(error);
    return {
      kind: "error",
      type: type === undefined || type.trim() === "" ? "unknown" : type.trim(),
      object: attr(error, "object") ?? null,
      msg: msg === undefined || msg.trim() === "" ? "no message given" : msg.trim(),
    };
  }
  return { kind: "doc", doc };
}

/** What a non-JSON body starts with, for a message: HTML pages say so by their first tag. */
function describeStart(body: string): string {
  if (/^<(!doctype html|html)/i.test(body)) return "an HTML page";
  if (/^<\?xml|^<doc[\s>]/i.test(body)) return "an XML document: out=json was ignored";
  const first = body.slice(0, 40).replace(/[^\x20-\x7e]/g, "?");
  return `starting ${JSON.stringify(first)}`;
}
