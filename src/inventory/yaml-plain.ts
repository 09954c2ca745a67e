/**
 * A composed YAML document turned into plain data (maps as objects, lists as arrays) in one
 * linear pass, and its duplicate keys found in another. The YAML library's own `uniqueKeys`
 * compares each key with every earlier one (quadratic: 20,000 keys take over a second) and its
 * `toJS` looks up every alias by scanning every anchor and alias before it (quadratic again);
 * here both are a Set or Map lookup. Also bounds what aliases expand to (MAX_EXPANDED_VALUES).
 * Knows YAML, not the inventory. Pure.
 */
import { YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Pair } from "yaml";
import { MAX_EXPANDED_VALUES } from "./limits.js";

/** Where conversion stopped and why; the offset is into the file's text. */
export interface PlainProblem {
  offset: number;
  reason: "unknown-anchor" | "recursive-alias" | "too-many-values";
  message: string;
}

export type PlainResult =
  | { ok: true; value: unknown; targets: ReadonlyMap<Alias, unknown> }
  | { ok: false; problem: PlainProblem };

/** Every key of a mapping that repeats an earlier key of the same mapping, as YAML's DUPLICATE_KEY errors at the repeat. */
export function duplicateKeys(doc: Document): YAMLParseError[] {
  const found: YAMLParseError[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      // Keyed by the scalar value itself, as the library compares them: `1` and `"1"` are different keys.
      const seen = new Set<unknown>();
      for (const item of node.items) {
        const key: unknown = item.key;
        if (isScalar(key)) {
          if (seen.has(key.value)) {
            const at = key.range?.[0] ?? 0;
            found.push(new YAMLParseError([at, at + 1], "DUPLICATE_KEY", "Map keys must be unique"));
          }
          seen.add(key.value);
        }
        visit(key);
        visit(item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    } else if (isPair(node)) {
      visit(node.key);
      visit(node.value);
    }
  };
  visit(doc.contents);
  return found;
}

class Stop extends Error {
  constructor(readonly problem: PlainProblem) {
    super(problem.message);
  }
}

/**
 * The document's value. An alias is the same object as its anchor's value (as the library
 * makes it), and counts as a copy of it toward MAX_EXPANDED_VALUES, since every check walks it
 * again. Call only on a document without errors.
 */
export function toPlain(doc: Document): PlainResult {
  const converter = new Converter();
  try {
    const value = converter.value(doc.contents);
    return { ok: true, value, targets: converter.targets };
  } catch (err) {
    if (err instanceof Stop) return { ok: false, problem: err.problem };
    throw err;
  }
}

interface Done {
  value: unknown;
  /** How many values the node stands for, aliases expanded. */
  size: number;
}

class Converter {
  /** The latest node of each anchor name so far, in document order: an alias means the closest anchor before it. */
  private readonly anchors = new Map<string, unknown>();
  /** Anchored nodes already converted, with what they expand to. */
  private readonly done = new Map<unknown, Done>();
  readonly targets = new Map<Alias, unknown>();
  private count = 0;

  value(node: unknown): unknown {
    if (isAlias(node)) return this.alias(node);
    const start = this.count;
    this.count++;
    const anchor = isScalar(node) || isMap(node) || isSeq(node) ? node.anchor : undefined;
    if (anchor !== undefined) this.anchors.set(anchor, node);
    let value: unknown;
    if (isScalar(node)) value = node.value;
    else if (isSeq(node)) value = node.items.map((item) => this.value(item));
    else if (isMap(node)) value = this.map(node.items);
    else value = null;
    if (anchor !== undefined) this.done.set(node, { value, size: this.count - start });
    return value;
  }

  private map(items: ReadonlyArray<Pair<unknown, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of items) {
      const key = this.key(pair.key);
      const value = this.value(pair.value);
      // A `__proto__` key is data, not the object's prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  /** A key as the library writes it into an object: its scalar value as text, `""` for an empty key. */
  private key(node: unknown): string {
    const value = this.value(node);
    if (value === null || value === undefined) return "";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  private alias(node: Alias): unknown {
    const at = node.range?.[0] ?? 0;
    const target = this.anchors.get(node.source);
    if (target === undefined) {
      throw new Stop({ offset: at, reason: "unknown-anchor", message: `the alias \`*${node.source}\` has no anchor \`&${node.source}\` before it` });
    }
    const done = this.done.get(target);
    if (done === undefined) {
      // Its anchor is still being converted: the alias is inside the value it names.
      throw new Stop({ offset: at, reason: "recursive-alias", message: `the alias \`*${node.source}\` is inside the value its anchor names` });
    }
    this.targets.set(node, target);
    this.count += done.size;
    if (this.count > MAX_EXPANDED_VALUES) {
      throw new Stop({ offset: at, reason: "too-many-values", message: "too many values" });
    }
    return done.value;
  }
}
