/**
 * The `data` of the WHM functions siteform reads, checked just enough to be used safely:
 * accounts (`listaccts`, `accountsummary`), packages (`listpkgs`), bandwidth (`showbw`), a
 * login session (`create_user_session`) and the version. Every field beyond the few that identify an account is kept as WHM wrote it
 * (numbers as strings, `"unlimited"`, …): limits.ts reads those. A shape that does not fit is
 * a ResultShapeError, which the client turns into a protocol error.
 */

export class ResultShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResultShapeError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One account as `listaccts`/`accountsummary` report it. */
export interface AccountRow {
  /** The Unix uid, as digits. */
  uid: string;
  user: string;
  domain: string;
  /** 1 when suspended. */
  suspended: boolean;
  /** Every field as WHM wrote it. */
  raw: Readonly<Record<string, unknown>>;
}

/** One package as `listpkgs` reports it: its name and its settings (`QUOTA`, `MAXPOP`, …) as written. */
export interface PackageRow {
  name: string;
  raw: Readonly<Record<string, unknown>>;
}

/** One account's line of `showbw`. */
export interface BandwidthRow {
  user: string;
  /** The limit as written (bytes, or `"unlimited"`). */
  limit: unknown;
  /** Bytes used this month, as written. */
  used: unknown;
}

function text(row: Record<string, unknown>, field: string, what: string): string {
  const value = row[field];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new ResultShapeError(`${what} has no ${field}`);
}

function flag(value: unknown): boolean {
  return value === 1 || value === "1" || value === true;
}

/** A list under `data.<key>`; an absent list is empty (WHM leaves it out when nothing matches). */
function listOf(data: unknown, key: string, what: string): unknown[] {
  if (data === undefined || data === null) return [];
  if (!isRecord(data)) throw new ResultShapeError(`expected ${what} under data.${key}, got ${describe(data)}`);
  const list = data[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ResultShapeError(`expected a list at data.${key}, got ${describe(list)}`);
  return list;
}

export function readAccounts(data: unknown): AccountRow[] {
  return listOf(data, "acct", "accounts").map((item, index) => {
    if (!isRecord(item)) throw new ResultShapeError(`account ${index} is ${describe(item)}, not an object`);
    const uid = text(item, "uid", `account ${index}`);
    if (!/^\d+$/.test(uid)) throw new ResultShapeError(`account ${index} has the uid ${JSON.stringify(uid)}, not a number`);
    return { uid, user: text(item, "user", `account ${index}`), domain: text(item, "domain", `account ${index}`), suspended: flag(item.suspended), raw: item };
  });
}

export function readPackages(data: unknown): PackageRow[] {
  return listOf(data, "pkg", "packages").map((item, index) => {
    if (!isRecord(item)) throw new ResultShapeError(`package ${index} is ${describe(item)}, not an object`);
    return { name: text(item, "name", `package ${index}`), raw: item };
  });
}

export function readBandwidth(data: unknown): BandwidthRow[] {
  return listOf(data, "acct", "bandwidth").map((item, index) => {
    if (!isRecord(item)) throw new ResultShapeError(`bandwidth line ${index} is ${describe(item)}, not an object`);
    return { user: text(item, "user", `bandwidth line ${index}`), limit: item.limit, used: item.totalbytes };
  });
}

/** A one-time login `create_user_session` made: its URL (a credential) and when it stops working. */
export interface UserSession {
  url: string;
  /** Unix seconds, when WHM says. */
  expires: number | null;
  /** `data.session` (`USER:RANDOM…`), the credential inside the URL, when WHM says. */
  session: string | null;
}

/** `data.url` and `data.expires`; the URL must be an absolute http(s) URL. Never quotes the URL: it is a credential. */
export function readUserSession(data: unknown): UserSession {
  if (!isRecord(data)) throw new ResultShapeError(`expected data with a session url, got ${describe(data)}`);
  const url = data.url;
  if (typeof url !== "string" || !/^https?:\/\/[^\s/]+\/\S*$/.test(url)) throw new ResultShapeError("the session has no url, or one that is not an absolute http(s) URL");
  const expires = typeof data.expires === "number" ? data.expires : typeof data.expires === "string" && /^\d+$/.test(data.expires) ? Number(data.expires) : null;
  const session = typeof data.session === "string" && data.session.trim() !== "" ? data.session : null;
  return { url, expires: expires !== null && Number.isFinite(expires) && expires > 0 ? expires : null, session };
}

export function readVersion(data: unknown): string {
  if (!isRecord(data)) throw new ResultShapeError(`expected data with a version, got ${describe(data)}`);
  return text(data, "version", "the answer");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
