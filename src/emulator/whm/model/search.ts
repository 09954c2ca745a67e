/**
 * The account search listaccts, accountsummary and showbw share: `searchtype` (domain, owner,
 * user, ip, package) and `search`, matched exactly or as a regular expression (`searchmethod`,
 * regex by default). Without both `search` and `searchtype` every account matches, as WHM does.
 */
import type { Params } from "./call.js";
import { WhmRefusal } from "./refusal.js";
import type { WhmAccountRecord } from "./state.js";

const TYPES = ["domain", "owner", "user", "ip", "package"] as const;
type SearchType = (typeof TYPES)[number];

export type AccountSearch = { type: SearchType; test: (value: string) => boolean } | undefined;

export function checkAccountSearch(params: Params): AccountSearch {
  const search = params.get("search");
  const type = params.get("searchtype");
  if (!search || !type) return undefined;
  if (!(TYPES as readonly string[]).includes(type)) {
    throw new WhmRefusal(`Invalid value “${type}” for “searchtype”: use one of ${TYPES.join(", ")}.`);
  }
  const method = params.get("searchmethod") || "regex";
  if (method === "exact") return { type: type as SearchType, test: (value) => value === search };
  if (method !== "regex") throw new WhmRefusal(`Invalid value “${method}” for “searchmethod”: use exact or regex.`);
  let pattern: RegExp;
  try {
    pattern = new RegExp(search);
  } catch (err) {
    throw new WhmRefusal(`The search “${search}” is not a valid regular expression: ${(err as Error).message}.`);
  }
  return { type: type as SearchType, test: (value) => pattern.test(value) };
}

export function matchesSearch(account: WhmAccountRecord, search: AccountSearch): boolean {
  if (search === undefined) return true;
  const value = { domain: account.domain, owner: account.owner, user: account.user, ip: account.ip, package: account.plan }[search.type];
  return search.test(value);
}
