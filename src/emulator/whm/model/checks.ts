/**
 * The input checks createacct and modifyacct share: a username that is valid and free (first 8
 * characters included), a domain that is well formed and not another account's, a contact
 * address that looks like one, and limit parameters in the range and units the function takes.
 * Each failure is the in-band refusal WHM would give.
 */
import { MAX_COUNT, parseLimit, type Limit, type ZeroMeans } from "./limit.js";
import type { Params } from "./call.js";
import { WhmRefusal } from "./refusal.js";
import type { WhmStore } from "./store.js";
import type { WhmAccountRecord } from "./state.js";
import { firstEightClash, usernameProblem } from "./username.js";

/** `user` (already lowercased) may name a new account, or the account `self` after a rename. */
export function checkUsernameFree(store: WhmStore, user: string, self?: WhmAccountRecord): void {
  const problem = usernameProblem(user);
  if (problem !== undefined) throw new WhmRefusal(problem);
  const owner = store.findUser(user);
  if (owner !== undefined && owner !== self) throw new WhmRefusal(`An account with the username “${user}” already exists.`);
  const others = store.allAccounts().filter((a) => a !== self).map((a) => a.user);
  const clash = firstEightClash(user, others);
  if (clash !== undefined) {
    throw new WhmRefusal(
      `The username “${user}” conflicts with the existing account “${clash}”: the first 8 characters of a username must be unique.`,
    );
  }
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

/** The domain lowercased, when it is well formed and no other account's main domain. */
export function checkDomainFree(store: WhmStore, text: string, self?: WhmAccountRecord): string {
  const domain = text.trim().toLowerCase().replace(/\.$/, "");
  if (!DOMAIN.test(domain)) throw new WhmRefusal(`“${text}” is not a valid domain name.`);
  const owner = store.findDomain(domain);
  if (owner !== undefined && owner !== self) {
    throw new WhmRefusal(`The domain “${domain}” already exists on this server: it belongs to the account “${owner.user}”.`);
  }
  return domain;
}

export function checkEmail(text: string): string {
  const email = text.trim();
  if (email !== "" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new WhmRefusal(`“${text}” is not a valid email address.`);
  }
  return email;
}

/** The limit parameter `name` if given (undefined if absent), parsed with what 0 means for it. */
export function limitParam(params: Params, name: string, zero: ZeroMeans, max: number = MAX_COUNT): Limit | undefined {
  const text = params.get(name);
  if (text === undefined || text === "") return undefined;
  const limit = parseLimit(text, zero, max);
  if (limit === undefined) {
    throw new WhmRefusal(`Invalid value “${text}” for “${name}”: use an integer from 0 to ${max} or “unlimited”.`);
  }
  return limit;
}
