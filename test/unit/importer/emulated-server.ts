/**
 * A server for import tests: the emulator's model (real ApisCP semantics, in memory) with
 * sites added through its API, read back as ObservedSites the way a provider's collect
 * would lift them, and its plans' defaults as admin_get_plan reports them.
 */
import type { ObservedSite, ObservedValue } from "../../../src/model/index.js";
import type { ServiceMap } from "../../../src/importer/index.js";
import type { SoapMap, SoapValue } from "../../../src/providers/apiscp/wire/value.js";
import { Harness } from "../emulator/harness.js";

function isMap(value: SoapValue | undefined): value is SoapMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: SoapValue | undefined): string | null {
  return typeof value === "string" ? value : null;
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

  observed(): ObservedSite[] {
    const answer = this.harness.collect(null);
    return Object.entries(answer).map(([id, raw]) => {
      if (!isMap(raw)) throw new Error(`collect answered ${id} with a non-map`);
      const services: Record<string, Record<string, ObservedValue>> = {};
      for (const [service, params] of Object.entries(raw)) {
        if (isMap(params)) services[service] = params as Record<string, ObservedValue>;
      }
      const info = services.siteinfo ?? {};
      const billing = services.billing ?? {};
      const aliases = services.aliases?.aliases;
      return {
        server: this.name,
        id,
        domain: String(raw.domain),
        adminUser: text(info.admin_user as SoapValue),
        aliases: Array.isArray(aliases) ? aliases.map(String) : [],
        invoice: text(billing.invoice as SoapValue),
        parentInvoice: text(billing.parent_invoice as SoapValue),
        plan: text(info.plan as SoapValue),
        active: raw.active === true,
        services,
      };
    });
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
