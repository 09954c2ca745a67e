/**
 * In-memory plans for drift tests: one-line ops and servers with the planner's shapes (ApisCP
 * sites unless an op says another kind).
 */
import type { FieldChange, Op, OpAction, OpFlags, Plan, PlanDiagnostic, PlanServer } from "../../../src/model/index.js";

export const SITE_KIND = "apiscp/site";

export function op(
  action: OpAction,
  name: string,
  options: { server?: string; kind?: string; id?: string | null; key?: string | null; changes?: FieldChange[]; flags?: OpFlags; reason?: string; paid?: true } = {},
): Op {
  const server = options.server ?? "fra1";
  const key = options.key === undefined ? `sites/${name}.yaml` : options.key;
  const id = options.id === undefined ? (action === "create" ? null : `site-${name.length}`) : options.id;
  return {
    id: `${server}:${action}:${name}`,
    server,
    kind: options.kind ?? SITE_KIND,
    action,
    target: { id, name, key, source: key === null ? null : { file: key, line: 2 } },
    changes: options.changes ?? [],
    flags: options.flags ?? {},
    ...(options.paid === true ? { paid: true as const } : {}),
    dependsOn: [],
    preconditions: { exists: action !== "create", id, fields: {} },
    reason: options.reason ?? `${action} ${name}`,
    notes: [],
  };
}

export function server(name: string, options: Partial<PlanServer> = {}): PlanServer {
  return { name, provider: "apiscp", fingerprint: "f", fields: {}, observed: 10, unmanaged: [], error: null, ...options };
}

/** An unmanaged ApisCP site, as a plan server lists it. */
export function unmanagedSite(id: string, name: string): PlanServer["unmanaged"][number] {
  return { kind: SITE_KIND, id, name };
}

export function plan(ops: Op[], servers: PlanServer[] = [server("fra1")], diagnostics: PlanDiagnostic[] = []): Plan {
  const counts = (): Record<OpAction, number> => ({ delete: 0, suspend: 0, update: 0, create: 0, activate: 0 });
  const byAction = counts();
  const byServer: Record<string, Record<OpAction, number>> = {};
  for (const o of ops) {
    byAction[o.action] = (byAction[o.action] ?? 0) + 1;
    const own = (byServer[o.server] ??= counts());
    own[o.action] = (own[o.action] ?? 0) + 1;
  }
  return {
    formatVersion: 3,
    createdAt: "2025-07-01T03:00:00Z",
    inventory: { commit: "0123456789abcdef0123", dirty: false, dir: "/inventory", files: {} },
    options: { allowDeletes: null, reset: false, allowPaid: null },
    servers,
    ops,
    diagnostics,
    summary: { total: ops.length, paid: ops.filter((o) => o.paid === true).length, byAction, byServer },
  };
}
