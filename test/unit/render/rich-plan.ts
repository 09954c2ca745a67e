/**
 * A rich plan for renderer tests: two ApisCP servers (one unreachable), every core action,
 * renames of domain and admin user, a plan change, a wholesale alias replacement, a refusal,
 * unmanaged sites, text that needs escaping, and secret values the renderers must redact (one
 * marked by the planner, one only by the kind's `x-secret`). `licencePlan` adds a kind of a
 * test provider with an action of its own and actions that cost money.
 */
import type { FieldChange, Op, OpAction, OpFlags, Plan, PlanDiagnostic, PlanServer, Precondition } from "../../../src/model/index.js";
import { LICENCE_KIND } from "./test-kinds.js";

export const SITE_KIND = "apiscp/site";

/** Raw secret values placed in the plan; no rendering may contain them. */
export const SECRET_VALUES = ["OLD-DNS-KEY-9f8e7d6c5b4a", "NEW-DNS-KEY-1a2b3c4d5e6f"] as const;

interface OpSpec {
  server?: string;
  kind?: string;
  id?: string | null;
  paid?: true;
  changes?: FieldChange[];
  flags?: OpFlags;
  dependsOn?: string[];
  reason: string;
  notes?: string[];
  line?: number;
  /** The inventory key; default `sites/<name>.yaml`. */
  key?: string;
  preconditions?: Partial<Precondition>;
}

/** An op on `name`, an ApisCP site unless `spec.kind` says otherwise. */
export function op(action: OpAction, name: string, spec: OpSpec): Op {
  const server = spec.server ?? "fra1";
  const kind = spec.kind ?? SITE_KIND;
  const id = spec.id === undefined ? (action === "create" ? null : "site1") : spec.id;
  const key = spec.key ?? `sites/${name}.yaml`;
  return {
    id: `${server}:${action}:${name}`,
    server,
    kind,
    action,
    target: { id, name, key, source: { file: key, line: spec.line ?? 1 } },
    changes: spec.changes ?? [],
    flags: spec.flags ?? {},
    ...(spec.paid === true ? { paid: true as const } : {}),
    dependsOn: spec.dependsOn ?? [],
    preconditions: {
      exists: action !== "create",
      id,
      fields: {},
      ...(action === "create" ? { free: [{ key: "domain", namespace: "domain", value: name }] } : {}),
      ...spec.preconditions,
    },
    reason: spec.reason,
    notes: spec.notes ?? [],
  };
}

export function server(name: string, options: Partial<PlanServer> = {}): PlanServer {
  return {
    name,
    provider: "apiscp",
    fingerprint: `sha256:${name}`,
    fields: { [SITE_KIND]: ["siteinfo.admin_user", "siteinfo.domain"] },
    observed: 0,
    unmanaged: [],
    error: null,
    ...options,
  };
}

/** An unmanaged ApisCP site, as a plan server lists it. */
export function unmanagedSite(id: string, name: string): PlanServer["unmanaged"][number] {
  return { kind: SITE_KIND, id, name };
}

/** A plan around ops, with the summary the planner would compute. */
export function planOf(ops: Op[], servers: PlanServer[], diagnostics: PlanDiagnostic[] = []): Plan {
  const zero = (): Record<OpAction, number> => ({ delete: 0, suspend: 0, update: 0, create: 0, activate: 0 });
  const byAction = zero();
  const byServer: Record<string, Record<OpAction, number>> = Object.fromEntries(servers.map((s) => [s.name, zero()]));
  for (const o of ops) {
    byAction[o.action] = (byAction[o.action] ?? 0) + 1;
    const own = (byServer[o.server] ??= zero());
    own[o.action] = (own[o.action] ?? 0) + 1;
  }
  return {
    formatVersion: 3,
    createdAt: "2025-07-01T03:00:00.000Z",
    inventory: { commit: "4f2a9c1e7b3d5a6f8e0c2b4d6f8a0c2e4b6d8f0a", dirty: true, dir: "/inventory", files: { "siteform.yaml": "0123456789abcdef" } },
    options: { allowDeletes: null, reset: false, allowPaid: null },
    servers,
    ops,
    diagnostics,
    summary: { total: ops.length, paid: ops.filter((o) => o.paid === true).length, byAction, byServer },
  };
}

const change = (field: string, before: FieldChange["before"], after: FieldChange["after"], extra: Partial<FieldChange> = {}): FieldChange => ({ field, before, after, ...extra });

