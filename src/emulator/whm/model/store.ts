/**
 * The server's accounts and packages in memory, and the lookups every function needs: an account
 * by user or by main domain, a package by name, the next uid. Functions change records in place
 * through it; `snapshot` hands out deep copies so nobody outside edits the live state. The login
 * sessions `create_user_session` hands out live here too, in memory only (never in a snapshot).
 */
import { WhmRefusal } from "./refusal.js";
import { LoginSessions } from "./sessions.js";
import type { WhmAccountRecord, WhmPackageRecord, WhmState } from "./state.js";

export class WhmStore {
  private accounts: WhmAccountRecord[];
  private packages: WhmPackageRecord[];
  private nextUid: number;
  /** The strength `passwd` requires of a new password (0–100). */
  readonly minPasswordStrength: number;
  readonly sessions = new LoginSessions();

  constructor(state: WhmState) {
    const copy = structuredClone(state);
    this.accounts = copy.accounts;
    this.packages = copy.packages;
    this.nextUid = copy.nextUid;
    this.minPasswordStrength = copy.minpwstrength;
  }

  snapshot(): WhmState {
    return structuredClone({ version: 1, nextUid: this.nextUid, minpwstrength: this.minPasswordStrength, packages: this.packages, accounts: this.accounts });
  }

  allAccounts(): readonly WhmAccountRecord[] {
    return this.accounts;
  }

  allPackages(): readonly WhmPackageRecord[] {
    return this.packages;
  }

  findUser(user: string): WhmAccountRecord | undefined {
    return this.accounts.find((a) => a.user === user);
  }

  findDomain(domain: string): WhmAccountRecord | undefined {
    const d = domain.toLowerCase();
    return this.accounts.find((a) => a.domain === d);
  }

  /** The account, or the refusal WHM gives for a user it does not have. */
  account(user: string): WhmAccountRecord {
    const account = this.findUser(user.toLowerCase());
    if (!account) throw new WhmRefusal(`The user “${user}” does not exist.`);
    return account;
  }

  findPackage(name: string): WhmPackageRecord | undefined {
    return this.packages.find((p) => p.name === name);
  }

  package(name: string): WhmPackageRecord {
    const pkg = this.findPackage(name);
    if (!pkg) throw new WhmRefusal(`The package “${name}” does not exist.`);
    return pkg;
  }

  uidInUse(uid: number): boolean {
    return this.accounts.some((a) => a.uid === uid);
  }

  /** A uid for a new account; `pinned` when the caller chose one. Uids only grow, never reused. */
  takeUid(pinned?: number): number {
    const uid = pinned ?? this.nextUid;
    this.nextUid = Math.max(this.nextUid, uid + 1);
    return uid;
  }

  add(account: WhmAccountRecord): void {
    this.accounts.push(account);
  }

  remove(account: WhmAccountRecord): void {
    this.accounts = this.accounts.filter((a) => a !== account);
  }
}
