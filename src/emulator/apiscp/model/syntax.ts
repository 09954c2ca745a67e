/**
 * The shapes of names ApisCP checks: hostnames, admin users, e-mail addresses, IPv4
 * addresses, invoices and provider names. Pure predicates; no knowledge of which parameter
 * uses which. Where ApisCP's exact pattern is unknown the rule here is the stricter guess.
 */

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const TLD = "(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})";
const HOSTNAME = new RegExp(`^(?:${LABEL}\\.)+${TLD}$`);

/** A fully qualified, lowercase hostname with at least two labels (no bare TLDs, no IPs). */
export function isHostname(text: string): boolean {
  return text.length <= 253 && HOSTNAME.test(text);
}

const ADMIN_USER = /^[a-z][a-z0-9_]{0,31}$/;

/** Unix login names: lowercase, starting with a letter, at most 32 characters. */
export function isAdminUser(text: string): boolean {
  return ADMIN_USER.test(text);
}

const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

export function isEmail(text: string): boolean {
  const at = text.lastIndexOf("@");
  if (at <= 0) return false;
  return LOCAL_PART.test(text.slice(0, at)) && isHostname(text.slice(at + 1).toLowerCase());
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** Billing invoices are opaque tokens; whitespace and control characters are refused. */
const INVOICE = /^[\x21-\x7e]{1,128}$/;

export function isInvoice(text: string): boolean {
  return INVOICE.test(text);
}

/** DNS and mail provider module names (`builtin`, `null`, `cloudflare`, `digitalocean`, …). */
const PROVIDER = /^[a-z][a-z0-9_-]{0,31}$/;

export function isProviderName(text: string): boolean {
  return PROVIDER.test(text);
}

/** Plan names as `artisan opcenter:plan` accepts them (directory names under plans/). */
const PLAN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isPlanName(text: string): boolean {
  return PLAN.test(text);
}

/** Database prefixes end in `_`; MySQL's identifier limits keep them short. */
const DB_PREFIX = /^[a-z][a-z0-9_]{0,14}_$/;

export function isDbPrefix(text: string): boolean {
  return DB_PREFIX.test(text);
}
