/**
 * `auth_change_password(password, user, domain)` as the server admin calls it for a site: the
 * panel's own weak-password rule first (apiscp-modules' Auth_Module::password_permitted: a
 * password of fewer than 7 characters, a common one, or one containing the user name is
 * refused, in the panel's words), then the user must be the site's (the emulator has no
 * secondary users). The new password is recorded sealed (secrets.ts) as the site's crypted
 * password; no answer and no fault ever contains it.
 *
 * Stricter than ApisCP where it is unknown: the server admin must name both the user and the
 * site's domain (the real panel would change the admin's own password without them).
 */
import type { SoapValue } from "../../../providers/apiscp/wire/value.js";
import { ApiFault } from "../api.js";
import type { Draft } from "./draft.js";
import { siteAdminUser, writeParam } from "./record.js";
import { resolveSites } from "./resolve.js";
import { seal } from "./secrets.js";
import { quote } from "./values.js";

/** Apiscp's list of passwords it refuses outright (the user's own name is added per call). */
const DISALLOWED = ["test", "password", "letmein", "qwerty", "1234", "12345", "123456"];
const MIN_LENGTH = 7;

/** Null when permitted; otherwise the panel's reason, worded as ApisCP words it. */
export function passwordRefusal(password: string, user: string): string | null {
  if ([...DISALLOWED, user].includes(password) || [...password].length < MIN_LENGTH) return "password is weak";
  if (user !== "" && password.toLowerCase().includes(user.toLowerCase())) return "password cannot be same as username";
  return null;
}

export interface PasswordChange {
  password: SoapValue | undefined;
  user: string | null;
  domain: string | null;
}

export function changePassword(draft: Draft, change: PasswordChange): void {
  // Never echo the value: a password sent as the wrong type is still a password.
  if (typeof change.password !== "string") throw new ApiFault("auth_change_password: argument password must be a string");
  if (change.user === null || change.domain === null) {
    throw new ApiFault("auth_change_password: as the server admin, name the user and the site's domain (without them the admin's own password would change)");
  }
  const sites = resolveSites(draft.sites, change.domain);
  const site = sites[0];
  if (site === undefined || sites.length !== 1) throw new ApiFault(`${quote(change.domain)} names ${sites.length} sites; a password belongs to one`);
  if (change.user !== siteAdminUser(site)) throw new ApiFault(`${change.user}: user not found`);
  const refusal = passwordRefusal(change.password, change.user);
  if (refusal !== null) throw new ApiFault(refusal);
  const copy = draft.edit(site);
  writeParam(copy, "auth", "cpasswd", seal(change.password));
  // One password on record: the plaintext one given at creation, if any, is superseded.
  writeParam(copy, "auth", "tpasswd", null);
}
