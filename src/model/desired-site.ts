/**
 * A site as the inventory wants it, fully resolved (repository plan → invoice group → site):
 * what the planner matches against a server and diffs. Types only.
 */
import type { SourceRef } from "./source-ref.js";

export type LifecycleState = "active" | "suspended" | "cancelled";

/** A service parameter's value as written in YAML (lists: dedicated IPs, e-mail lists, aliases). */
export type ParamValue = string | number | boolean | null | readonly string[];

/** service → parameter → value. */
export type ServiceValues = Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;

/** How the site takes part in billing: alone, or as the parent or a child of an invoice group. */
export type BillingRole = "standalone" | "parent" | "child";

export interface DesiredSite {
  /** Stable within one inventory: `sites/acme.yaml`, or `sites/group.yaml#2` for a group's third site. For messages and maps, not an identity on the server. */
  key: string;
  server: string;
  domain: string;
  adminUser: string;
  /** Always a list here; `services.siteinfo.email` keeps the shape that was written. */
  email: readonly string[];
  /** The repository plan's name (`business`, `legacy/basic`). */
  plan: string;
  /** The server-side plan it builds on (`siteinfo.plan`). */
  apiscpPlan: string;
  role: BillingRole;
  /** `billing.invoice`: the site's own, or the group's for a parent; null for children and for sites without one. */
  invoice: string | null;
  /** `billing.parent_invoice`: the group's invoice for a child, otherwise null. */
  parentInvoice: string | null;
  /** The managed alias list, or null when the inventory leaves aliases alone. */
  aliases: readonly string[] | null;
  /** The stricter of the group's and the site's own state. */
  state: LifecycleState;
  /** `YYYY-MM-DD`, set exactly when `state` is `cancelled`. */
  cancelledOn: string | null;
  suspendReason: string | null;
  protect: boolean;
  /** `siteN` when the site is pinned to a server-side id. */
  pinnedId: string | null;
  /**
   * Every managed field: the plan's, group's and site's service settings merged, plus the
   * identity fields (domain, admin user, e-mail, server plan, aliases, billing) in the
   * provider's own service/parameter names. Fields absent here are not managed.
   */
  services: ServiceValues;
  /** Where each managed field's value was written, keyed `service.param`. */
  origins: Readonly<Record<string, SourceRef>>;
  /** The site's own entry. */
  source: SourceRef;
}
