/**
 * In-memory plans for drift tests: one-line ops and servers with the planner's shapes.
 */
import type { FieldChange, Op, OpAction, OpFlags, Plan, PlanDiagnostic, PlanServer } from "../../../src/model/index.js";

export function op(
  action: OpAction,
  domain: string,
  options: { server?: string; siteId?: string | null; key?: string | null; changes?: FieldChange[]; flags?: OpFlags; reason?: string } = {},
): Op {
  const server = options.server ?? "fra1";
  const key = options.key === undefined ? `sites/${domain}.yaml` : options.key;
  return {
    id: `${server}:${action}:${domain}`,
    server,
    action,
    target: {
      siteId: options.siteId === undefined ? (action === "create" ? null : `site-${domain.length}`) : options.siteId,
      domain,
      adminUser: null,
      key,
      source: key === null ? null : { file: key, line: 2 },
    },
    changes: options.changes ?? [],
    flags: options.flags ?? {},
    dependsOn: [],
    preconditions: { exists: action !== "create", siteId: null, fields: {} },
    reason: options.reason ?? `${action} ${domain}`,
    notes: [],
  };
}

export function server(name: string, options: Partial<PlanServer> = {}): PlanServer {
  return { name, fingerprint: "f", fields: [], observedSites: 10, unmanaged: [], error: null, ...options };
}

export function plan(ops: Op[], servers: PlanServer[] = [server("fra1")], diagnostics: PlanDiagnostic[] = []): Plan {
  const counts = (): Record<OpAction, number> => ({ delete: 0, suspend: 0, update: 0, create: 0, activate: 0 });
  const byAction = counts();
  const byServer: Record<string, Record<OpAction, number>> = {};
  for (const o of ops) {
    byAction[o.action] += 1;
    (byServer[o.server] ??= counts())[o.action] += 1;
  }
  return {
    formatVersion: 2,
    createdAt: "2025-07-01T03:00:00Z",
    inventory: { commit: "0123456789abcdef0123", dirty: false, dir: "/inventory", files: {} },
    options: { allowDeletes: null, reset: false },
    servers,
    ops,
    diagnostics,
    summary: { total: ops.length, byAction, byServer },
  };
}
