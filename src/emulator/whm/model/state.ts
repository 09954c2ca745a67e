/**
 * The WHM emulator's state as plain JSON (what `--state FILE` holds and `accounts()` returns):
 * hosting packages as listpkgs reports them and accounts with their limits in WHM's units. The
 * input forms let a test or a state file leave out what has an obvious default; validation turns
 * them into full records or says exactly which entry is wrong and why.
 */
import { isLimit, UNLIMITED, type Limit } from "./limit.js";
import { DEFAULT_MIN_STRENGTH, validatePasswordRecord, type WhmPasswordRecord } from "./password.js";
import { usernameProblem, firstEightClash } from "./username.js";

export type YesNo = "y" | "n";

/** A hosting package, keyed as listpkgs reports it; QUOTA and BWLIMIT in MB. */
export interface WhmPackageRecord {
  name: string;
  QUOTA: Limit;
  BWLIMIT: Limit;
  MAXPOP: Limit;
  MAXSQL: Limit;
  MAXFTP: Limit;
  MAXSUB: Limit;
  MAXPARK: Limit;
  MAXADDON: Limit;
  MAXLST: Limit;
  HASSHELL: YesNo;
  CGI: YesNo;
  IP: YesNo;
  DIGESTAUTH: YesNo;
  FEATURELIST: string;
  CPMOD: string;
  LANG: string;
  MAX_EMAIL_PER_HOUR: Limit;
  MAX_DEFER_FAIL_PERCENTAGE: Limit;
  MAX_EMAILACCT_QUOTA: Limit;
}

/** An account's own limits (what changepackage resets to the package's); disk and bandwidth in MB. */
export interface WhmLimits {
  quotaMb: Limit;
  bwlimitMb: Limit;
  maxpop: Limit;
  maxsql: Limit;
  maxftp: Limit;
  maxsub: Limit;
  maxpark: Limit;
  maxaddon: Limit;
  maxlst: Limit;
}

export interface WhmAccountRecord {
  /** The Unix uid: assigned once at creation, kept across a rename of the user. */
  uid: number;
  user: string;
  domain: string;
  /** The domain was made up because createacct got none. */
  temporaryDomain: boolean;
  email: string;
  plan: string;
  owner: string;
  ip: string;
  suspended: boolean;
  /** Null while not suspended (listaccts then says "not suspended"). */
  suspendreason: string | null;
  /** Unix seconds of the suspension; null while not suspended. */
  suspendtime: number | null;
  /** Suspended with disallowun=1: only root may unsuspend. */
  locked: boolean;
  /** Unix seconds of creation. */
  startdate: number;
  hasshell: boolean;
  limits: WhmLimits;
  /** What the account has used: disk in MB (listaccts' `diskused`), this month's bandwidth in bytes (showbw's `totalbytes`). */
  usage: { diskMb: number; bandwidthBytes: number };
  /** A salted hash of the password `passwd` (or createacct) set, and how often it changed; never the password. */
  password: WhmPasswordRecord;
}

export interface WhmState {
  version: 1;
  /** The uid the next account gets (createacct without uid=). */
  nextUid: number;
  /** The minimum password strength (0–100) `passwd` requires, as cpanel.config's `minpwstrength`. */
  minpwstrength: number;
  packages: WhmPackageRecord[];
  accounts: WhmAccountRecord[];
}

export type WhmPackageInput = Pick<WhmPackageRecord, "name"> & Partial<Omit<WhmPackageRecord, "name">>;
export type WhmAccountInput = Pick<WhmAccountRecord, "user" | "domain"> &
  Partial<Omit<WhmAccountRecord, "user" | "domain" | "limits" | "usage" | "password">> & {
    limits?: Partial<WhmLimits>;
    usage?: Partial<WhmAccountRecord["usage"]>;
    password?: Partial<WhmPasswordRecord>;
  };
/** What options.state and a state file may hold: anything left out gets its default. */
export interface WhmStateInput {
  version?: 1;
  nextUid?: number;
  minpwstrength?: number;
  packages?: WhmPackageInput[];
  accounts?: WhmAccountInput[];
}

