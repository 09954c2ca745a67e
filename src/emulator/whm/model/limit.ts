/**
 * WHM's limit values and their units, in one place. A limit is a number or `"unlimited"`; what a
 * 0 means depends on the parameter (for disk quota and bandwidth 0 is unlimited, for a count of
 * mailboxes given to modifyacct it is zero), so every parser here is told which it is. Units:
 * disk and bandwidth limits are kept in MB (MiB, 1,048,576 bytes, as WHM's "MB" is); modifyacct's
 * BWLIMIT and showbw speak bytes and convert here.
 */

export type Limit = number | "unlimited";
export const UNLIMITED = "unlimited";

export const BYTES_PER_MB = 1024 * 1024;
/** The largest count WHM accepts for MAX* parameters. */
export const MAX_COUNT = 999_999;

/** What a 0 means for one parameter. */
export type ZeroMeans = "unlimited" | "zero";

/**
 * A limit as a query parameter spells it: an integer, `unlimited` (any case) or `null` (both
 * meaning no limit). Returns undefined when the text is none of these; `max` bounds the number.
 */
export function parseLimit(text: string, zero: ZeroMeans, max = Number.MAX_SAFE_INTEGER): Limit | undefined {
  const t = text.trim().toLowerCase();
  if (t === UNLIMITED || t === "null") return UNLIMITED;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  if (n > max) return undefined;
  return n === 0 && zero === "unlimited" ? UNLIMITED : n;
}

/** Bytes (modifyacct BWLIMIT) → MB, rounding a part-MB up: WHM shows whole MB, and a limit never shrinks by conversion. */
export function bytesToMb(limit: Limit): Limit {
  return limit === UNLIMITED ? UNLIMITED : Math.ceil(limit / BYTES_PER_MB);
}

/** MB → bytes, for showbw's `limit` and cpuser's BWLIMIT; 0 stands for unlimited there. */
export function mbToBytes(limit: Limit): number {
  return limit === UNLIMITED ? 0 : limit * BYTES_PER_MB;
}

export function isLimit(value: unknown): value is Limit {
  return value === UNLIMITED || (typeof value === "number" && Number.isInteger(value) && value >= 0);
}

/** `"unlimited"` or the number as a string, as a cpuser file (and so most of WHM's JSON) holds it. */
export function limitText(limit: Limit): string {
  return limit === UNLIMITED ? UNLIMITED : String(limit);
}
