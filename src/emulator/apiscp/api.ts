/**
 * The boundary between the emulator's transport (HTTP/SOAP, knobs, auth) and its ApisCP
 * semantics (sites, services, plans). The transport decodes a call into positional
 * arguments and hands it to an `AdminApi`; the API either returns a value or throws
 * `ApiFault`, which the transport sends as a SOAP fault exactly as PHP's SoapFault would.
 */
import type { SoapValue } from "../../providers/apiscp/wire/value.js";

/** An error ApisCP itself would raise (with `Abort-On: error`, a SOAP fault). */
export class ApiFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiFault";
  }
}

export interface CallContext {
  /** Unix time in seconds, from the emulator's clock (tests move it). */
  now: number;
}

export interface AdminApi {
  /** `method` is the wire operation name, e.g. `admin_collect`. Unknown methods throw ApiFault. */
  invoke(method: string, args: SoapValue[], ctx: CallContext): SoapValue;
  /** A deep copy of the current state, JSON-serialisable (for `--state FILE`). */
  snapshot(): EmulatorState;
  /**
   * True when `id` is a live session that `admin_hijack` handed out. The transport accepts the
   * `esprit_id` cookie in place of an API key only when this says yes; an api without it has no
   * sessions.
   */
  hasSession?(id: string): boolean;
  /**
   * A browser opening the panel with a `UI` session id (`/apps/APP?esprit_id=ID`): the site and
   * user it signs in as, the first time; undefined for a used, unknown or non-UI id. An api
   * without it serves no browser entry.
   */
  openPanel?(id: string): { site: string; user: string } | undefined;
  /** Sets what the panel measures of a site (the emulator hosts no files): for tests and the demo. */
  setUsage?(site: string, usage: Partial<SiteRecord["usage"]>): void;
}

export type ServiceConfig = Record<string, Record<string, SoapValue>>;

export interface PlanDefinition {
  /** Parent plan whose defaults this one starts from; null only for the base plan. */
  inherits: string | null;
  services: ServiceConfig;
}

export interface SiteRecord {
  /** The number in `siteN`. */
  id: number;
  services: ServiceConfig;
  active: boolean;
  /** Unix seconds when the site was last deactivated; null while active. */
  suspendedAt: number | null;
  suspendReason: string | null;
  createdAt: number;
  /** Params the site set explicitly (`service.param`), which a plan change does not reset. */
  overrides: string[];
  usage: { storageKb: number; bandwidthBytes: number };
}

export interface EmulatorState {
  version: 1;
  nextSiteId: number;
  plans: Record<string, PlanDefinition>;
  sites: SiteRecord[];
}
