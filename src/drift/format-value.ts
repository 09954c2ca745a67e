/**
 * How values and resource names read in drift reports, shared by the text and markdown
 * renderers. Values go through the plan's own formatter (render/format-value.ts), so a
 * value reads the same in a plan and in a drift report, and a server's control or bidi
 * characters are shown escaped, never passed to a terminal. A secret is never shown: the
 * planner has already replaced it, and the change's `secret` mark turns it into a fixed word.
 * What resources and templates are called comes from the report's `kinds`.
 */
import type { FieldChange } from "../model/index.js";
import { changeValues as planChangeValues, formatValue, resourceLabel, safeText } from "../render/format-value.js";
import { pluralNoun } from "../render/kinds.js";
import type { DriftClass, DriftEntry, DriftReport, SiteCondition } from "./drift-report.js";

const LIMIT = 80;

export function changeValues(change: FieldChange): { server: string; git: string } {
  const { before, after } = planChangeValues(change, LIMIT);
  return { server: before, git: after };
}

/** What the report's kinds call their templates, when they agree (`server plan`); `template` otherwise. */
export function templateLabel(report: Pick<DriftReport, "kinds">): string {
  const labels = new Set(Object.values(report.kinds).flatMap((k) => (k.template === null ? [] : [k.template])));
  const [only] = labels;
  return labels.size === 1 && only !== undefined ? safeText(only) : "template";
}

/** What the report's resources are called, in the plural: their kinds' noun when they share one (`sites`), else `resources`. */
export function nounPlural(report: Pick<DriftReport, "kinds">): string {
  const nouns = new Set(Object.values(report.kinds).map((k) => k.noun));
  const [only] = nouns;
  return nouns.size === 1 && only !== undefined ? safeText(pluralNoun(only)) : "resources";
}

/** The singular of nounPlural (`site`, `resource`). */
export function noun(report: Pick<DriftReport, "kinds">): string {
  const nouns = new Set(Object.values(report.kinds).map((k) => k.noun));
  const [only] = nouns;
  return nouns.size === 1 && only !== undefined ? safeText(only) : "resource";
}

/** The classes' short titles; `server-plan` is called what the kinds call their templates. */
export function classTitles(report: Pick<DriftReport, "kinds">): Readonly<Record<DriftClass, string>> {
  return {
    missing: "missing",
    state: "state",
    "server-plan": templateLabel(report),
    modified: "modified",
    unmanaged: "unmanaged",
  };
}

const CONDITIONS: Readonly<Record<SiteCondition, string>> = {
  active: "active",
  suspended: "suspended",
  absent: "not there",
  deleted: "deleted",
};

function entryTemplateLabel(e: DriftEntry, report: Pick<DriftReport, "kinds">): string {
  return safeText(report.kinds[e.kind]?.template ?? "template");
}

/** One line saying how server and git differ for a resource, for every class but `modified`. */
export function describeEntry(e: DriftEntry, report: Pick<DriftReport, "kinds">): string {
  switch (e.class) {
    case "missing":
      return "in git, not on the server";
    case "state":
      return `${CONDITIONS[e.observed ?? "active"]} on the server, ${CONDITIONS[e.desired ?? "active"]} in git`;
    case "server-plan": {
      const label = entryTemplateLabel(e, report);
      const change = e.changes[0];
      return change === undefined ? `${label} differs` : `${label} ${formatValue(change.before, LIMIT)} on the server, ${formatValue(change.after, LIMIT)} in git`;
    }
    case "modified":
      return e.changes.length === 1 ? "1 field differs" : `${e.changes.length} fields differ`;
    case "unmanaged":
      return e.action === null ? "on the server, not in git (left alone)" : `on the server, not in git (the plan would ${safeText(e.action)} it: prune is on)`;
  }
}

/** `name (id)`, the way people look a resource up in the panel. */
export function entryLabel(e: DriftEntry): string {
  return resourceLabel({ name: e.name, id: e.resourceId });
}

export function sourceLabel(e: DriftEntry): string | null {
  return e.source === null ? null : `${safeText(e.source.file)}:${e.source.line}`;
}