const RENAME = "fra1:update:acme.example";

function richOps(): Op[] {
  return [
    op("suspend", "shop.closing.example", {
      id: "site8",
      line: 3,
      reason: "state: cancelled on 2025-06-20; deleted once the 30-day grace ends on 2025-07-20",
      flags: { reason: "siteform: cancelled 2025-06-20" },
      preconditions: { fields: { "siteinfo.domain": "shop.closing.example", state: "active" } },
    }),
    op("delete", "closing.example", {
      id: "site7",
      line: 2,
      reason: "cancelled on 2025-05-01; the 30-day grace ended on 2025-05-31",
      flags: { deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } },
      dependsOn: ["fra1:suspend:shop.closing.example"],
      preconditions: { fields: { "siteinfo.domain": "closing.example", state: "suspended" } },
    }),
    op("update", "acme.example", {
      id: "site3",
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
      id: "site4",
      reason: "admin user differs from sites/beta.example.yaml",
      changes: [change("siteinfo.admin_user", "beta", "betaadmin")],
    }),
    op("update", "gamma.example", {
      id: "site5",
      reason: "plan changes from basic to premium",
      flags: { template: "premium" },
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
      key: "sites/acme-new.yaml",
      reason: "in sites/acme-new.yaml, not on the server",
      flags: { template: "basic" },
      dependsOn: [RENAME],
      changes: [
        change("siteinfo.domain", null, "acme.example"),
        change("siteinfo.admin_user", null, "acmenew"),
        change("siteinfo.email", null, ["ops@acme.example", "billing@acme.example"]),
        change("siteinfo.plan", null, "basic"),
        change("billing.invoice", null, "INV-100"),
      ],
      preconditions: {
        free: [
          { key: "domain", namespace: "domain", value: "acme.example" },
          { key: "admin user", namespace: "admin user", value: "acmenew" },
        ],
      },
    }),
    op("activate", "returning.example", {
      id: "site9",
      reason: "state: active in the inventory; suspended on the server",
      preconditions: { fields: { "siteinfo.domain": "returning.example", state: "suspended" } },
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
      observed: 9,
      unmanaged: [unmanagedSite("site11", "stray.example"), unmanagedSite("site12", "legacy_shop.example")],
    }),
    server("ams1", { fingerprint: null, fields: {}, error: "unreachable: connect ECONNREFUSED 203.0.113.7:2083" }),
  ];
  return planOf(richOps(), servers, DIAGNOSTICS);
}

/** A licence server of the test provider beside an ApisCP one: a kind's own action (`renew`), ops that cost money, a secret of that kind. */
export function licencePlan(): Plan {
  const licence = (action: OpAction, name: string, spec: Omit<OpSpec, "kind" | "server">): Op => op(action, name, { ...spec, kind: LICENCE_KIND, server: "lic1" });
  const ops = [
    licence("renew", "office-suite", {
      id: "4711",
      paid: true,
      reason: "renews until 2026-09-01",
      changes: [{ field: "licence.expires", before: "2025-09-01", after: "2026-09-01" }],
      notes: ["renewal preview (nothing charged): 12 months for 120.00, paid until 2025-09-01 → 2026-09-01"],
    }),
    licence("update", "design-tool", {
      id: "4712",
      reason: "2 managed fields differ",
      changes: [
        { field: "licence.name", before: "design-tool-old", after: "design-tool" },
        { field: "licence.token", before: "TOKEN-OLD-aaaa1111", after: "TOKEN-NEW-bbbb2222" },
      ],
    }),
    licence("create", "new-seat-pack", { paid: true, reason: "in the inventory, not on the server", changes: [{ field: "licence.seats", before: null, after: 10 }] }),
    licence("delete", "old-tool", {
      id: "4700",
      reason: "cancelled on 2025-05-01, grace of 30 days over on 2025-05-31",
      flags: { deletion: { suspendedDays: 30, ownerTag: "siteform: cancelled" } },
    }),
    op("update", "acme.example", { id: "site3", reason: "1 managed field differs", changes: [{ field: "diskquota.quota", before: 5000, after: 20000 }] }),
  ];
  const servers = [
    server("fra1", { observed: 3 }),
    server("lic1", { provider: "test", fields: { [LICENCE_KIND]: ["licence.expires", "licence.name"] }, observed: 4, unmanaged: [{ kind: LICENCE_KIND, id: "4799", name: "stray-licence" }] }),
  ];
  return planOf(ops, servers);
}
