/**
 * One imported account as its file holds it: kind, server, user, domain, contact address, plan,
 * `state: suspended` with WHM's reason for a suspended account, and the overrides, in the
 * order the example inventory writes them. A value the schema would refuse is left out with a
 * note where the account can do without it (the contact address, the reason); an identity the
 * schema refuses makes the account impossible to write, and says why. Pure.
 */
import { ACCOUNT_KIND } from "../kinds.js";
import type { AccountView } from "./account-view.js";
import type { Overrides } from "./overrides.js";
import { accountFileProblems, fitsEmail, fitsSuspendReason } from "./schema-check.js";

export interface AccountEntry {
  /** Keys in the order the example inventory writes them. */
  value: Record<string, unknown>;
  notes: string[];
}

/** The entry without its plan and overrides: who the account is and its state. */
export function identityEntry(account: AccountView & { user: string }, server: string): AccountEntry {
  const value: Record<string, unknown> = { kind: ACCOUNT_KIND, server, user: account.user, domain: account.domain.toLowerCase() };
  const notes: string[] = [];
  if (account.email !== null) {
    if (fitsEmail(account.email)) value.email = account.email;
    else notes.push("its contact address is not written: it does not fit the schema, so it stays as it is in WHM (not managed)");
  }
  if (account.suspended) {
    value.state = "suspended";
    if (account.suspendReason !== null) {
      if (fitsSuspendReason(account.suspendReason)) value.suspend_reason = account.suspendReason;
      else notes.push("its suspension reason is not written: it does not fit the schema (one line, at most 200 characters)");
    }
  }
  return { value, notes };
}

/** Why the identity cannot be written as an account file; null when it can. */
export function identityProblem(entry: AccountEntry): string | null {
  // A stand-in plan name: the plan is chosen only for an account that can be written.
  const problems = accountFileProblems({ ...entry.value, plan: "imported" });
  return problems.length === 0 ? null : `what the server reports does not fit the account schema: ${problems.join("; ")}`;
}

/** The whole entry: the identity with the plan after the contact address and the overrides last. */
export function accountEntry(identity: AccountEntry, plan: string, overrides: Overrides): AccountEntry {
  const { state, suspend_reason: reason, ...head } = identity.value;
  const value: Record<string, unknown> = { ...head, plan };
  if (state !== undefined) value.state = state;
  if (reason !== undefined) value.suspend_reason = reason;
  if (overrides.count > 0) value.services = overrides.services;
  return { value, notes: [...identity.notes, ...overrides.notes] };
}
