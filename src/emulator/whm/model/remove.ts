/**
 * removeacct: the account is gone, whatever its state. WHM has no age check and no
 * "suspended first" rule of its own; whoever calls it must have looked. `user` is the deprecated
 * spelling of `username` and still works.
 */
import type { Params, WhmAnswer } from "./call.js";
import type { WhmStore } from "./store.js";

export function removeacct(store: WhmStore, params: Params): WhmAnswer {
  const account = store.account(params.required("username", "user"));
  store.remove(account);
  const { user, domain } = account;
  return {
    reason: `${user} account removed`,
    output: {
      raw: [
        "Running pre removal script (/usr/local/cpanel/scripts/prekillacct)......Done",
        `Collecting Domain Name and IP...User: ${user}`,
        `Domain: ${domain}`,
        "...Done",
        "Locking account and setting shell to nologin......Done",
        "Killing all processes owned by user......Done",
        "Removing Suspended Info.........Done",
        "Removing Bandwidth Files......Done",
        `Removing HTTP Virtual Hosts...Removed the following non-SSL virtual hosts: ${domain}`,
        "...Done",
        "Removing User & Group.......Success...Done",
        `Removing DNS Entries...${domain} => deleted from this server.`,
        "...Done",
        "Removing bandwidth limits......Done",
        `Account Removal Complete!!!...${user} account removed...Done`,
        "",
      ].join("\n"),
    },
  };
}
