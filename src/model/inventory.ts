/**
 * The whole desired state read from an inventory directory, validated and resolved: what the
 * planner consumes. Types only.
 */
import type { DesiredGroup } from "./desired-group.js";
import type { DesiredSite } from "./desired-site.js";
import type { Policy } from "./policy.js";
import type { RepoPlan } from "./repo-plan.js";
import type { ServerConfig } from "./server-config.js";

export interface Inventory {
  /** The inventory directory as the loader was given it (absolute from loadInventory). */
  dir: string;
  /** Every file read, relative and `/`-separated: siteform.yaml, then plans/, then sites/, each sorted. */
  files: readonly string[];
  /** Per file in `files`: the first 16 hex digits of the sha256 of its bytes as read (so a plan can say which files changed since). */
  digests: Readonly<Record<string, string>>;
  /** Sorted by name. */
  servers: readonly ServerConfig[];
  policy: Policy;
  /** Sorted by name. */
  plans: readonly RepoPlan[];
  /** In file order. */
  groups: readonly DesiredGroup[];
  /** In file order, a group's sites in their listed order (parent first). */
  sites: readonly DesiredSite[];
}
