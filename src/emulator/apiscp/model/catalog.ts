/**
 * The service catalogue: every service a site is configured with, every parameter it
 * accepts, which of them a plan controls, which are secrets, and how a value is validated
 * and normalised. ApisCP aborts on an unknown service or parameter, so lookups here fault;
 * anything not listed does not exist for the emulator. Does not know about sites or plans.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import { ApiFault } from "../api.js";
import type { Coerced } from "./coerce.js";
import { accept, refuse, toFlag, toNumber } from "./coerce.js";
import { isSealed, seal } from "./secrets.js";
import {
  isAdminUser,
  isDbPrefix,
  isEmail,
  isHostname,
  isInvoice,
  isIpv4,
  isPlanName,
  isProviderName,
} from "./syntax.js";
import { describeValue, quote } from "./values.js";

/**
 * `plan`: a plan supplies the default and applying a plan may change it.
 * `site`: belongs to one site (identity, billing, passwords, its alias list); plans never touch it.
 * `derived`: computed from the site record when read; it cannot be set.
 */
export type ParamScope = "plan" | "site" | "derived";

export interface ParamSpec {
  scope: ParamScope;
  /** Never returned by any call, never shown in a fault, stored sealed. */
  secret: boolean;
  /** Plan params: the skeleton default every plan starts from. Site params: a new site's value. */
  initial: SoapValue;
  check(value: SoapValue): Coerced<SoapValue>;
}

type Check = (value: SoapValue) => Coerced<SoapValue>;

const flag: Check = (value) => toFlag(value);

function nullable(check: Check): Check {
  return (value) => (value === null ? accept(null) : check(value));
}

function count(min: number, max?: number): Check {
  return (value) => toNumber(value, { integer: true, min, ...(max === undefined ? {} : { max }) });
}

const amount: Check = (value) => toNumber(value, { integer: false, min: 0 });

function oneOf(values: readonly string[]): Check {
  return (value) =>
    typeof value === "string" && values.includes(value)
      ? accept(value)
      : refuse(`expected one of ${values.join(", ")}`);
}

function text(test: (s: string) => boolean, what: string, transform: (s: string) => string = (s) => s): Check {
  return (value) => {
    if (typeof value !== "string") return refuse(`expected ${what}`);
    const normal = transform(value);
    return test(normal) ? accept(normal) : refuse(`not ${what}`);
  };
}

const lower = (s: string): string => s.toLowerCase();
const hostname = text(isHostname, "a valid hostname", lower);

const hostnameList: Check = (value) => {
  if (!Array.isArray(value)) return refuse("expected a list of hostnames");
  const out: string[] = [];
  for (const item of value) {
    const one = hostname(item);
    if (!one.ok) return refuse(`${describeValue(item)} is not a valid hostname`);
    const name = one.value as string;
    if (out.includes(name)) return refuse(`${quote(name)} is listed twice`);
    out.push(name);
  }
  return accept(out);
};

/** A single address or a non-empty list of them; the shape given is the shape kept. */
const emails: Check = (value) => {
  if (typeof value === "string") return isEmail(value) ? accept(value) : refuse("not a valid e-mail address");
  if (!Array.isArray(value) || value.length === 0) return refuse("expected an e-mail address or a list of them");
  const bad = value.find((item) => typeof item !== "string" || !isEmail(item));
  return bad === undefined ? accept([...value]) : refuse(`${describeValue(bad)} is not a valid e-mail address`);
};

const ipv4List: Check = (value) => {
  if (!Array.isArray(value)) return refuse("expected a list of IPv4 addresses");
  const bad = value.find((item) => typeof item !== "string" || !isIpv4(item));
  return bad === undefined ? accept([...value]) : refuse(`${describeValue(bad)} is not an IPv4 address`);
};

const notes: Check = (value) =>
  typeof value === "string" && value.length <= 4096
    ? accept(value)
    : refuse("expected text of at most 4096 characters");

/**
 * Secrets are sealed as they are accepted, and an already sealed value (from a saved state)
 * is kept as it is. Reasons never repeat the value.
 */
function secret(minLength: number, what: string, test: (s: string) => boolean = () => true): Check {
  return (value) => {
    if (typeof value !== "string") return refuse(`expected ${what}`);
    if (isSealed(value)) return accept(value);
    return value.length >= minLength && test(value) ? accept(seal(value)) : refuse(`expected ${what}`);
  };
}

const password = secret(8, "a password of at least 8 characters");
const crypted = secret(2, "a crypt(3) hash starting with `$'", (s) => s.startsWith("$"));
const apiKey = secret(1, "a non-empty key");

