/**
 * The one place where WHM's ways of writing a limit become siteform's and back. WHM mixes
 * units and spellings: `listaccts` gives the disk quota as `"5120M"` or `"unlimited"`, `showbw`
 * the bandwidth limit in bytes, `listpkgs` both in MB; counts come as numbers, numeric strings,
 * `"unlimited"` or `"*unknown*"`; shell access is a shell path on an account and `y`/`n` on a
 * package. siteform compares one form: a whole number of MB (or a count), or `"unlimited"`.
 *
 * Zero: for the disk quota and the bandwidth limit WHM reads 0 as "no limit" (createacct,
 * editquota, limitbw), so a 0 read from the server is `"unlimited"` here and `"unlimited"` is
 * sent as 0. The inventory cannot say 0 for them (the schema's minimum is 1), so what the
 * planner compares is always what a read gives back. For counts (mailboxes, databases, …) 0
 * means none allowed and `"unlimited"` is its own word, both ways.
 */

export const UNLIMITED = "unlimited";

/** A limit as siteform compares it. */
export type Limit = number | typeof UNLIMITED;

const BYTES_PER_MB = 1024 * 1024;

/** Where one limit lives in WHM: what reads it and what sets it. */
export interface LimitSpec {
  /** `group.field`. */
  field: string;
  /** The `listaccts`/`accountsummary` field; null when those do not report it (bandwidth: `showbw`). */
  accountField: string | null;
  /** The `listpkgs` field. */
  packageField: string;
  /** How it is set: its own call (MB, 0 = unlimited), or a `modifyacct` parameter. */
  write: { call: "editquota" | "limitbw" } | { modifyacct: string };
  /** A size in MB (0 means unlimited) or a count (0 means none). */
  unit: "mb" | "count";
}

export const LIMITS: readonly LimitSpec[] = [
  { field: "limits.disk_mb", accountField: "disklimit", packageField: "QUOTA", write: { call: "editquota" }, unit: "mb" },
  { field: "limits.bandwidth_mb", accountField: null, packageField: "BWLIMIT", write: { call: "limitbw" }, unit: "mb" },
  { field: "limits.mailboxes", accountField: "maxpop", packageField: "MAXPOP", write: { modifyacct: "MAXPOP" }, unit: "count" },
  { field: "limits.databases", accountField: "maxsql", packageField: "MAXSQL", write: { modifyacct: "MAXSQL" }, unit: "count" },
  { field: "limits.ftp_accounts", accountField: "maxftp", packageField: "MAXFTP", write: { modifyacct: "MAXFTP" }, unit: "count" },
  { field: "limits.subdomains", accountField: "maxsub", packageField: "MAXSUB", write: { modifyacct: "MAXSUB" }, unit: "count" },
  { field: "limits.parked_domains", accountField: "maxparked", packageField: "MAXPARK", write: { modifyacct: "MAXPARK" }, unit: "count" },
  { field: "limits.addon_domains", accountField: "maxaddons", packageField: "MAXADDON", write: { modifyacct: "MAXADDON" }, unit: "count" },
];

export const SHELL_FIELD = "shell.enabled";
export const BANDWIDTH_FIELD = "limits.bandwidth_mb";
export const DISK_USED_FIELD = "usage.disk_mb";
export const BANDWIDTH_USED_FIELD = "usage.bandwidth_mb";

export function limitSpec(field: string): LimitSpec | undefined {
  return LIMITS.find((l) => l.field === field);
}

/** A whole number as WHM writes one: a number, or a string of digits with an optional `M` (megabytes) after it. */
function wholeNumber(value: unknown, allowSuffix: boolean): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== "string") return null;
  const match = (allowSuffix ? /^\s*(\d+(?:\.\d+)?)\s*M?\s*$/i : /^\s*(\d+(?:\.\d+)?)\s*$/).exec(value);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function isUnlimited(value: unknown): boolean {
  return typeof value === "string" && value.trim().toLowerCase() === UNLIMITED;
}

/**
 * A size in MB as `listaccts` (`"5120M"`) or `listpkgs` (`5120`, `"5120"`) report it. 0 and
 * `"unlimited"` are `"unlimited"`; `"*unknown*"` or anything else unreadable is null (not reported).
 */
export function readSizeMb(value: unknown): Limit | null {
  if (isUnlimited(value)) return UNLIMITED;
  const mb = wholeNumber(value, true);
  if (mb === null) return null;
  return mb === 0 ? UNLIMITED : mb;
}

