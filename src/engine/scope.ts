/**
 * Which servers a command works on: all of siteform.yaml's, or the ones `--server` names.
 */
import type { Inventory } from "../model/inventory.js";

export type Scope = { ok: true; servers: string[] } | { ok: false; message: string };

export function resolveScope(inventory: Inventory, requested: readonly string[] | null | undefined): Scope {
  const known = inventory.servers.map((s) => s.name);
  if (requested === null || requested === undefined || requested.length === 0) return { ok: true, servers: known };
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `unknown server ${unknown.map((n) => `'${n}'`).join(", ")} in --server: siteform.yaml defines ${known.join(", ")}`,
    };
  }
  return { ok: true, servers: [...new Set(requested)].sort() };
}
