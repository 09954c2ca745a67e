/**
 * `--site` for a WHM server: which accounts a selector names (its uid, its user, or its
 * domain without regard to case), and what to report for a selector that names none or names
 * one already in git. Pure.
 */
import type { ImportSkip } from "../../module.js";
import type { AccountView } from "./account-view.js";
import type { NamedAccounts } from "./named-accounts.js";

export function selects(account: AccountView, selector: string): boolean {
  return account.id === selector || account.user === selector || account.domain.toLowerCase() === selector.toLowerCase();
}

/** The skips a selection adds by itself: selectors matching no account, and selected accounts already in the inventory. */
export function selectionSkips(select: readonly string[], accounts: readonly AccountView[], named: NamedAccounts): ImportSkip[] {
  const out: ImportSkip[] = [];
  const reported = new Set<string>();
  for (const selector of select) {
    const found = accounts.filter((account) => selects(account, selector));
    if (found.length === 0) out.push({ id: null, name: selector, reason: "no account on this server has this uid, user or domain" });
    for (const account of found) {
      const entry = named.find(account);
      if (entry === null || reported.has(account.id)) continue;
      reported.add(account.id);
      out.push({ id: account.id, name: account.domain, reason: `it is already in the inventory (${entry.source.file})` });
    }
  }
  return out;
}
