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
  return op.target.siteId ?? op.target.domain;
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
  const domain = typeof domainAfter === "string" ? domainAfter : (op.preconditions.freeDomain ?? op.target.domain);
  const adminUser = typeof adminAfter === "string" ? adminAfter : (op.preconditions.freeAdminUser ?? op.target.adminUser);
  if (adminUser === null || adminUser === "") throw new OpShapeError(`${op.id}: a create needs an admin user and the op has none`);
  return { domain, adminUser, opts: siteOpts(op, ADD_SITE_POSITIONAL), plan: op.flags.plan };
}

/** What the read-back after a filtered delete quotes: the filters the server applied. */
export function deleteFilterText(op: Op): string {
  const parts: string[] = [];
  if (op.flags.since !== undefined) parts.push(`since ${op.flags.since}`);
  if (op.flags.match !== undefined) parts.push(`match ${op.flags.match}`);
  return parts.join(", ");
}

/** How people read the op's site in messages: `acme.example (site3)`. */
export function opSiteLabel(op: Op): string {
  return op.target.siteId === null ? op.target.domain : `${op.target.domain} (${op.target.siteId})`;
}
