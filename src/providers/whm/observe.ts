/**
 * Reading WHM accounts as the core's ObservedResources: which `listaccts` fields a set of
 * requested fields needs, whether `showbw` is needed at all, and how an account row (with its
 * `showbw` line) becomes an ObservedResource: id = uid, name = domain, state from `suspended`,
 * the suspension's time and reason, and every limit in limits.ts' one form. Pure: no calls.
 */
import type { ObservedResource, ObservedValue } from "../../model/resource.js";
import { ACCOUNT_KIND, FIELD } from "./kinds.js";
import {
  BANDWIDTH_FIELD,
  BANDWIDTH_USED_FIELD,
  DISK_USED_FIELD,
  LIMITS,
  SHELL_FIELD,
  limitSpec,
  readAccountShell,
  readBytesAsMb,
  readLimit,
  readUsedMb,
} from "./limits.js";
import type { AccountRow, BandwidthRow } from "./results.js";

/** Fields every reading has, whatever was asked: the keys and the package (the kind's identity fields). */
export const IDENTITY_FIELDS: readonly string[] = [FIELD.domain, FIELD.package, FIELD.user];

/** What `suspendreason` says when there is no suspension. */
const NOT_SUSPENDED = "not suspended";

/** The `listaccts` fields that identify an account and its state: always wanted. */
const BASE_WANT = ["uid", "user", "domain", "plan", "suspended", "suspendreason", "suspendtime"];

/** The `listaccts` field each readable field comes from (bandwidth comes from `showbw`). */
const SOURCE: Readonly<Record<string, string>> = {
  [FIELD.email]: "email",
  [SHELL_FIELD]: "shell",
  [DISK_USED_FIELD]: "diskused",
  ...Object.fromEntries(LIMITS.flatMap((l) => (l.accountField === null ? [] : [[l.field, l.accountField]]))),
};

/** The requested fields plus the identity fields, sorted and deduplicated. */
export function readFields(fields: readonly string[]): string[] {
  return [...new Set([...fields, ...IDENTITY_FIELDS])].sort();
}

/** `listaccts`' `want`: the identifying fields plus those the requested fields come from. */
export function wantFor(fields: readonly string[]): string[] {
  const want = new Set(BASE_WANT);
  for (const field of fields) {
    const source = SOURCE[field];
    if (source !== undefined) want.add(source);
  }
  return [...want];
}

/** Whether reading these fields needs `showbw` (the bandwidth limit and usage are not in `listaccts`). */
export function needsBandwidth(fields: readonly string[]): boolean {
  return fields.includes(BANDWIDTH_FIELD) || fields.includes(BANDWIDTH_USED_FIELD);
}

/** Accounts in uid order. */
export function byUid(a: AccountRow, b: AccountRow): number {
  return Number(a.uid) - Number(b.uid);
}

/** `suspendtime` (unix seconds, as a number or digits) in milliseconds; null when absent or unreadable. */
export function suspendedAtMs(value: unknown): number | null {
  const seconds = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** `suspendtime` as an ISO time; null when absent or unreadable. */
export function suspendedSince(value: unknown): string | null {
  const ms = suspendedAtMs(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** `suspendreason` as a reason: none when WHM says `not suspended` or nothing. */
export function suspendReason(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const reason = value.trim();
  return reason === "" || reason.toLowerCase() === NOT_SUSPENDED ? null : value;
}

/** The contact address, unless WHM says it has none (`*unknown*`, empty). */
export function contactEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.trim();
  return email === "" || email === "*unknown*" ? null : email;
}

/** One field's value off an account row and its `showbw` line; undefined when the server did not report it. */
function fieldValue(row: AccountRow, bandwidth: BandwidthRow | undefined, field: string): ObservedValue | undefined {
  switch (field) {
    case FIELD.user:
      return row.user;
    case FIELD.domain:
      return row.domain;
    case FIELD.package:
      return typeof row.raw.plan === "string" ? row.raw.plan : undefined;
    case FIELD.email:
      return contactEmail(row.raw.email) ?? undefined;
    case SHELL_FIELD:
      return readAccountShell(row.raw.shell) ?? undefined;
    case DISK_USED_FIELD:
      return readUsedMb(row.raw.diskused, "mb") ?? undefined;
    case BANDWIDTH_USED_FIELD:
      return bandwidth === undefined ? undefined : (readUsedMb(bandwidth.used, "bytes") ?? undefined);
    case BANDWIDTH_FIELD:
      return bandwidth === undefined ? undefined : (readBytesAsMb(bandwidth.limit) ?? undefined);
    default: {
      const spec = limitSpec(field);
      if (spec?.accountField == null) return undefined;
      return readLimit(spec, row.raw[spec.accountField]) ?? undefined;
    }
  }
}

/** An account as a resource with exactly the requested fields it reports (an absent one stays absent, never becomes null). */
export function observedAccount(server: string, row: AccountRow, bandwidth: BandwidthRow | undefined, fields: readonly string[]): ObservedResource {
  const groups: Record<string, Record<string, ObservedValue>> = {};
  for (const field of readFields(fields)) {
    const value = fieldValue(row, bandwidth, field);
    if (value === undefined) continue;
    const dot = field.indexOf(".");
    (groups[field.slice(0, dot)] ??= {})[field.slice(dot + 1)] = value;
  }
  return {
    server,
    kind: ACCOUNT_KIND,
    id: row.uid,
    name: row.domain,
    state: row.suspended ? "suspended" : "active",
    ...(row.suspended && { suspension: { since: suspendedSince(row.raw.suspendtime), reason: suspendReason(row.raw.suspendreason) } }),
    fields: groups,
  };
}

/** Every account as a resource, in uid order, with its `showbw` line when bandwidth was read. */
export function observedAccounts(server: string, rows: readonly AccountRow[], bandwidth: readonly BandwidthRow[] | null, fields: readonly string[]): ObservedResource[] {
  const lines = new Map((bandwidth ?? []).map((b) => [b.user, b]));
  return [...rows].sort(byUid).map((row) => observedAccount(server, row, lines.get(row.user), fields));
}