/** The shared address every account gets (a documentation address: nothing real answers there). */
export const SHARED_IP = "192.0.2.10";
export const FIRST_UID = 1001;

/** What addpkg gives a package for the values it is not told. */
const PACKAGE_DEFAULTS: Omit<WhmPackageRecord, "name"> = {
  QUOTA: 10240,
  BWLIMIT: 1048576,
  MAXPOP: UNLIMITED,
  MAXSQL: UNLIMITED,
  MAXFTP: UNLIMITED,
  MAXSUB: UNLIMITED,
  MAXPARK: 0,
  MAXADDON: 0,
  MAXLST: UNLIMITED,
  HASSHELL: "n",
  CGI: "y",
  IP: "n",
  DIGESTAUTH: "n",
  FEATURELIST: "default",
  CPMOD: "jupiter",
  LANG: "en",
  MAX_EMAIL_PER_HOUR: UNLIMITED,
  MAX_DEFER_FAIL_PERCENTAGE: UNLIMITED,
  MAX_EMAILACCT_QUOTA: 1024,
};

/** `default` (everything unlimited but parked and addon domains, as a fresh WHM) and two sized packages. */
export function defaultWhmState(): WhmState {
  const pkg = (p: WhmPackageInput): WhmPackageRecord => ({ ...PACKAGE_DEFAULTS, ...p });
  return {
    version: 1,
    nextUid: FIRST_UID,
    minpwstrength: DEFAULT_MIN_STRENGTH,
    packages: [
      pkg({ name: "default", QUOTA: UNLIMITED, BWLIMIT: UNLIMITED }),
      pkg({ name: "starter", QUOTA: 5120, BWLIMIT: 51200, MAXPOP: 10, MAXSQL: 2, MAXFTP: 2, MAXSUB: 5, MAXPARK: 1, MAXADDON: 0 }),
      pkg({
        name: "business",
        QUOTA: 20480,
        BWLIMIT: 204800,
        MAXPOP: 100,
        MAXSQL: 20,
        MAXFTP: 10,
        MAXSUB: UNLIMITED,
        MAXPARK: 10,
        MAXADDON: 5,
        HASSHELL: "y",
      }),
    ],
    accounts: [],
  };
}

/** The limits an account on `pkg` starts with. */
export function packageLimits(pkg: WhmPackageRecord): WhmLimits {
  return {
    quotaMb: pkg.QUOTA,
    bwlimitMb: pkg.BWLIMIT,
    maxpop: pkg.MAXPOP,
    maxsql: pkg.MAXSQL,
    maxftp: pkg.MAXFTP,
    maxsub: pkg.MAXSUB,
    maxpark: pkg.MAXPARK,
    maxaddon: pkg.MAXADDON,
    maxlst: pkg.MAXLST,
  };
}

const UNLIMITED_LIMITS: WhmLimits = {
  quotaMb: UNLIMITED,
  bwlimitMb: UNLIMITED,
  maxpop: UNLIMITED,
  maxsql: UNLIMITED,
  maxftp: UNLIMITED,
  maxsub: UNLIMITED,
  maxpark: UNLIMITED,
  maxaddon: UNLIMITED,
  maxlst: UNLIMITED,
};

/** A problem with a state; the message names the entry and the field. */
export class WhmStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WhmStateError";
  }
}

/**
 * A full, consistent state from `raw` (a state file's JSON or options.state), or WhmStateError.
 * Accounts without limits take their package's; without a uid, the next free one.
 */
