/**
 * Which repository plan an imported site names. It must build on the site's server plan
 * (`apiscp_plan` = the plan the server reports); among several such plans the one leaving
 * the fewest overrides wins (ties: the first by name). When the inventory has none, one plan
 * per server plan is generated, with no services of its own, so every difference from the
 * server plan stays visible on the site. Does not render YAML.
 */
import type { Inventory, RepoPlan } from "../../../model/index.js";
import { SITE_KIND } from "../kinds.js";
import planSchema from "../schemas/plan.schema.json" with { type: "json" };
import type { FilePaths } from "../../import-paths.js";
import { overridesFor, type Overrides, type ServiceMap } from "./overrides.js";
import type { SiteView } from "./site-view.js";

export interface PlanChoice {
  plan: string;
  overrides: Overrides;
}

export interface GeneratedPlan {
  name: string;
  path: string;
  serverPlan: string;
}

const PLAN_NAME = /^[a-z0-9][a-z0-9_-]*$/u;
const SERVER_PLAN = new RegExp(planSchema.properties.apiscp_plan.pattern, "u");

/** A repository plan name for a server plan name (`Business.Pro` → `business-pro`). */
export function planNameFor(serverPlan: string): string {
  const name = serverPlan
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/gu, "-")
    .replace(/^[^a-z0-9]+/u, "");
  return PLAN_NAME.test(name) ? name : "imported";
}

export class PlanChooser {
  private readonly generated = new Map<string, GeneratedPlan>();

  constructor(
    private readonly inventory: Inventory,
    private readonly planDefaults: Readonly<Record<string, ServiceMap>>,
    private readonly paths: FilePaths,
  ) {}

  /** The plan for `site` and its overrides; `site.plan` must be set. */
  choose(site: SiteView & { plan: string }): PlanChoice | { error: string } {
    const serverDefaults = this.planDefaults[site.plan] ?? {};
    const ignore = this.inventory.policy.ignore;
    const candidates = this.inventory.plans.filter((plan) => plan.kind === SITE_KIND && plan.template === site.plan);
    let best: { plan: RepoPlan; overrides: Overrides } | null = null;
    for (const plan of candidates) {
      const overrides = overridesFor(site, { serverDefaults, repoPlan: plan.fields, ignore });
      if (best === null || overrides.count < best.overrides.count) best = { plan, overrides };
    }
    if (best !== null) return { plan: best.plan.name, overrides: best.overrides };
    if (!SERVER_PLAN.test(site.plan)) {
      return { error: `its server plan name cannot be written as a repository plan's apiscp_plan (see src/providers/apiscp/schemas/plan.schema.json)` };
    }
    const overrides = overridesFor(site, { serverDefaults, repoPlan: {}, ignore });
    return { plan: this.generate(site.plan).name, overrides };
  }

  /** Whether the caller gave the server plan's defaults; without them every reported value is written. */
  hasDefaults(serverPlan: string): boolean {
    return Object.hasOwn(this.planDefaults, serverPlan);
  }

  /** Plans to write, in the order they were first needed. */
  plansToWrite(): GeneratedPlan[] {
    return [...this.generated.values()];
  }

  private generate(serverPlan: string): GeneratedPlan {
    const known = this.generated.get(serverPlan);
    if (known !== undefined) return known;
    const claimed = this.paths.claim("plans", planNameFor(serverPlan));
    const plan = { name: claimed.stem, path: claimed.path, serverPlan };
    this.generated.set(serverPlan, plan);
    return plan;
  }
}
