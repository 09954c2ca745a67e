/**
 * A rich plan for renderer tests: two servers (one unreachable), every action, renames of
 * domain and admin user, a plan change, a wholesale alias replacement, a refusal, unmanaged
 * sites, text that needs escaping, and secret values the renderers must redact (one marked
 * by the planner, one only by the schema's `x-secret`).
 */
import type { FieldChange, Op, OpAction, OpFlags, Plan, PlanDiagnostic, PlanServer, Precondition } from "../../../src/model/index.js";

/** Raw secret values placed in the plan; no rendering may contain them. */
export const SECRET_VALUES = ["OLD-DNS-KEY-9f8e7d6c5b4a", "NEW-DNS-KEY-1a2b3c4d5e6f"] as const;

interface OpSpec {
  server?: string;
  siteId?: string | null;
  adminUser?: string | null;
  changes?: FieldChange[];
  flags?: OpFlags;
  dependsOn?: string[];
  reason: string;
  notes?: string[];
  line?: number;
  preconditions?: Partial<Precondition>;
}

export function op(action: OpAction, domain: string, spec: OpSpec): Op {
  const server = spec.server ?? "fra1";
  const siteId = spec.siteId === undefined ? (action === "create" ? null : "site1") : spec.siteId;
  const key = `sites/${domain}.yaml`;
  return {
    id: `${server}:${action}:${domain}`,
    server,
    action,
    target: { siteId, domain, adminUser: spec.adminUser ?? null, key, source: { file: key, line: spec.line ?? 1 } },
    changes: spec.changes ?? [],
    flags: spec.flags ?? {},
    dependsOn: spec.dependsOn ?? [],
    preconditions: {
      exists: action !== "create",
      siteId,
      fields: {},
      ...(action === "create" ? { freeDomain: domain } : {}),
      ...spec.preconditions,
    },
    reason: spec.reason,
    notes: spec.notes ?? [],
  };
}

export function server(name: string, options: Partial<PlanServer> = {}): PlanServer {
  return { name, fingerprint: `sha256:${name}`, fields: ["siteinfo.domain", "siteinfo.admin_user"], observedSites: 0, unmanaged: [], error: null, ...options };
}

/** A plan around ops, with the summary the planner would compute. */
export function planOf(ops: Op[], servers: PlanServer[], diagnostics: PlanDiagnostic[] = []): Plan {
  const zero = (): Record<OpAction, number> => ({ delete: 0, suspend: 0, update: 0, create: 0, activate: 0 });
  const byAction = zero();
  const byServer: Record<string, Record<OpAction, number>> = Object.fromEntries(servers.map((s) => [s.name, zero()]));
  for (const o of ops) {
    byAction[o.action] += 1;
    (byServer[o.server] ??= zero())[o.action] += 1;
  }
  return {
    formatVersion: 2,
    createdAt: "2025-07-01T03:00:00.000Z",
    inventory: { commit: "4f2a9c1e7b3d5a6f8e0c2b4d6f8a0c2e4b6d8f0a", dirty: true, dir: "/inventory", files: { "siteform.yaml": "0123456789abcdef" } },
    options: { allowDeletes: null, reset: false },
    servers,
    ops,
    diagnostics,
    summary: { total: ops.length, byAction, byServer },
  };
}

const change = (field: string, before: FieldChange["before"], after: FieldChange["after"], extra: Partial<FieldChange> = {}): FieldChange => ({ field, before, after, ...extra });

const RENAME = "fra1:update:acme.example";

function richOps(): Op[] {
  return [
    op("suspend", "shop.closing.example", {
      siteId: "site8",
      line: 3,
      reason: "state: cancelled on 2025-06-20; deleted once the 30-day grace ends on 2025-07-20",
      flags: { reason: "siteform: cancelled 2025-06-20" },
      preconditions: { fields: { active: true } },
    }),
    op("delete", "closing.example", {
      siteId: "site7",
      line: 2,
      reason: "cancelled on 2025-05-01; the 30-day grace ended on 2025-05-31",
      flags: { since: "30 days ago", match: "^siteform: cancelled" },
      dependsOn: ["fra1:suspend:shop.closing.example"],
      preconditions: { fields: { active: false } },
    }),
    op("update", "acme.example", {
      siteId: "site3",
      adminUser: "acme",
      line: 4,
      reason: "domain and aliases differ from sites/acme.yaml",
      changes: [
        change("siteinfo.domain", "acme.example", "acme.test"),
        change("aliases.aliases", ["www.acme.example"], ["www.acme.test", "shop.acme.test"], { wholesale: true }),
      ],
      notes: ["ApisCP replaces the alias list as a whole: aliases not listed here are removed"],
      preconditions: { fields: { "siteinfo.domain": "acme.example" } },
    }),
    op("update", "beta.example", {
      siteId: "site4",
      adminUser: "beta",
      reason: "admin user differs from sites/beta.example.yaml",
      changes: [change("siteinfo.admin_user", "beta", "betaadmin")],
    }),
    op("update", "gamma.example", {
      siteId: "site5",
      adminUser: "gamma",
      reason: "plan changes from basic to premium",
      flags: { plan: "premium" },
      changes: [
        change("siteinfo.plan", "basic", "premium"),
        change("diskquota.quota", 5000, 20000),
        change("siteinfo.notes", "", "VIP <b>client</b> | *urgent* @ops-team [call](https://x.example)"),
        change("auth.tpasswd", "[redacted]", "[redacted]", { secret: true }),
        change("dns.key", SECRET_VALUES[0], SECRET_VALUES[1]),
      ],
      preconditions: { fields: { "dns.key": SECRET_VALUES[0], "siteinfo.plan": "basic" } },
    }),
    op("create", "acme.example", {
      reason: "in sites/acme-new.yaml, not on the server",
      flags: { plan: "basic" },
      dependsOn: [RENAME],
      changes: [
        change("siteinfo.domain", null, "acme.example"),
        change("siteinfo.admin_user", null, "acmenew"),
        change("siteinfo.email", null, ["ops@acme.example", "billing@acme.example"]),
        change("siteinfo.plan", null, "basic"),
        change("billing.invoice", null, "INV-100"),
      ],
      preconditions: { freeAdminUser: "acmenew" },
    }),
    op("activate", "returning.example", {
      siteId: "site9",
      reason: "state: active in the inventory; suspended on the server",
      preconditions: { fields: { active: false } },
    }),
  ];
}

const DIAGNOSTICS: PlanDiagnostic[] = [
  {
    severity: "error",
    code: "too-many-deletes",
    server: "fra1",
    message: "1 deletion on fra1 exceeds policy.max_deletes (0)",
    hint: "check the deletions below, then plan again with --allow-deletes 1",
    file: "siteform.yaml",
    line: 14,
  },
  { severity: "warning", code: "unmanaged-sites", server: "fra1", message: "2 sites on fra1 are not in the inventory; they are left alone" },
];

export function richPlan(): Plan {
  const servers = [
    server("fra1", {
      observedSites: 9,
      unmanaged: [
        { siteId: "site11", domain: "stray.example" },
        { siteId: "site12", domain: "legacy_shop.example" },
      ],
    }),
    server("ams1", { fingerprint: null, fields: [], error: "unreachable: connect ECONNREFUSED 203.0.113.7:2083" }),
  ];
  return planOf(richOps(), servers, DIAGNOSTICS);
}
