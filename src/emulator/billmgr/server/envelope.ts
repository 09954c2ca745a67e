/**
 * BILLmanager's answers as `out=json` writes them: XML mapped to JSON with the root `doc`, an
 * element's text in `"$"` and attributes as `"$name"` keys; every value is text. The quirk the
 * real one has is kept on purpose: a list (rows, selects, options) with exactly one entry comes
 * back as that object, not an array of one, and an empty list leaves the key out. Errors are
 * `doc.error` with `$type`, `$object` and `msg.$`, sent as HTTP 200.
 */
import type { BillmgrErrorType, DocAnswer, Slist } from "../model/index.js";

export const JSON_TYPE = "application/json; charset=utf-8";

type Node = Record<string, unknown>;

const text = (value: string): Node => ({ $: value });

/** One entry as itself, several as an array, none as undefined (the key is then left out). */
function quirky<T>(items: T[]): T | T[] | undefined {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items;
}

function head(fn: string): Node {
  return { $lang: "en", $func: fn };
}

export function docBody(fn: string, answer: DocAnswer): string {
  const doc: Node = head(fn);
  for (const [key, value] of Object.entries(answer.fields ?? {})) doc[key] = text(value);
  if (answer.elems !== undefined) {
    const rows = answer.elems.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, text(v)])));
    const elem = quirky(rows);
    if (elem !== undefined) doc["elem"] = elem;
  }
  const slist = quirky((answer.slists ?? []).map(slistNode));
  if (slist !== undefined) doc["slist"] = slist;
  if (answer.auth) doc["auth"] = { $id: answer.auth.id, $level: answer.auth.level, $: answer.auth.id };
  if (answer.ok) doc["ok"] = {};
  return JSON.stringify({ doc });
}

function slistNode(s: Slist): Node {
  const node: Node = { $name: s.name };
  const val = quirky(s.options.map((o) => ({ $key: o.key, $: o.text })));
  if (val !== undefined) node["val"] = val;
  return node;
}

export function errorBody(fn: string, type: BillmgrErrorType, object: string, message: string): string {
  return JSON.stringify({
    doc: {
      ...head(fn),
      error: { $type: type, $object: object, $lang: "en", param: { $name: "object", $type: "msg", $: object }, msg: text(message) },
    },
  });
}

/** What the returnNull knob answers: a `doc` with nothing in it (no ok, no id, no error). */
export function emptyBody(fn: string): string {
  return JSON.stringify({ doc: head(fn) });
}
