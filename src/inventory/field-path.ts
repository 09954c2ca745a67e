/**
 * Field paths: the segments that lead to a value inside one YAML file, and the way people
 * read them (`sites[1].aliases[0]`, `servers.fra1.key_env`). Converts ajv's JSON pointers
 * into segments, using the data to tell list indexes from map keys. Pure; knows no schema.
 */

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `sites[1].services.diskquota.quota`; keys that are not plain words are quoted (`servers["a.b"]`). */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Splits a JSON pointer (`/sites/1/aliases/0`) into segments. A segment is a number exactly
 * when the value it indexes is a list, so a map key that looks like a number stays a string.
 */
export function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return path;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
