/**
 * The everyday actions on ApisCP sites that stay out of git (the Provider's ResourceActions):
 * - usage: `admin_get_usage` once per field (storage in KB, bandwidth in bytes), converted to
 *   bytes here and nowhere else, and `admin_get_domains` for the names; a limit of 0 is none;
 * - login: `admin_hijack` with the `UI` gate, opened at `/apps/APP?esprit_id=ID` beside the SOAP
 *   endpoint, as the billing modules' single sign-on does;
 * - password: `auth_change_password(password, user, domain)`, as the WHMCS module by the same
 *   authors as the LiBilling one calls it, always naming the site's admin user (without one the
 *   server admin's own password would change);
 * - describe: the panel's address, the deep links the modules offer, and what `admin_collect`
 *   says of the site (admin user, server plan, IP, invoice).
 * Calls and wording only; provider.ts wires them in. Never logs, never keeps a password or a
 * session id, and never puts either in a message.
 */
import { ProviderError, type LoginLink, type ResourceInfo, type ResourceLink, type ResourceRef, type ResourceUsage, type UsageFigure } from "../provider.js";
import type { ApiscpClient } from "./client.js";
import { SITE_KIND } from "./kinds.js";
import { byIdOrder } from "./observe.js";
import { toProviderError, type ErrorWording } from "./provider-error.js";
import type { CollectedSite } from "./results.js";
import type { SoapValue } from "./wire/value.js";

export interface ActionContext {
  client: ApiscpClient;
  wording: ErrorWording;
}

const KB = 1024;

/** The app a login opens when none is asked for. */
export const DEFAULT_APP = "dashboard";

/** The deep links the billing modules' shortcuts offer (the WHMCS module's SSO app list), in display order. */
export const DEEP_LINKS: ReadonlyArray<{ label: string; app: string }> = [
  { label: "file manager", app: "filemanager" },
  { label: "mail", app: "mailboxroutes" },
  { label: "databases", app: "changemysql" },
  { label: "terminal", app: "terminal" },
];

/** What may stand in `/apps/APP`: a panel app's name, never a path or a query. */
const APP_NAME = /^[a-z][a-z0-9_-]{0,63}$/i;

/** The fields the service-info view reads of one site. */
const INFO_FIELDS = ["billing.invoice", "billing.parent_invoice", "ipinfo.ipaddrs", "ipinfo.namebased", "siteinfo.admin_user", "siteinfo.email", "siteinfo.plan"];

function label(target: ResourceRef): string {
  return `${target.name} (${target.id})`;
}

/** `path` beside the SOAP endpoint: `https://HOST:2083/soap` → `https://HOST:2083/path`, keeping any prefix a proxy adds. */
function panelAddress(client: ApiscpClient, path: string): URL {
  return new URL(path, client.endpoint);
}

