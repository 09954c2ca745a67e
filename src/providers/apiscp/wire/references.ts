/**
 * SOAP 1.1 multi-ref values (`href="#id"` pointing at an element with `id="id"`), which some
 * stacks write for shared values. A streaming read meets a reference before its target, so it
 * leaves a placeholder and the finished values are walked once at the end, only when the
 * document had any reference: each reference becomes a fresh copy of its target's value.
 */
import { SoapDecodeError, snippet } from "./decode-error.js";
import { setOwn as setMember } from "./own-key.js";
import type { SoapMap, SoapValue } from "./value.js";

/** Where a value is another element's. */
export class Reference {
  constructor(readonly id: string) {}
}

/** A map whose keys are not known until references are followed. */
export class PendingMap {
  constructor(readonly entries: ReadonlyArray<readonly [SoapValue, SoapValue]>) {}
}

/** `value` with every reference replaced by its target's value; dangling, cyclic or too deep ones are refused. */
export function resolveReferences(value: SoapValue, targets: ReadonlyMap<string, SoapValue>, maxDepth: number): SoapValue {
  const following = new Set<string>();
  const resolve = (v: SoapValue, depth: number): SoapValue => {
    if (depth > maxDepth) throw new SoapDecodeError(`values nested deeper than ${maxDepth} levels`);
    const placeholder = v as unknown;
    if (placeholder instanceof Reference) {
      const target = targets.get(placeholder.id);
      if (target === undefined) throw new SoapDecodeError(`multi-ref href ${snippet(`#${placeholder.id}`)} points at no element`);
      if (following.has(placeholder.id)) throw new SoapDecodeError(`multi-ref ${snippet(placeholder.id)} refers to itself`);
      following.add(placeholder.id);
      try {
        return resolve(target, depth + 1);
      } finally {
        following.delete(placeholder.id);
      }
    }
    if (placeholder instanceof PendingMap) {
      const map: SoapMap = {};
      for (const [key, item] of placeholder.entries) {
        const name = resolve(key, depth + 1);
        setMember(map, name === null ? "" : String(name), resolve(item, depth + 1));
      }
      return placeholder.entries.length === 0 ? [] : map;
    }
    if (Array.isArray(v)) return v.map((item) => resolve(item, depth + 1));
    if (typeof v === "object" && v !== null) {
      const map: SoapMap = {};
      for (const [key, item] of Object.entries(v)) setMember(map, key, resolve(item, depth + 1));
      return map;
    }
    return v;
  };
  return resolve(value, 0);
}
