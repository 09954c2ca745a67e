/**
 * Which repository plan an imported site names. It must build on the site's server plan
 * (`apiscp_plan` = the plan the server reports); among several such plans the one leaving
 * the fewest overrides wins (ties: the first by name). When the inventory has none, one plan
 * per server plan is generated; it holds the settings the imported sites on it repeat (see
 * share), so each site file keeps only what sets it apart. Does not render YAML.
 */
import type { Inventory, RepoPlan } from "../../../model/index.js";
import { SITE_KIND } from "../kinds.js";
import planSchema from "../schemas/plan.schema.json" with { type: "json" };
import type { FilePaths } from "../../import-paths.js";
import { sharedSettings, type Settings } from "../../import-sharing.js";
import { carries, overridesFor, type Overrides, type ServiceMap } from "./overrides.js";
import type { SiteView } from "./site-view.js";
import type { YamlValue } from "./values.js";

export interface PlanChoice {
  plan: string;
  overrides: Overrides;
}

export interface GeneratedPlan {
  name: string;
  path: string;
  serverPlan: string;
  /** The settings its imported sites repeat (empty when they repeat none). */
  services: Settings<YamlValue>;
  /** How many imported sites the settings were drawn from. */
  sites: number;
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
  /** server plan → the settings its generated plan holds, once share() has run. */
  private readonly shared = new Map<string, { services: Settings<YamlValue>; sites: number }>();

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
    const overrides = overridesFor(site, { serverDefaults, repoPlan: this.shared.get(site.plan)?.services ?? {}, ignore });
    return { plan: this.generate(site.plan).name, overrides };
  }

  /**
   * Decides what each generated plan holds, from the sites that will name it (every site this
   * import writes, so a plan reflects exactly the files beside it). Call it once, after a first
   * round of choose() has shown which sites are written and before the round whose entries are
   * kept: from then on a site on a generated plan overrides only what differs from the plan.
   */
  share(sites: ReadonlyArray<SiteView & { plan: string }>): void {
    const byPlan = new Map<string, Array<SiteView & { plan: string }>>();
    for (const site of sites) {
      if (!this.generated.has(site.plan)) continue;
      byPlan.set(site.plan, [...(byPlan.get(site.plan) ?? []), site]);
    }
    const ignore = this.inventory.policy.ignore;
    for (const [serverPlan, members] of byPlan) {
      const serverDefaults = this.planDefaults[serverPlan] ?? {};
      const services = sharedSettings(
        members.map((site) => ({
          overrides: overridesFor(site, { serverDefaults, repoPlan: {}, ignore }).services,
          canCarry: (service: string, param: string) => carries(site, service, param),
        })),
      );
      this.shared.set(serverPlan, { services, sites: members.length });
    }
  }

  /** Whether the caller gave the server plan's defaults; without them every reported value is written. */
  hasDefaults(serverPlan: string): boolean {
    return Object.hasOwn(this.planDefaults, serverPlan);
  }

  /** Plans to write, in the order they were first needed, with the settings share() gave them. */
  plansToWrite(): GeneratedPlan[] {
    return [...this.generated.values()].map((plan) => ({ ...plan, ...this.shared.get(plan.serverPlan) }));
  }

  private generate(serverPlan: string): GeneratedPlan {
    const known = this.generated.get(serverPlan);
    if (known !== undefined) return known;
    const claimed = this.paths.claim("plans", planNameFor(serverPlan));
    const plan: GeneratedPlan = { name: claimed.stem, path: claimed.path, serverPlan, services: {}, sites: 0 };
    this.generated.set(serverPlan, plan);
    return plan;
  }
}