/** A figure in bytes; a limit of 0 (or none) is unlimited, as quota tools report "no limit". */
function figure(used: number, limit: number): UsageFigure {
  return { used, limit: limit > 0 ? limit : null };
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export async function siteUsage(ctx: ActionContext, targets?: readonly ResourceRef[]): Promise<ResourceUsage[]> {
  const sites = targets === undefined ? null : targets.map((t) => t.id);
  if (sites !== null && sites.length === 0) return [];
  let answers;
  try {
    answers = await Promise.all([
      ctx.client.getUsage("storage", sites),
      ctx.client.getUsage("bandwidth", sites),
      // The targets' names are known; the whole server's come from its domain map.
      targets === undefined ? ctx.client.getDomains() : Promise.resolve(null),
    ]);
  } catch (err) {
    throw toProviderError(err, "read disk and bandwidth usage", ctx.wording);
  }
  const [storage, bandwidth, domains] = answers;
  const named = new Map((targets ?? []).map((t) => [t.id, t.name]));
  const nameOf = (id: string): string => named.get(id) ?? domains?.get(Number(id.replace(/^site/, ""))) ?? id;
  const ids = [...new Set([...Object.keys(storage), ...Object.keys(bandwidth)])].sort(byIdOrder);
  return ids.map((id) => {
    const disk = own(storage, id);
    const traffic = own(bandwidth, id);
    return {
      kind: SITE_KIND,
      id,
      name: nameOf(id),
      disk: disk === undefined ? null : figure(disk.qused * KB, disk.qhard * KB),
      bandwidth: traffic === undefined ? null : figure(traffic.sum, traffic.threshold),
    };
  });
}

export async function siteLogin(ctx: ActionContext, target: ResourceRef, options: { user: string | null; app: string | null }): Promise<LoginLink> {
  const app = options.app ?? DEFAULT_APP;
  const what = `log in to ${label(target)}`;
  if (!APP_NAME.test(app)) {
    throw new ProviderError("rejected", `${ctx.wording.server}: ${what}: ${JSON.stringify(app.slice(0, 80))} is not a panel app's name (letters, digits, - and _, such as filemanager)`, false);
  }
  let session: string;
  try {
    session = await ctx.client.hijack(target.id, options.user ?? undefined, "UI");
  } catch (err) {
    throw toProviderError(err, what, ctx.wording);
  }
  const url = panelAddress(ctx.client, `apps/${app}`);
  url.searchParams.set("esprit_id", session);
  return { url: url.toString(), expires: null, secret: session };
}

export async function setSitePassword(ctx: ActionContext, target: ResourceRef, options: { user: string | null; password: string }): Promise<void> {
  const what = `set the password of ${options.user ?? "the admin user"} of ${label(target)}`;
  if (options.password === "") throw new ProviderError("rejected", `${ctx.wording.server}: ${what}: the password is empty`, false);
  try {
    // The domain as the server has it now, and the admin user unless another user is named.
    const site = await readSite(ctx, target, ["siteinfo.admin_user"]);
    const user = options.user ?? text(site.services.siteinfo?.admin_user);
    if (user === "") throw new ProviderError("protocol", `${ctx.wording.server}: ${what}: the server reports no admin user for it`, false);
    await ctx.client.changePassword(options.password, user, site.domain);
  } catch (err) {
    throw withoutSecret(toProviderError(err, what, ctx.wording), options.password);
  }
}

export async function describeSite(ctx: ActionContext, target: ResourceRef): Promise<ResourceInfo> {
  let site: CollectedSite;
  try {
    site = await readSite(ctx, target, INFO_FIELDS);
  } catch (err) {
    throw toProviderError(err, `read ${label(target)}`, ctx.wording);
  }
  const info = site.services.siteinfo ?? {};
  const billing = site.services.billing ?? {};
  const ipinfo = site.services.ipinfo ?? {};
  const facts: Array<{ label: string; value: string }> = [];
  const fact = (name: string, value: string): void => {
    if (value !== "") facts.push({ label: name, value });
  };
  fact("admin user", text(info.admin_user));
  fact("e-mail", text(info.email));
  fact("server plan", text(info.plan));
  fact("IP", addresses(ipinfo.namebased, ipinfo.ipaddrs));
  fact("invoice", text(billing.invoice));
  fact("parent invoice", text(billing.parent_invoice));
  const links: ResourceLink[] = DEEP_LINKS.map(({ label: name, app }) => ({ label: name, url: panelAddress(ctx.client, `apps/${app}`).toString(), app }));
  return { panelUrl: panelAddress(ctx.client, "./").toString(), links, facts };
}

/** One site's row with `fields`, by id; a site that is not there is the server's fault ("unknown site"). */
async function readSite(ctx: ActionContext, target: ResourceRef, fields: readonly string[]): Promise<CollectedSite> {
  const rows = await ctx.client.collect([...fields], null, [target.id]);
  const row = own(rows, target.id);
  if (row === undefined) throw new ProviderError("rejected", `${ctx.wording.server}: ${target.id} is not on the server any more`, false);
  return row;
}

/** A scalar or a list as one line; nothing for null. */
function text(value: SoapValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(text).filter((v) => v !== "").join(", ");
  return typeof value === "object" ? "" : String(value);
}

/** Dedicated addresses, or the server's shared one (name-based hosting, which the API does not name). */
function addresses(namebased: SoapValue | undefined, ipaddrs: SoapValue | undefined): string {
  const dedicated = text(ipaddrs);
  if (dedicated !== "") return dedicated;
  return namebased === 1 || namebased === true || namebased === "1" ? "the server's shared address (name-based)" : "";
}

/** The error with any copy of the password a panel may have echoed taken out. */
function withoutSecret(err: unknown, secret: string): unknown {
  if (!(err instanceof ProviderError) || !err.message.includes(secret)) return err;
  return new ProviderError(err.kind, err.message.split(secret).join("[redacted]"), err.retryable);
}
