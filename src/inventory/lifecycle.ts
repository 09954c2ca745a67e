/**
 * The lifecycle fields must tell one story: `cancelled` comes with the day it was decided
 * (deletion is counted from it), a cancellation date or suspension reason goes with that
 * state, a protected site is never deleted, and a parent is not cancelled under children that
 * stay. Checked on each level (group, site) where the fields are written. Pure.
 */
import type { Diagnostic } from "../model/index.js";
import { error, warning } from "./diagnostics.js";
import { effectiveState, flag, ref, state, text, type Entity, type InventoryRecords, type SiteRecord } from "./records.js";

export function checkLifecycle(records: InventoryRecords): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const entity of [...records.groups, ...records.sites] as Entity[]) out.push(...checkLevel(entity));
  for (const site of records.sites) {
    if (flag(site, "protect") === true && effectiveState(site) === "cancelled") {
      out.push(
        warning(
          "protected-cancelled",
          ref(site, "protect"),
          "this site is cancelled but protected: it will be suspended and never deleted",
          "remove `protect: true` to let it be deleted after the grace period, or reactivate it",
        ),
      );
    }
  }
  for (const group of records.groups) out.push(...checkParent(group.members));
  return out;
}

function checkLevel(entity: Entity): Diagnostic[] {
  // A misspelt state is the schema's to report; guessing what was meant here would only add noise.
  if (entity.data.state !== undefined && state(entity) === undefined) return [];
  const current = state(entity) ?? "active";
  const out: Diagnostic[] = [];
  if (current === "cancelled" && entity.data.cancelled_on === undefined) {
    out.push(
      error(
        "cancelled-without-date",
        ref(entity, "state"),
        "`state: cancelled` needs `cancelled_on`, the day the cancellation was decided",
        "add `cancelled_on: YYYY-MM-DD`; the site stays suspended and is deleted `deletion_grace_days` after that day",
      ),
    );
  }
  if (current !== "cancelled" && entity.data.cancelled_on !== undefined) {
    out.push(
      error(
        "date-without-cancelled",
        ref(entity, "cancelled_on"),
        `\`cancelled_on\` is set but the state here is \`${current}\`, not \`cancelled\``,
        "set `state: cancelled` next to it, or remove `cancelled_on` if the cancellation was withdrawn",
      ),
    );
  }
  if (current !== "suspended" && text(entity, "suspend_reason") !== undefined) {
    out.push(
      warning(
        "reason-without-suspension",
        ref(entity, "suspend_reason"),
        `\`suspend_reason\` is ignored: the state here is \`${current}\`, not \`suspended\``,
        "remove it, or set `state: suspended` next to it",
      ),
    );
  }
  return out;
}

/** Deleting a parent while its children stay would leave them billed to nobody. */
function checkParent(members: readonly SiteRecord[]): Diagnostic[] {
  const [parent, ...children] = members;
  if (parent === undefined || state(parent) !== "cancelled") return [];
  const staying = children.filter((child) => effectiveState(child) !== "cancelled" && text(child, "domain") !== undefined);
  if (staying.length === 0) return [];
  const names = staying.map((child) => `\`${text(child, "domain") ?? "?"}\``).join(", ");
  return [
    warning(
      "cancelled-parent",
      ref(parent, "state"),
      `the group's parent is cancelled but its children stay (${names})`,
      "cancel the whole group with the group's `state: cancelled`, or make another site the parent (list it first)",
    ),
  ];
}
