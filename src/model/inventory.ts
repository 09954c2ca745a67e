/**
 * The whole desired state read from an inventory directory, validated and resolved: what the
 * planner consumes. Types only.
 */
import type { Catalogue } from "../kinds/catalogue.js";
import type { DesiredResource } from "./resource.js";
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
  /** The kinds the inventory was read with: validation, planning, apply and rendering use these. */
  catalogue: Catalogue;
  /** In file order, a group's entries in their listed order (parent first). */
  resources: readonly DesiredResource[];
}
