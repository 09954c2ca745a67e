/**
 * Which of a server's accounts the inventory already names, decided exactly as the planner
 * matches them (an id pin, then user, then domain), and which users and domains its entries
 * on that server already hold. An account matched here is never imported again; an unmatched
 * one whose user or domain an entry already holds cannot be (the file would name it twice).
 * Pure lookups; no decisions about what to write.
 */
import type { KindModel } from "../../../kinds/catalogue.js";
import { comparable, keyValues } from "../../../kinds/values.js";
import type { Inventory } from "../../../model/inventory.js";
import type { DesiredResource, ObservedResource } from "../../../model/resource.js";
import { matchKind } from "../../../planner/match.js";
import { ACCOUNT_KIND } from "../kinds.js";
import { ACCOUNT_MODEL, type AccountView } from "./account-view.js";

export class NamedAccounts {
  /** uid → the entry the planner matches it to. */
  private readonly matched = new Map<string, DesiredResource>();
  /** `key name` → value as compared → the entry holding it. */
  private readonly held = new Map<string, Map<string, DesiredResource>>();
  private readonly model: KindModel;

  constructor(inventory: Inventory, server: string, observed: readonly ObservedResource[]) {
    this.model = inventory.catalogue.find(ACCOUNT_KIND) ?? ACCOUNT_MODEL;
    const desired = inventory.resources.filter((r) => r.server === server && r.kind === ACCOUNT_KIND);
    for (const pair of matchKind(this.model, desired, observed).pairs) this.matched.set(pair.observed.id, pair.desired);
    for (const key of this.model.keys()) {
      const values = new Map<string, DesiredResource>();
      for (const entry of desired) for (const value of keyValues(key, entry.fields)) if (!values.has(value)) values.set(value, entry);
      this.held.set(key.name, values);
    }
  }

  /** The inventory's entry for `account`, or null when it is not in git yet. */
  find(account: AccountView): DesiredResource | null {
    return this.matched.get(account.id) ?? null;
  }

  /** An entry holding the account's user or domain although it is not this account's: which key, and the entry. */
  clash(account: AccountView): { key: string; value: string; entry: DesiredResource } | null {
    const names: Array<[string, string | null]> = [
      ["user", account.user],
      ["domain", account.domain],
    ];
    for (const [name, value] of names) {
      if (value === null) continue;
      const entry = this.held.get(name)?.get(comparable(this.model.key(name), value));
      if (entry !== undefined) return { key: name, value, entry };
    }
    return null;
  }
}
