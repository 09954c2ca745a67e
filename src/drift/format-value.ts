/**
 * How values and site names read in drift reports, shared by the text and markdown
 * renderers. Values go through the plan's own formatter (render/format-value.ts), so a
 * value reads the same in a plan and in a drift report, and a server's control or bidi
 * characters are shown escaped, never passed to a terminal. A secret is never shown: the
 * planner has already replaced it, and the change's `secret` mark turns it into a fixed word.
 */
import type { FieldChange } from "../model/index.js";
import { changeValues as planChangeValues, formatValue, safeText } from "../render/format-value.js";
import type { DriftClass, DriftEntry, SiteCondition } from "./drift-report.js";

const LIMIT = 80;

export function changeValues(change: FieldChange): { server: string; git: string } {
  const { before, after } = planChangeValues(change, LIMIT);
  return { server: before, git: after };
}

export const CLASS_TITLES: Readonly<Record<DriftClass, string>> = {
  missing: "missing",
  state: "state",
  "server-plan": "server plan",
  modified: "modified",
  unmanaged: "unmanaged",
};

const CONDITIONS: Readonly<Record<SiteCondition, string>> = {
  active: "active",
  suspended: "suspended",
  absent: "not there",
  deleted: "deleted",
};

/** One line saying how server and git differ for a site, for every class but `modified`. */
export function describeEntry(e: DriftEntry): string {
  switch (e.class) {
    case "missing":
      return "in git, not on the server";
    case "state":
      return `${CONDITIONS[e.observed ?? "active"]} on the server, ${CONDITIONS[e.desired ?? "active"]} in git`;
    case "server-plan": {
      const change = e.changes[0];
      return change === undefined ? "server plan differs" : `server plan ${formatValue(change.before, LIMIT)} on the server, ${formatValue(change.after, LIMIT)} in git`;
    }
    case "modified":
      return e.changes.length === 1 ? "1 field differs" : `${e.changes.length} fields differ`;
    case "unmanaged":
      return e.action === null ? "on the server, not in git (left alone)" : `on the server, not in git (the plan would ${e.action} it: prune is on)`;
  }
}

/** `domain (site12)`, the way people look a site up in the panel. */
export function siteLabel(e: DriftEntry): string {
  return e.siteId === null ? safeText(e.domain) : `${safeText(e.domain)} (${safeText(e.siteId)})`;
}

export function sourceLabel(e: DriftEntry): string | null {
  return e.source === null ? null : `${safeText(e.source.file)}:${e.source.line}`;
}
