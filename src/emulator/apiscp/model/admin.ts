/**
 * `createAdminApi`: the AdminApi the emulator's transport calls. Owns the live state and
 * the hijack sessions, checks the method name and the call context, and hands the call to
 * its handler. Everything it returns is a fresh value; nothing the caller holds aliases the
 * state.
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import { isMethodName } from "../../../providers/apiscp/methods.js";
import type { AdminApi, CallContext, EmulatorState, SiteRecord } from "../api.js";
import { ApiFault } from "../api.js";
import { CallArgs } from "./args.js";
import { defaultEmulatorState } from "./defaults.js";
import type { Env } from "./handlers.js";
import { HANDLERS } from "./handlers.js";
import type { HijackSession } from "./sessions.js";
import { Sessions, counterSessionIds } from "./sessions.js";
import { siteName } from "./record.js";
import { resolveSites } from "./resolve.js";
import { NameIndex } from "./uniqueness.js";
import { quote } from "./values.js";

export interface AdminApiOptions {
  /** What `common_whoami` answers. Default "admin". */
  adminUser?: string;
  /** Source of hijack session ids. Default: deterministic, counter-based hex. */
  sessionIds?: () => string;
}

export interface EmulatorAdminApi extends AdminApi {
  /** The hijack session with this id (`esprit_id`), while its site exists. */
  session(id: string): HijackSession | undefined;
  hasSession(id: string): boolean;
  openPanel(id: string): { site: string; user: string } | undefined;
  setUsage(site: string, usage: Partial<SiteRecord["usage"]>): void;
}

/** `state` is taken as valid (see validateEmulatorState) and copied: the caller's object is never changed. */
export function createAdminApi(state?: EmulatorState, options: AdminApiOptions = {}): EmulatorAdminApi {
  const own = state === undefined ? defaultEmulatorState() : structuredClone(state);
  const env: Env = {
    state: own,
    names: NameIndex.of(own.sites),
    sessions: new Sessions(options.sessionIds ?? counterSessionIds()),
    adminUser: options.adminUser ?? "admin",
  };
  const siteExists = (siteId: number): boolean => env.state.sites.some((site) => site.id === siteId);
  const session = (id: string): HijackSession | undefined => env.sessions.find(id, siteExists);
  return {
    invoke(method: string, args: SoapValue[], ctx: CallContext): SoapValue {
      if (!isMethodName(method)) throw new ApiFault(`unknown method ${quote(method)}`);
      if (!Number.isFinite(ctx.now)) throw new Error(`CallContext.now must be a finite unix time, got ${ctx.now}`);
      return HANDLERS[method](env, new CallArgs(method, args), Math.floor(ctx.now));
    },
    snapshot: () => structuredClone(env.state),
    session,
    hasSession: (id) => session(id) !== undefined,
    openPanel(id) {
      const opened = env.sessions.redeem(id, siteExists);
      return opened === undefined ? undefined : { site: siteName(opened.siteId), user: opened.user };
    },
    setUsage(spec, usage) {
      // In place: usage is not configuration (no uniqueness, no plan), and a site's record is replaced on every edit anyway.
      for (const site of resolveSites(env.state.sites, spec)) {
        const index = env.state.sites.indexOf(site);
        env.state.sites[index] = { ...site, usage: { ...site.usage, ...usage } };
      }
    },
  };
}
