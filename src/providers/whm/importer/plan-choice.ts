/**
 * Which repository plan an imported account names, and what it must override. A repository
 * plan of the account kind already built on the account's package is reused (of several, the
 * one the server's values agree with best); otherwise one plan per package is generated, named
 * after it (`plans/starter.yaml`), that only names the package. A generated plan carries no
 * limits on purpose: a package may have other defaults on another WHM server, and a plan that
 * only names the package means the same everywhere, while each account carries what differs
 * from its package. Does not render YAML.
 */
import type { Inventory } from "../../../model/inventory.js";
import type { RepoPlan } from "../../../model/repo-plan.js";
import { ACCOUNT_KIND } from "../kinds.js";
import type { AccountView } from "./account-view.js";
import { fileStem, type FilePaths } from "../../import-paths.js";
import { overridesFor, type Defaults, type Overrides } from "./overrides.js";

export interface PlanChoice {
  plan: string;
  overrides: Overrides;
}

export interface GeneratedPlan {
  name: string;
  path: string;
  pkg: string;
}

/** A repository plan name for a package name (`Reseller Gold` → `reseller-gold`). */
export function planNameFor(pkg: string): string {
  return fileStem(pkg, "whm-package", { dots: false });
}

/** Fewer fields the import cannot vouch for first, then fewer overrides. */
function better(a: Overrides, b: Overrides): boolean {
  return a.unvouched !== b.unvouched ? a.unvouched < b.unvouched : a.count < b.count;
}

export class PlanChooser {
  private readonly generated = new Map<string, GeneratedPlan>();

  constructor(
    private readonly inventory: Inventory,
    /** package → its defaults, for every package that could be read. */
    private readonly packageDefaults: ReadonlyMap<string, Defaults>,
    private readonly paths: FilePaths,
  ) {}

  /** The plan for an account on package `pkg`, and its overrides. */
  choose(account: AccountView, pkg: string): PlanChoice {
    const defaults = this.packageDefaults.get(pkg) ?? null;
    const policy = this.inventory.policy;
    let best: { plan: RepoPlan; overrides: Overrides } | null = null;
    for (const plan of this.inventory.plans) {
      if (plan.kind !== ACCOUNT_KIND || plan.template !== pkg) continue;
      const overrides = overridesFor(account, { defaults, repoPlan: plan.fields, policy });
      if (best === null || better(overrides, best.overrides)) best = { plan, overrides };
    }
    if (best !== null) return { plan: best.plan.name, overrides: best.overrides };
    return { plan: this.generate(pkg).name, overrides: overridesFor(account, { defaults, repoPlan: {}, policy }) };
  }

  /** Whether the package's defaults were read; without them every reported value is written. */
  hasDefaults(pkg: string): boolean {
    return this.packageDefaults.has(pkg);
  }

  /** Plans to write, in the order they were first needed; one no written account names is left out by the caller. */
  plansToWrite(): GeneratedPlan[] {
    return [...this.generated.values()];
  }

  private generate(pkg: string): GeneratedPlan {
    const known = this.generated.get(pkg);
    if (known !== undefined) return known;
    const claimed = this.paths.claim("plans", planNameFor(pkg));
    const plan = { name: claimed.stem, path: claimed.path, pkg };
    this.generated.set(pkg, plan);
    return plan;
  }
}
