/**
 * What an Op means in ApisCP's terms, decided without calling anything: the `site` argument,
 * the flat dotted `opts` map of add/edit, and values encoded as a PHP billing module sends them
 * (flags as the integers 1/0 ApisCP itself stores, lists as lists, everything else as is).
 * It refuses to send a redacted secret: the plan never holds a secret's value, so sending the
 * marker would set a password to it.
 */
import type { FieldChange, FieldValue, Op } from "../../model/op.js";
import type { SoapMap, SoapValue } from "./wire/value.js";

/** The positional arguments of admin_add_site, never also sent in `opts`. */
const ADD_SITE_POSITIONAL: readonly string[] = ["siteinfo.domain", "siteinfo.admin_user"];

/** A plan value as the wire carries it. */
export function wireValue(value: FieldValue): SoapValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === null || typeof value === "string" || typeof value === "number") return value;
  if (Array.isArray(value)) return (value as readonly FieldValue[]).map(wireValue);
  const out: SoapMap = {};
  for (const [key, inner] of Object.entries(value as Readonly<Record<string, FieldValue>>)) {
    Object.defineProperty(out, key, { value: wireValue(inner), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Thrown when an op cannot be sent as it is: a siteform bug, not a server answer. */
export class OpShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpShapeError";
  }
}

/** The `opts` of add/edit: every change's new value under its `service.param` key. */
export function siteOpts(op: Op, leaveOut: readonly string[] = []): SoapMap {
  const out: SoapMap = {};
  for (const change of op.changes) {
    if (leaveOut.includes(change.field)) continue;
    if (change.secret === true) {
      throw new OpShapeError(`${op.id}: ${change.field} is a secret whose value the plan does not hold; set it on the server instead`);
    }
    Object.defineProperty(out, change.field, { value: wireValue(change.after), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function changeOf(op: Op, field: string): FieldChange | undefined {
  return op.changes.find((c) => c.field === field);
}

/** The `site` argument: the id when the plan knows it (stable across renames), else the current domain. */
export function siteArgument(op: Op): string {
  return op.target.id ?? op.target.name;
}

/** A create's name of one of its unique keys, from the names it must find free. */
function freeName(op: Op, key: string): string | undefined {
  return op.preconditions.free?.find((f) => f.key === key)?.value;
}

export interface AddSiteCall {
  domain: string;
  adminUser: string;
  opts: SoapMap;
  plan: string | undefined;
}

/** admin_add_site's arguments: domain and admin user positional, the rest in `opts`. */
export function addSiteCall(op: Op): AddSiteCall {
  const domainAfter = changeOf(op, "siteinfo.domain")?.after;
  const adminAfter = changeOf(op, "siteinfo.admin_user")?.after;
  const domain = typeof domainAfter === "string" ? domainAfter : (freeName(op, "domain") ?? op.target.name);
  const adminUser = typeof adminAfter === "string" ? adminAfter : freeName(op, "admin user");
  if (adminUser === undefined || adminUser === "") throw new OpShapeError(`${op.id}: a create needs an admin user and the op has none`);
  return { domain, adminUser, opts: siteOpts(op, ADD_SITE_POSITIONAL), plan: op.flags.template };
}

/**
 * The deletion requirement as admin_delete_site's filters: ApisCP itself refuses to delete a
 * site not suspended `since` that long ago with a reason matching `match`, atomically.
 */
export function deleteFilters(op: Op): { since?: string; match?: string } {
  const requirement = op.flags.deletion;
  if (requirement === undefined) return {};
  return { since: `${requirement.suspendedDays} days ago`, match: `^${escapeRegex(requirement.ownerTag)}` };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** What the read-back after a filtered delete quotes: the filters the server applied. */
export function deleteFilterText(op: Op): string {
  const filters = deleteFilters(op);
  const parts: string[] = [];
  if (filters.since !== undefined) parts.push(`since ${filters.since}`);
  if (filters.match !== undefined) parts.push(`match ${filters.match}`);
  return parts.join(", ");
}

/** How people read the op's site in messages: `acme.example (site3)`. */
export function opSiteLabel(op: Op): string {
  return op.target.id === null ? op.target.name : `${op.target.name} (${op.target.id})`;
}
