/**
 * The `since` flag of admin_delete_site: a point in time, as `now`, a relative past
 * (`30 days ago`, `2 weeks ago`, `12 hours ago`, `1 month ago`) or a unix time (number or
 * numeric string). PHP's strtotime accepts far more (dates, `yesterday`, `30 days` meaning
 * the future); those are refused because a misread cut-off deletes the wrong sites.
 * Calendar units count in UTC, as the emulator has no time zone.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import { ApiFault } from "../api.js";
import { describeValue } from "./values.js";

const RELATIVE = /^(\d{1,6})\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?\s+ago$/i;

const SECONDS: Readonly<Record<string, number>> = {
  second: 1,
  sec: 1,
  minute: 60,
  min: 60,
  hour: 3600,
  day: 86400,
  week: 7 * 86400,
  fortnight: 14 * 86400,
};

/** The cut-off in unix seconds. */
export function parseSince(value: SoapValue, now: number): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text.toLowerCase() === "now") return now;
    if (/^\d+$/.test(text)) return Number(text);
    const match = RELATIVE.exec(text);
    if (match) return relative(Number(match[1]), (match[2] as string).toLowerCase(), now);
  }
  throw new ApiFault(
    `invalid since ${describeValue(value)}: expected "now", a relative time such as "30 days ago", or a unix time`,
  );
}

function relative(amount: number, unit: string, now: number): number {
  const seconds = SECONDS[unit];
  if (seconds !== undefined) return now - amount * seconds;
  const date = new Date(now * 1000);
  if (unit === "month") date.setUTCMonth(date.getUTCMonth() - amount);
  else date.setUTCFullYear(date.getUTCFullYear() - amount);
  return Math.floor(date.getTime() / 1000);
}
