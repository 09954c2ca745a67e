/**
 * Plans: named sets of service defaults, each inheriting from a parent up to the one base
 * plan. A plan's effective defaults are the catalogue's skeleton, then every plan from the
 * base down to it. Plans are read-only over the API (ApisCP edits them on the command line
 * only), so nothing here changes them.
 */
import type { SoapMap } from "../../../providers/apiscp/wire/value.js";
import type { PlanDefinition, ServiceConfig } from "../api.js";
import { ApiFault } from "../api.js";
import { allParams, fieldKey } from "./catalog.js";
import { copyValue, quote } from "./values.js";

export type Plans = Readonly<Record<string, PlanDefinition>>;

/** The plan a site gets when none is named. */
export const DEFAULT_PLAN = "basic";

export function planExists(plans: Plans, name: string): boolean {
  return Object.hasOwn(plans, name);
}

export function planNames(plans: Plans): string[] {
  return Object.keys(plans).sort();
}

/** `basic` when it exists, else the base plan (the one inheriting from nothing). */
export function defaultPlanName(plans: Plans): string {
  if (planExists(plans, DEFAULT_PLAN)) return DEFAULT_PLAN;
  const base = Object.keys(plans).find((name) => plans[name]?.inherits === null);
  if (base === undefined) throw new Error("emulator state has no base plan");
  return base;
}

/** The plans from the base down to `name`; faults on an unknown plan. */
export function planChain(plans: Plans, name: string): PlanDefinition[] {
  const chain: PlanDefinition[] = [];
  const seen = new Set<string>();
  let current: string | null = name;
  while (current !== null) {
    if (!planExists(plans, current)) {
      throw new ApiFault(
        current === name
          ? `unknown plan ${quote(name)}`
          : `plan ${quote(name)} inherits unknown plan ${quote(current)}`,
      );
    }
    // A validated state has no cycles; meeting one is a bug, not a caller error.
    if (seen.has(current)) throw new Error(`plan inheritance cycle at ${current}`);
    seen.add(current);
    const plan = plans[current] as PlanDefinition;
    chain.unshift(plan);
    current = plan.inherits;
  }
  return chain;
}

/** Every plan-controlled parameter with the value plan `name` gives it. */
export function planDefaults(plans: Plans, name: string): ServiceConfig {
  const chain = planChain(plans, name);
  const out: ServiceConfig = {};
  for (const { service, param, spec } of allParams()) {
    if (spec.scope !== "plan") continue;
    let value = spec.initial;
    for (const plan of chain) {
      const own = plan.services[service];
      if (own !== undefined && Object.hasOwn(own, param)) value = own[param] ?? null;
    }
    (out[service] ??= {})[param] = copyValue(value);
  }
  return out;
}

/** `admin_get_plan`: the effective defaults, with secrets (a plan's DNS key) as null. */
export function describePlan(plans: Plans, name: string): SoapMap {
  const defaults = planDefaults(plans, name);
  const secrets = new Set(allParams().filter((p) => p.spec.secret).map((p) => fieldKey(p.service, p.param)));
  const out: SoapMap = {};
  for (const [service, params] of Object.entries(defaults)) {
    const shown: SoapMap = {};
    for (const [param, value] of Object.entries(params)) {
      shown[param] = secrets.has(fieldKey(service, param)) ? null : value;
    }
    out[service] = shown;
  }
  return out;
}