/** A size in bytes as `showbw` reports a limit, in MB; 0 and `"unlimited"` are `"unlimited"`. A limit set in bytes that is not whole MB keeps its fraction, so it shows as a change. */
export function readBytesAsMb(value: unknown): Limit | null {
  if (isUnlimited(value)) return UNLIMITED;
  const bytes = wholeNumber(value, false);
  if (bytes === null) return null;
  return bytes === 0 ? UNLIMITED : bytes / BYTES_PER_MB;
}

/** A count (`maxpop`, `MAXSQL`, …): a number, a numeric string or `"unlimited"`; 0 is 0. `"*unknown*"` is null. */
export function readCount(value: unknown): Limit | null {
  if (isUnlimited(value)) return UNLIMITED;
  return wholeNumber(value, false);
}

/** A limit field read off an account or package value, by its unit. */
export function readLimit(spec: LimitSpec, value: unknown): Limit | null {
  return spec.unit === "mb" ? readSizeMb(value) : readCount(value);
}

/** What is used (`diskused` `"14M"`, `showbw` `totalbytes`), in MB; 0 is 0 here: nothing used. */
export function readUsedMb(value: unknown, unit: "mb" | "bytes"): number | null {
  const amount = wholeNumber(value, unit === "mb");
  if (amount === null) return null;
  return unit === "mb" ? amount : amount / BYTES_PER_MB;
}

/** MB as WHM's `showbw`/`modifyacct BWLIMIT` count them. */
export function mbToBytes(mb: number): number {
  return mb * BYTES_PER_MB;
}

/**
 * Usage figures are in bytes, converted here once from however WHM wrote them. A size in MB
 * (`diskused` `"14M"`, `disklimit` `"5120M"`) in whole bytes; undefined when unreadable.
 */
export function usedMbAsBytes(value: unknown): number | undefined {
  const mb = readUsedMb(value, "mb");
  return mb === null ? undefined : Math.round(mbToBytes(mb));
}

/** A disk limit in MB as bytes: null when unlimited (`"unlimited"` or 0), undefined when unreadable. */
export function limitMbAsBytes(value: unknown): number | null | undefined {
  const limit = readSizeMb(value);
  if (limit === null) return undefined;
  return limit === UNLIMITED ? null : Math.round(mbToBytes(limit));
}

/** A byte count as `showbw` writes one (`totalbytes`); undefined when unreadable. */
export function bytesOf(value: unknown): number | undefined {
  return wholeNumber(value, false) ?? undefined;
}

/** A bandwidth limit in bytes as `showbw` writes it: null when unlimited (`"unlimited"` or 0), undefined when unreadable. */
export function limitBytesOf(value: unknown): number | null | undefined {
  if (isUnlimited(value)) return null;
  const bytes = wholeNumber(value, false);
  if (bytes === null) return undefined;
  return bytes === 0 ? null : bytes;
}

/** Shells that mean "no shell access": WHM's own placeholder, and the usual system ones. */
const NO_SHELL = /(?:^|\/)(?:noshell|nologin|false)$/;

/** Shell access from an account's `shell` (a path): any real shell is access. null when not reported. */
export function readAccountShell(value: unknown): boolean | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  return !NO_SHELL.test(value.trim());
}

/** A package's `y`/`n` switch (`HASSHELL`), also as 1/0. null when unreadable. */
export function readPackageSwitch(value: unknown): boolean | null {
  if (value === 1 || value === "1" || value === true) return true;
  if (value === 0 || value === "0" || value === false) return false;
  if (typeof value !== "string") return null;
  const v = value.trim().toLowerCase();
  return v === "y" || v === "yes" ? true : v === "n" || v === "no" ? false : null;
}

/** A plan value that is not a limit: a siteform bug, since the schema admits only limits. */
export class LimitValueError extends Error {
  constructor(field: string, value: unknown) {
    super(`${field} must be a whole number or "${UNLIMITED}", not ${JSON.stringify(value)}`);
    this.name = "LimitValueError";
  }
}

/** A limit as a plan carries it (a number, `"unlimited"`, or digits as a string). */
export function toLimit(field: string, value: unknown): Limit {
  if (isUnlimited(value)) return UNLIMITED;
  const n = wholeNumber(value, false);
  if (n === null || !Number.isInteger(n)) throw new LimitValueError(field, value);
  return n;
}

/** The parameter value that sets a limit: MB sizes as a number with 0 for unlimited, counts as a number or `unlimited`. */
export function limitParam(spec: LimitSpec, limit: Limit): number | string {
  if (spec.unit === "mb") return limit === UNLIMITED ? 0 : limit;
  return limit;
}
