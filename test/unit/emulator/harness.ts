/**
 * Test harness for the emulator model: an API at a movable clock and one-line calls.
 * Calls go through `invoke` with wire-shaped arguments, exactly as the transport makes them.
 */
import type { SoapMap, SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { ApiFault, type EmulatorState } from "../../../src/emulator/apiscp/api.js";
import type { EmulatorAdminApi } from "../../../src/emulator/apiscp/model/index.js";
import { createAdminApi } from "../../../src/emulator/apiscp/model/index.js";

/** The message of the ApiFault `run` throws; fails the test when it throws nothing or something else. */
export function fault(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ApiFault)) throw new Error(`expected an ApiFault, got ${String(error)}`, { cause: error });
    return error.message;
  }
  throw new Error("expected an ApiFault");
}

export const T0 = 1_700_000_000;
export const DAY = 86_400;

export class Harness {
  readonly api: EmulatorAdminApi;
  now = T0;

  constructor(state?: EmulatorState) {
    this.api = createAdminApi(state);
  }

  call(method: string, ...args: SoapValue[]): SoapValue {
    return this.api.invoke(method, args, { now: this.now });
  }

  add(domain: string, admin: string, opts: SoapMap = {}, flags: SoapMap = {}): number {
    expectTrue(this.call("admin_add_site", domain, admin, opts, flags));
    const id = this.call("admin_get_site_id_from_domain", domain);
    if (typeof id !== "number") throw new Error(`added ${domain} but cannot find it`);
    return id;
  }

  /** One parameter of one site (`siteN`), as admin_collect reports it. */
  get(site: string, field: string): SoapValue {
    const [service, param] = field.split(".") as [string, string];
    const entry = this.collect([field], null, [site])[site] as SoapMap;
    return (entry[service] as SoapMap)[param] ?? null;
  }

  collect(params: SoapValue, query: SoapValue = null, sites: SoapValue = null): SoapMap {
    return this.call("admin_collect", params, query, sites) as SoapMap;
  }

  /** Site keys admin_collect returns for the query, in order. */
  ids(query: SoapValue = null, sites: SoapValue = null): string[] {
    return Object.keys(this.collect([], query, sites));
  }

  site(id: number) {
    const site = this.api.snapshot().sites.find((s) => s.id === id);
    if (site === undefined) throw new Error(`no site${id}`);
    return site;
  }
}

function expectTrue(value: SoapValue): void {
  if (value !== true) throw new Error(`expected true, got ${JSON.stringify(value)}`);
}