function param(scope: ParamScope, initial: SoapValue, check: Check, isSecret = false): ParamSpec {
  return { scope, initial, check, secret: isSecret };
}

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;
const enabled = (on: 0 | 1): ParamSpec => param("plan", on, flag);
const limit = (initial: number | null, min: number, max?: number): ParamSpec =>
  param("plan", initial, nullable(count(min, max)));

const invoice = nullable(text(isInvoice, "an invoice (1-128 printable characters, no spaces)"));
const dbPrefix = text(isDbPrefix, "a database prefix ending in `_'");
const provider = text(isProviderName, "a provider name");
const providerKey = param("plan", null, nullable(apiKey), true);
/** diskquota and bandwidth: a switch, an amount (null: unlimited) and its units. */
const measured = (amountParam: string, initial: number): Record<string, ParamSpec> => ({
  enabled: enabled(1),
  [amountParam]: param("plan", initial, nullable(amount)),
  units: param("plan", "GB", oneOf(UNITS)),
});

const CATALOG: Readonly<Record<string, Readonly<Record<string, ParamSpec>>>> = {
  siteinfo: {
    domain: param("site", null, hostname),
    admin_user: param("site", null, text(isAdminUser, "a valid admin user name")),
    email: param("site", "blackhole@apiscp.com", emails),
    plan: param("site", null, text(isPlanName, "a valid plan name")),
    notes: param("site", null, nullable(notes)),
    enabled: param("derived", 1, flag),
  },
  auth: {
    tpasswd: param("site", null, password, true),
    cpasswd: param("site", null, crypted, true),
  },
  billing: { invoice: param("site", null, invoice), parent_invoice: param("site", null, invoice) },
  diskquota: measured("quota", 5),
  bandwidth: measured("threshold", 50),
  aliases: { enabled: enabled(1), aliases: param("site", [], hostnameList), max: limit(5, 0) },
  ssh: { enabled: enabled(1) },
  mysql: { enabled: enabled(1), dbaseprefix: param("site", null, dbPrefix), dbasenum: limit(10, 0, 999) },
  pgsql: { enabled: enabled(1), dbaseprefix: param("site", null, dbPrefix), dbasenum: limit(10, 0, 999) },
  cgroup: {
    enabled: enabled(1),
    memory: limit(512, 0),
    cpu: param("plan", 100, nullable(amount)),
    proclimit: limit(50, 0, 4096),
    io: limit(null, 0),
  },
  dns: { enabled: enabled(1), provider: param("plan", "builtin", provider), key: providerKey },
  mail: { enabled: enabled(1), provider: param("plan", "builtin", provider), key: providerKey },
  apache: { enabled: enabled(1), jail: enabled(0) },
  ftp: { enabled: enabled(1) },
  ipinfo: { namebased: enabled(1), ipaddrs: param("site", [], ipv4List) },
  spamfilter: { enabled: enabled(1), provider: param("plan", "rspamd", oneOf(["spamassassin", "rspamd"])) },
  ssl: { enabled: enabled(1) },
  crontab: { enabled: enabled(1) },
  users: { enabled: enabled(1), max: limit(null, 0) },
};

export function fieldKey(service: string, param: string): string {
  return `${service}.${param}`;
}

export function serviceNames(): string[] {
  return Object.keys(CATALOG);
}

/** The service's parameters; faults on an unknown service, as ApisCP aborts the command. */
export function serviceParams(service: string): Readonly<Record<string, ParamSpec>> {
  if (!Object.hasOwn(CATALOG, service)) throw new ApiFault(`unknown service ${quote(service)}`);
  return CATALOG[service] as Readonly<Record<string, ParamSpec>>;
}

export function paramSpec(service: string, param: string): ParamSpec {
  const params = serviceParams(service);
  if (!Object.hasOwn(params, param)) throw new ApiFault(`unknown service parameter ${quote(fieldKey(service, param))}`);
  return params[param] as ParamSpec;
}

/** Every (service, param) pair, in catalogue order. */
export function allParams(): Array<{ service: string; param: string; spec: ParamSpec }> {
  return Object.entries(CATALOG).flatMap(([service, params]) =>
    Object.entries(params).map(([param, spec]) => ({ service, param, spec })),
  );
}

/** Validates and normalises one value; the fault names `service.param` and, unless secret, the value. */
export function normaliseParam(service: string, param: string, value: SoapValue): SoapValue {
  const spec = paramSpec(service, param);
  const result = spec.check(value);
  if (result.ok) return result.value;
  const key = quote(fieldKey(service, param));
  const shown = spec.secret ? "(secret not shown)" : describeValue(value);
  throw new ApiFault(`invalid value ${shown} for ${key}: ${result.reason}`);
}
