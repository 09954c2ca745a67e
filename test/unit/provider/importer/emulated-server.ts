/**
 * A server for import tests: the emulator's model (real ApisCP semantics, in memory) with
 * sites added through its API, read back as ObservedResources the way the provider's collect
 * lifts them, and its plans' defaults as admin_get_plan reports them.
 */
import type { ObservedResource } from "../../../../src/model/index.js";
import type { ServiceMap } from "../../../../src/providers/apiscp/importer/index.js";
import { observedSites } from "../../../../src/providers/apiscp/observe.js";
import { readCollect } from "../../../../src/providers/apiscp/results.js";
import type { SoapMap, SoapValue } from "../../../../src/providers/apiscp/wire/value.js";
import { Harness } from "../../emulator/harness.js";

function isMap(value: SoapValue | undefined): value is SoapMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class EmulatedServer {
  readonly harness = new Harness();

  constructor(readonly name: string) {}

  add(domain: string, admin: string, opts: SoapMap = {}): this {
    this.harness.add(domain, admin, opts);
    return this;
  }

  suspend(domain: string): this {
    this.harness.call("admin_deactivate_site", domain, { reason: "unpaid" });
    return this;
  }

  /** Every site with every service it reports. */
  observed(): ObservedResource[] {
    const rows = readCollect(this.harness.collect(null));
    const services = [...new Set(Object.values(rows).flatMap((row) => Object.keys(row.services)))];
    return observedSites(this.name, rows, services);
  }

  planDefaults(): Record<string, ServiceMap> {
    const out: Record<string, ServiceMap> = {};
    for (const plan of ["basic", "starter", "business", "reseller"]) {
      const answer = this.harness.call("admin_get_plan", plan);
      if (!isMap(answer)) throw new Error(`admin_get_plan ${plan} answered a non-map`);
      out[plan] = answer as ServiceMap;
    }
    return out;
  }
}
