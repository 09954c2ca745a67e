/**
 * Which repository plan an imported account names, and what it must override. A repository
 * plan of the account kind already built on the account's package is reused (of several, the
 * one the server's values agree with best); otherwise one plan per package is generated, named
 * after it (`plans/starter.yaml`). A generated plan does not copy the package's defaults (a
 * package may have other defaults on another WHM server, and a plan should mean the same
 * everywhere); it holds only the limits that most of the imported accounts on it set alike,
 * apart from their package as far as its defaults could be read (see share), so those are
 * written once instead of in every account file. Does not render YAML.
 */
import type { Inventory } from "../../../model/inventory.js";
import type { RepoPlan } from "../../../model/repo-plan.js";
import { ACCOUNT_KIND } from "../kinds.js";
import type { AccountView } from "./account-view.js";
import { fileStem, type FilePaths } from "../../import-paths.js";
import { sharedSettings, type Settings } from "../../import-sharing.js";
import { carries, overridesFor, type Defaults, type Overrides, type YamlValue } from "./overrides.js";

export interface PlanChoice {
  plan: string;
  overrides: Overrides;
}

export interface GeneratedPlan {
  name: string;
  path: string;
  pkg: string;
  /** The limits its imported accounts repeat (empty when they repeat none). */
  services: Settings<YamlValue>;
  /** How many imported accounts the limits were drawn from. */
  accounts: number;
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
  /** package → what its generated plan holds, once share() has run. */
  private readonly shared = new Map<string, { services: Settings<YamlValue>; accounts: number }>();

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
    const repoPlan = this.shared.get(pkg)?.services ?? {};
    return { plan: this.generate(pkg).name, overrides: overridesFor(account, { defaults, repoPlan, policy }) };
  }

  /**
   * Decides what each generated plan holds, from the accounts that will name it (every account
   * this import writes). Call it once, after a first round of choose() has shown which accounts
   * are written and before the round whose entries are kept.
   */
  share(accounts: ReadonlyArray<{ account: AccountView; pkg: string }>): void {
    const byPackage = new Map<string, AccountView[]>();
    for (const { account, pkg } of accounts) {
      if (this.generated.has(pkg)) byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), account]);
    }
    const policy = this.inventory.policy;
    for (const [pkg, members] of byPackage) {
      const defaults = this.packageDefaults.get(pkg) ?? null;
      const services = sharedSettings(
        members.map((account) => ({
          overrides: overridesFor(account, { defaults, repoPlan: {}, policy }).services,
          canCarry: (group: string, field: string) => carries(account, `${group}.${field}`, policy),
        })),
      );
      this.shared.set(pkg, { services, accounts: members.length });
    }
  }

  /** Whether the package's defaults were read; without them every reported value is written. */
  hasDefaults(pkg: string): boolean {
    return this.packageDefaults.has(pkg);
  }

  /** Plans to write, in the order they were first needed, with what share() gave them; one no written account names is left out by the caller. */
  plansToWrite(): GeneratedPlan[] {
    return [...this.generated.values()].map((plan) => ({ ...plan, ...this.shared.get(plan.pkg) }));
  }

  private generate(pkg: string): GeneratedPlan {
    const known = this.generated.get(pkg);
    if (known !== undefined) return known;
    const claimed = this.paths.claim("plans", planNameFor(pkg));
    const plan: GeneratedPlan = { name: claimed.stem, path: claimed.path, pkg, services: {}, accounts: 0 };
    this.generated.set(pkg, plan);
    return plan;
  }
}
