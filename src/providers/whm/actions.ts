/**
 * The everyday actions on cPanel accounts outside git: usage (one `listaccts` with the disk
 * fields and one `showbw` per server, in bytes), a one-time login (`create_user_session` for
 * cpaneld), a password change (`passwd`), and the service-info view (the account's row, its
 * panel on cPanel's port 2083 and the theme's deep links). It decides and calls; wording
 * failures is the provider's (provider-error.ts). The login URL and the password are returned or
 * sent and nothing else: they reach no message built here.
 */
import type { LoginLink, ResourceInfo, ResourceLink, ResourceRef, ResourceUsage, UsageFigure } from "../provider.js";
import type { WhmClient } from "./client.js";
import { ACCOUNT_KIND } from "./kinds.js";
import { bytesOf, limitBytesOf, limitMbAsBytes, usedMbAsBytes } from "./limits.js";
import { byUid, contactEmail } from "./observe.js";
import type { AccountRow, BandwidthRow } from "./results.js";

/** The provider declined an action before calling WHM (another user than the account's, no such account). */
export class ActionRefusal extends Error {
  override readonly name = "ActionRefusal";
}

/** `listaccts` fields usage needs: the account's identity and its disk. */
const USAGE_WANT = ["uid", "user", "domain", "diskused", "disklimit"];
/** `listaccts` fields the other actions need: identity, state and what the service-info view shows. */
const TARGET_WANT = ["uid", "user", "domain", "suspended", "ip", "plan", "email", "owner", "theme", "unix_startdate"];

/** cPanel's secure port (cpaneld); WHM's own is 2087. */
const CPANEL_PORT = "2083";
const DEFAULT_THEME = "jupiter";

/**
 * Deep links into cPanel's apps, by label, relative to the theme's root [I: the jupiter theme's
 * paths], and the `--app` short name that opens the same app signed in (none for the terminal:
 * cPanel's list of session apps that was found does not name it).
 */
const APP_PAGES: ReadonlyArray<{ label: string; page: string; app?: string }> = [
  { label: "file manager", page: "filemanager/index.html", app: "filemanager" },
  { label: "email accounts", page: "email_accounts/index.html", app: "email" },
  { label: "MySQL databases", page: "sql/index.html", app: "databases" },
  { label: "terminal", page: "terminal/index.html" },
];

/** Short names siteform accepts for `--app`, and the cPanel application each opens; any other name goes to WHM as given. */
export const APP_ALIASES: Readonly<Record<string, string>> = {
  filemanager: "FileManager_Home",
  files: "FileManager_Home",
  email: "Email_Accounts",
  mail: "Email_Accounts",
  databases: "Database_MySQL",
  mysql: "Database_MySQL",
  phpmyadmin: "Database_phpMyAdmin",
};

/**
 * Disk and bandwidth of every account on the server, in uid order: one `listaccts` and one
 * `showbw`. Asked for one account, both calls are narrowed to it (its domain, then its user),
 * unless the domain no longer finds it (a rename), when the whole server is read and the core
 * picks; several accounts cost the same as all.
 */
export async function accountUsage(client: WhmClient, targets?: readonly ResourceRef[]): Promise<ResourceUsage[]> {
  if (targets?.length === 0) return [];
  const only = targets?.length === 1 ? targets[0] : undefined;
  if (only !== undefined) {
    const domain = only.name.toLowerCase();
    const rows = await client.listaccts({ search: domain, searchtype: "domain", searchmethod: "exact", want: USAGE_WANT });
    const row = rows.find((r) => r.domain.toLowerCase() === domain && (only.id === "" || r.uid === only.id));
    if (row !== undefined) return usageOf([row], await client.showbw(row.user));
  }
  const [rows, lines] = await Promise.all([client.listaccts({ want: USAGE_WANT }), client.showbw()]);
  return usageOf(rows, lines);
}

function usageOf(rows: readonly AccountRow[], lines: readonly BandwidthRow[]): ResourceUsage[] {
  const byUser = new Map(lines.map((line): [string, BandwidthRow] => [line.user, line]));
  return [...rows].sort(byUid).map((row) => ({
    kind: ACCOUNT_KIND,
    id: row.uid,
    name: row.domain,
    disk: figure(usedMbAsBytes(row.raw.diskused), limitMbAsBytes(row.raw.disklimit)),
    bandwidth: bandwidthOf(byUser.get(row.user)),
  }));
}

