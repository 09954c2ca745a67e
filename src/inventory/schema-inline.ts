/**
 * A kind's schema with its `$ref`s replaced by the schemas they name, before ajv compiles it.
 * ajv compiles a referenced schema that itself has references into a function of its own and
 * gathers that function's errors with `errors.concat(…)`, copying every error so far at every
 * call: a group of 10,000 sites each missing a field took minutes (quadratic). Inlined, every
 * error is one push. Meaning is unchanged: `{$ref: R}` alone becomes R's schema object itself
 * (so an error's parentSchema, whose title and examples word it, is the one it was), and `$ref`
 * beside other keywords becomes `allOf: [R]` beside them. A reference that would expand into
 * itself is left to ajv. Pure; the schemas in the provider folders are not changed.
 */
import { isRecord } from "./field-path.js";

type Schema = Record<string, unknown>;

/** Keywords whose values are data, not schemas: never searched for references. */
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);

/**
 * `schema` with every reference to its own `#/…` pointers and to `services.schema.json` (the
 * kind's field schema, `#/…` pointers inside it resolved against it) inlined.
 */
export function inlineRefs(schema: Schema, services: Schema): Schema {
  const inliner = new Inliner({ self: schema, services });
  const out = inliner.node(schema, "self");
  return isRecord(out) ? out : schema;
}

type DocName = "self" | "services";

class Inliner {
  private readonly done = new Map<string, unknown>();
  private readonly expanding = new Set<string>();

  constructor(private readonly docs: Readonly<Record<DocName, Schema>>) {}

  node(value: unknown, doc: DocName): unknown {
    if (Array.isArray(value)) return value.map((item) => this.node(item, doc));
    if (!isRecord(value)) return value;
    const ref = value.$ref;
    const target = typeof ref === "string" ? this.target(ref, doc) : undefined;
    const out: Schema = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && target !== undefined) continue;
      out[key] = DATA_KEYWORDS.has(key) ? child : this.node(child, doc);
    }
    if (target === undefined) return out;
    if (Object.keys(out).length === 0) return target;
    out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), target];
    return out;
  }

  /** The inlined schema a reference names, or undefined to leave the reference as it is. */
  private target(ref: string, from: DocName): unknown {
    const hash = ref.indexOf("#");
    const file = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? "" : ref.slice(hash + 1);
    const doc: DocName | undefined = file === "" ? from : file === "services.schema.json" ? "services" : undefined;
    if (doc === undefined) return undefined;
    const key = `${doc}#${pointer}`;
    if (this.done.has(key)) return this.done.get(key);
    if (this.expanding.has(key)) return undefined;
    const found = resolvePointer(this.docs[doc], pointer);
    if (found === undefined) return undefined;
    this.expanding.add(key);
    let inlined = this.node(found, doc);
    // A whole document inlined keeps its keywords but not its identity: two copies with one `$id` would clash.
    if (pointer === "" && isRecord(inlined)) {
      const { $id: _id, $schema: _schema, ...rest } = inlined;
      inlined = rest;
    }
    this.expanding.delete(key);
    this.done.set(key, inlined);
    return inlined;
  }
}

function resolvePointer(doc: Schema, pointer: string): unknown {
  if (pointer === "") return doc;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}