export function validateWhmState(raw: unknown): WhmState {
  if (!isObject(raw)) throw new WhmStateError("expected an object with packages and accounts");
  if (raw["version"] !== undefined && raw["version"] !== 1) {
    throw new WhmStateError(`version ${JSON.stringify(raw["version"])} is not supported (expected 1)`);
  }
  const packages = arrayAt(raw, "packages").map((p, i) => validatePackage(p, `packages[${i}]`));
  if (raw["packages"] === undefined) packages.push(...defaultWhmState().packages);
  unique(packages.map((p) => p.name), "packages", "name");

  const given = raw["nextUid"] ?? FIRST_UID;
  if (typeof given !== "number" || !Number.isInteger(given) || given < 1) {
    throw new WhmStateError(`nextUid must be a positive integer, got ${JSON.stringify(given)}`);
  }
  const inputs = arrayAt(raw, "accounts");
  // Pinned uids first, so an account without one never takes a uid another account asks for.
  const pinned = inputs.flatMap((a) => (isObject(a) && typeof a["uid"] === "number" ? [a["uid"]] : []));
  let nextUid = Math.max(given, ...pinned.map((u) => u + 1));
  const accounts: WhmAccountRecord[] = [];
  for (const [i, input] of inputs.entries()) {
    const account = validateAccount(input, `accounts[${i}]`, packages, () => nextUid);
    nextUid = Math.max(nextUid, account.uid + 1);
    accounts.push(account);
  }
  unique(accounts.map((a) => a.uid), "accounts", "uid");
  unique(accounts.map((a) => a.user), "accounts", "user");
  unique(accounts.map((a) => a.domain), "accounts", "domain");
  for (const account of accounts) {
    const clash = firstEightClash(account.user, accounts.filter((a) => a !== account).map((a) => a.user));
    if (clash !== undefined) {
      throw new WhmStateError(`accounts: users "${account.user}" and "${clash}" share their first 8 characters, which WHM forbids`);
    }
  }
  const minpwstrength = raw["minpwstrength"] ?? DEFAULT_MIN_STRENGTH;
  if (typeof minpwstrength !== "number" || !Number.isInteger(minpwstrength) || minpwstrength < 0 || minpwstrength > 100) {
    throw new WhmStateError(`minpwstrength must be an integer from 0 to 100, got ${JSON.stringify(minpwstrength)}`);
  }
  return { version: 1, nextUid, minpwstrength, packages, accounts };
}

/** What each package field holds, for validation (the defaults cannot say: "unlimited" is a string too). */
const PACKAGE_FIELDS: Record<keyof Omit<WhmPackageRecord, "name">, "limit" | "yesno" | "text"> = {
  QUOTA: "limit",
  BWLIMIT: "limit",
  MAXPOP: "limit",
  MAXSQL: "limit",
  MAXFTP: "limit",
  MAXSUB: "limit",
  MAXPARK: "limit",
  MAXADDON: "limit",
  MAXLST: "limit",
  HASSHELL: "yesno",
  CGI: "yesno",
  IP: "yesno",
  DIGESTAUTH: "yesno",
  FEATURELIST: "text",
  CPMOD: "text",
  LANG: "text",
  MAX_EMAIL_PER_HOUR: "limit",
  MAX_DEFER_FAIL_PERCENTAGE: "limit",
  MAX_EMAILACCT_QUOTA: "limit",
};

const FIELD_CHECKS = {
  limit: { ok: isLimit, expected: 'an integer ≥ 0 or "unlimited"' },
  yesno: { ok: (v: unknown) => v === "y" || v === "n", expected: '"y" or "n"' },
  text: { ok: (v: unknown) => typeof v === "string", expected: "a string" },
};

function validatePackage(raw: unknown, where: string): WhmPackageRecord {
  if (!isObject(raw)) throw new WhmStateError(`${where}: expected an object with at least a name`);
  const name = raw["name"];
  if (typeof name !== "string" || name.trim() === "") throw new WhmStateError(`${where}.name must be a non-empty string`);
  const record: Record<string, unknown> = { ...PACKAGE_DEFAULTS, name };
  for (const [key, value] of Object.entries(raw)) {
    if (key === "name") continue;
    if (!Object.hasOwn(PACKAGE_FIELDS, key)) throw new WhmStateError(`${where}: unknown field "${key}"`);
    const check = FIELD_CHECKS[PACKAGE_FIELDS[key as keyof typeof PACKAGE_FIELDS]];
    if (!check.ok(value)) throw new WhmStateError(`${where}.${key}: ${JSON.stringify(value)} is not ${check.expected}`);
    record[key] = value;
  }
  return record as unknown as WhmPackageRecord;
}

