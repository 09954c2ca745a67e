/**
 * An AdminApi that remembers every mutating call it carried out and which sites the call
 * added, removed or changed, found by comparing the state before and after (so the record is
 * what happened on the server, whatever the client believed). The convergence tests read it to
 * prove that kept sites were never deleted or recreated and that unmanaged ones were never
 * touched. Meant for small states: each mutating call copies the state twice.
 */
import type { AdminApi, CallContext, EmulatorState, SiteRecord } from "../../src/emulator/apiscp/api.js";
import { createAdminApi, type EmulatorAdminApi } from "../../src/emulator/apiscp/model/index.js";
import { METHODS, isMethodName } from "../../src/providers/apiscp/methods.js";
import type { SoapValue } from "../../src/providers/apiscp/wire/value.js";

export interface MutationRecord {
  method: string;
  args: SoapValue[];
  /** Emulator clock (unix seconds) of the call. */
  at: number;
  /** The api raised a fault (nothing changed). */
  faulted: boolean;
  added: number[];
  removed: number[];
  changed: number[];
}

export class LoggedApi implements AdminApi {
  readonly mutations: MutationRecord[] = [];
  /** Off while a test seeds the state, on for the run it observes. */
  recording = false;
  private readonly inner: EmulatorAdminApi;

  constructor(state?: EmulatorState) {
    this.inner = createAdminApi(state);
  }

  invoke(method: string, args: SoapValue[], ctx: CallContext): SoapValue {
    if (!this.recording || !isMethodName(method) || !METHODS[method].mutating) return this.inner.invoke(method, args, ctx);
    const before = bySiteId(this.inner.snapshot().sites);
    try {
      const value = this.inner.invoke(method, args, ctx);
      const after = bySiteId(this.inner.snapshot().sites);
      const added = [...after.keys()].filter((id) => !before.has(id));
      const removed = [...before.keys()].filter((id) => !after.has(id));
      const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id));
      this.mutations.push({ method, args: structuredClone(args), at: ctx.now, faulted: false, added, removed, changed });
      return value;
    } catch (err) {
      this.mutations.push({ method, args: structuredClone(args), at: ctx.now, faulted: true, added: [], removed: [], changed: [] });
      throw err;
    }
  }

  snapshot(): EmulatorState {
    return this.inner.snapshot();
  }

  hasSession(id: string): boolean {
    return this.inner.hasSession(id);
  }

  /** A call made while seeding, as the admin would, outside the record. */
  seed(method: string, args: SoapValue[], now: number): SoapValue {
    const was = this.recording;
    this.recording = false;
    try {
      return this.inner.invoke(method, args, { now });
    } finally {
      this.recording = was;
    }
  }
}

/** id → the site's record as JSON, for cheap before/after comparison. */
function bySiteId(sites: readonly SiteRecord[]): Map<number, string> {
  return new Map(sites.map((site) => [site.id, JSON.stringify(site)]));
}
