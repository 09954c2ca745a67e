/**
 * How values and site names read in drift reports, shared by the text and markdown
 * renderers. A secret is never shown: the planner has already replaced it, and the change's
 * `secret` mark turns it into a fixed word here too.
 */
import type { FieldChange, FieldValue } from "../model/index.js";
import type { DriftClass, DriftEntry, SiteCondition } from "./drift-report.js";

const LIMIT = 80;

export function formatValue(value: FieldValue): string {
  let text: string;
  if (value === null) text = "(none)";
  else if (typeof value === "string") text = value === "" ? '""' : value;
  else if (Array.isArray(value)) text = value.length === 0 ? "[]" : `[${value.map((v: FieldValue) => formatValue(v)).join(", ")}]`;
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return text.length > LIMIT ? `${text.slice(0, LIMIT - 1)}…` : text;
}

export function changeValues(change: FieldChange): { server: string; git: string } {
  if (change.secret === true) return { server: "(secret)", git: "(secret)" };
  return { server: formatValue(change.before), git: formatValue(change.after) };
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
      return change === undefined ? "server plan differs" : `server plan ${formatValue(change.before)} on the server, ${formatValue(change.after)} in git`;
    }
    case "modified":
      return e.changes.length === 1 ? "1 field differs" : `${e.changes.length} fields differ`;
    case "unmanaged":
      return e.action === null ? "on the server, not in git (left alone)" : `on the server, not in git (the plan would ${e.action} it: prune is on)`;
  }
}

/** `domain (site12)`, the way people look a site up in the panel. */
export function siteLabel(e: DriftEntry): string {
  return e.siteId === null ? e.domain : `${e.domain} (${e.siteId})`;
}

export function sourceLabel(e: DriftEntry): string | null {
  return e.source === null ? null : `${e.source.file}:${e.source.line}`;
}