function validateAccount(raw: unknown, where: string, packages: WhmPackageRecord[], nextUid: () => number): WhmAccountRecord {
  if (!isObject(raw)) throw new WhmStateError(`${where}: expected an object with at least user and domain`);
  const str = (key: string, fallback?: string): string => {
    const v = raw[key] ?? fallback;
    if (typeof v !== "string") throw new WhmStateError(`${where}.${key} must be a string`);
    return v;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = raw[key] ?? fallback;
    if (typeof v !== "boolean") throw new WhmStateError(`${where}.${key} must be true or false`);
    return v;
  };
  const int = (key: string, fallback: number | null, from: Record<string, unknown> = raw, label = key): number => {
    const v = from[key] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new WhmStateError(`${where}.${label} must be an integer ≥ 0`);
    return v;
  };
  const user = str("user");
  const problem = usernameProblem(user);
  if (problem !== undefined) throw new WhmStateError(`${where}.user: ${problem}`);
  const domain = str("domain").toLowerCase();
  if (domain === "") throw new WhmStateError(`${where}.domain must not be empty`);
  const plan = str("plan", "default");
  const pkg = packages.find((p) => p.name === plan);
  const limitsRaw = raw["limits"] ?? {};
  if (!isObject(limitsRaw)) throw new WhmStateError(`${where}.limits must be an object`);
  const limits: WhmLimits = { ...(pkg ? packageLimits(pkg) : UNLIMITED_LIMITS) };
  for (const [key, value] of Object.entries(limitsRaw)) {
    if (!Object.hasOwn(UNLIMITED_LIMITS, key)) throw new WhmStateError(`${where}.limits: unknown limit "${key}"`);
    if (!isLimit(value)) throw new WhmStateError(`${where}.limits.${key}: ${JSON.stringify(value)} is not an integer ≥ 0 or "unlimited"`);
    limits[key as keyof WhmLimits] = value;
  }
  const usageRaw = raw["usage"] ?? {};
  if (!isObject(usageRaw)) throw new WhmStateError(`${where}.usage must be an object`);
  const suspended = bool("suspended", false);
  const suspendreason = raw["suspendreason"] ?? null;
  if (suspendreason !== null && typeof suspendreason !== "string") throw new WhmStateError(`${where}.suspendreason must be a string or null`);
  const suspendtime = raw["suspendtime"] ?? null;
  if (suspendtime !== null && (typeof suspendtime !== "number" || !Number.isInteger(suspendtime))) {
    throw new WhmStateError(`${where}.suspendtime must be unix seconds or null`);
  }
  return {
    uid: raw["uid"] === undefined ? nextUid() : int("uid", null),
    user,
    domain,
    temporaryDomain: bool("temporaryDomain", false),
    email: str("email", ""),
    plan,
    owner: str("owner", "root"),
    ip: str("ip", SHARED_IP),
    suspended,
    suspendreason: suspended ? (suspendreason ?? "") : null,
    suspendtime: suspended ? (suspendtime ?? 0) : null,
    locked: suspended && bool("locked", false),
    startdate: int("startdate", 0),
    hasshell: bool("hasshell", pkg?.HASSHELL === "y"),
    limits,
    usage: {
      diskMb: int("diskMb", 0, usageRaw, "usage.diskMb"),
      bandwidthBytes: int("bandwidthBytes", 0, usageRaw, "usage.bandwidthBytes"),
    },
    password: validatePasswordRecord(raw["password"], `${where}.password`, (message) => new WhmStateError(message)),
  };
}

function unique<T>(values: T[], where: string, field: string): void {
  const seen = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) throw new WhmStateError(`${where}: two entries have ${field} ${JSON.stringify(v)}`);
    seen.add(v);
  }
}

function arrayAt(raw: Record<string, unknown>, key: string): unknown[] {
  const v = raw[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new WhmStateError(`${key} must be an array`);
  return v;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