function bandwidthOf(line: BandwidthRow | undefined): UsageFigure | null {
  return line === undefined ? null : figure(bytesOf(line.used), limitBytesOf(line.limit));
}

/** A figure when both halves were readable; a limit WHM reports as unlimited is null. */
function figure(used: number | undefined, limit: number | null | undefined): UsageFigure | null {
  return used === undefined || limit === undefined ? null : { used, limit };
}

/**
 * The account a reference names, as it is now: by its domain (one narrowed `listaccts`) when the
 * uid there matches, else by its uid among every account (it was renamed).
 */
export async function locateAccount(client: WhmClient, target: ResourceRef): Promise<AccountRow> {
  const domain = target.name.toLowerCase();
  const narrowed = await client.listaccts({ search: domain, searchtype: "domain", searchmethod: "exact", want: TARGET_WANT });
  const byDomain = narrowed.find((r) => r.domain.toLowerCase() === domain && (target.id === "" || r.uid === target.id));
  if (byDomain !== undefined) return byDomain;
  if (target.id !== "") {
    const byUid = (await client.listaccts({ want: TARGET_WANT })).find((r) => r.uid === target.id);
    if (byUid !== undefined) return byUid;
  }
  throw new ActionRefusal(`there is no account ${target.name}${target.id === "" ? "" : ` (uid ${target.id})`} on the server`);
}

/** The cPanel user a login or password is for: the account's own; a cPanel account has no other login. */
export function accountUser(row: AccountRow, user: string | null): string {
  if (user === null || user === row.user) return row.user;
  throw new ActionRefusal(`${row.domain}'s login is its cPanel user ${row.user}, not ${JSON.stringify(user)} (a cPanel account has one login; mailbox and team logins are not supported)`);
}

/** The cPanel application to open: a short name mapped, anything else as given. */
export function cpanelApp(app: string | null): string | undefined {
  if (app === null || app.trim() === "") return undefined;
  return APP_ALIASES[app.trim().toLowerCase()] ?? app.trim();
}

/**
 * A one-time login into the account's cPanel, opening `app` when given. `secret` is the session
 * id as the URL carries it (its longest piece there), so that the core can mask it elsewhere.
 */
export async function loginLink(client: WhmClient, row: AccountRow, user: string | null, app: string | null): Promise<LoginLink> {
  const session = await client.createUserSession(accountUser(row, user), cpanelApp(app));
  const expires = session.expires === null ? null : new Date(session.expires * 1000).toISOString();
  const secret = secretIn(session.url, session.session);
  return { url: session.url, expires, ...(secret !== null && { secret }) };
}

/** The longest piece of the session id (`USER:RANDOM[:TAG,HASH]`, split at `:` and `,`) that the URL carries as it is. */
function secretIn(url: string, session: string | null): string | null {
  const pieces = (session ?? "").split(/[:,]/).filter((piece) => piece.length >= 16 && url.includes(piece));
  return pieces.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** The service-info view: cPanel's address for the account, the theme's deep links, and what listaccts says of it. */
export function accountInfo(row: AccountRow, whmEndpoint: string): ResourceInfo {
  const panel = new URL(whmEndpoint);
  panel.protocol = "https:";
  panel.port = CPANEL_PORT;
  panel.pathname = "/";
  panel.search = "";
  panel.hash = "";
  const theme = text(row.raw.theme) ?? DEFAULT_THEME;
  const links = APP_PAGES.map(({ label, page, app }): ResourceLink => ({
    label,
    url: new URL(`frontend/${encodeURIComponent(theme)}/${page}`, panel).href,
    ...(app !== undefined && { app }),
  }));
  const created = typeof row.raw.unix_startdate === "number" && row.raw.unix_startdate > 0 ? new Date(row.raw.unix_startdate * 1000).toISOString().slice(0, 10) : null;
  const facts: Array<{ label: string; value: string | null }> = [
    { label: "cPanel user", value: row.user },
    { label: "IP", value: text(row.raw.ip) },
    { label: "package", value: text(row.raw.plan) },
    { label: "contact email", value: contactEmail(row.raw.email) },
    { label: "owner", value: text(row.raw.owner) },
    { label: "created", value: created },
  ];
  return { panelUrl: panel.href, links, facts: facts.filter((f): f is { label: string; value: string } => f.value !== null) };
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}
