/**
 * Which servers a command works on: all of siteform.yaml's, or the ones `--server` names.
 */
import type { Inventory } from "../model/inventory.js";

export type Scope = { ok: true; servers: string[] } | { ok: false; message: string };

export function resolveScope(inventory: Inventory, requested: readonly string[] | null | undefined): Scope {
  // A retired server is never read or changed: planning every server means every server in service.
  const known = inventory.servers.filter((s) => !s.retired).map((s) => s.name);
  const retired = inventory.servers.filter((s) => s.retired).map((s) => s.name);
  if (requested === null || requested === undefined || requested.length === 0) return { ok: true, servers: known };
  const asked = requested.filter((name) => retired.includes(name));
  if (asked.length > 0) {
    return {
      ok: false,
      message: `server ${asked.map((n) => `'${n}'`).join(", ")} in --server is retired (retired: true in siteform.yaml): siteform no longer reads or changes it`,
    };
  }
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `unknown server ${unknown.map((n) => `'${n}'`).join(", ")} in --server: siteform.yaml defines ${known.join(", ")}`,
    };
  }
  return { ok: true, servers: [...new Set(requested)].sort() };
}
