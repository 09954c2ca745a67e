/**
 * An invoice group as the inventory wants it: one parent site and its children on one server,
 * billed on one invoice. The sites themselves are DesiredSites; this names them. Types only.
 */
import type { LifecycleState } from "./desired-site.js";
import type { SourceRef } from "./source-ref.js";

export interface DesiredGroup {
  invoice: string;
  server: string;
  /** The group's own state; each site's effective state is in its DesiredSite. */
  state: LifecycleState;
  cancelledOn: string | null;
  suspendReason: string | null;
  /** DesiredSite.key of the parent. */
  parent: string;
  /** DesiredSite.key of each child, in file order. */
  children: readonly string[];
  source: SourceRef;
}
