/**
 * BILLmanager's dates: `YYYY-MM-DD` for a service's create and expiry dates, `YYYY-MM-DD HH:MM:SS`
 * (UTC) for history events, and calendar months for periods (a month after Jan 31 is the last
 * day of February, as billing systems clamp it).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function dateOf(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 10);
}

export function dateTimeOf(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 19).replace("T", " ");
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

