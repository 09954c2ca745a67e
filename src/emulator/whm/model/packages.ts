/**
 * listpkgs and changepackage. listpkgs reports limits as its schema types them (integers or
 * "unlimited") whatever the wire style: nothing shows real servers sending strings there.
 * changepackage moves an account to another package and resets its
 * limits and shell access to the package's, throwing away the account's own values: a caller
 * that wants them must apply them again afterwards. Its log lists each limit's old and new value.
 */
import type { Params, WhmAnswer } from "./call.js";
import { limitText, type Limit } from "./limit.js";
import { packageLimits, type WhmLimits, type WhmPackageRecord } from "./state.js";
import type { WhmStore } from "./store.js";
import { wireLimit } from "./wire.js";

const WANTS = ["all", "creatable", "editable", "viewable"];

export function listpkgs(store: WhmStore, params: Params): WhmAnswer {
  const want = params.get("want") || "all";
  // The emulator's one user sees every package, so all four selections list the same.
  const pkgs = WANTS.includes(want) ? store.allPackages() : [];
  return { reason: "OK", data: { pkg: pkgs.map(packageRow) } };
}

function packageRow(p: WhmPackageRecord): Record<string, unknown> {
  const limit = (l: Limit): string | number => wireLimit(l, "schema");
  return {
    name: p.name,
    QUOTA: limit(p.QUOTA),
    BWLIMIT: limit(p.BWLIMIT),
    MAXPOP: limit(p.MAXPOP),
    MAXSQL: limit(p.MAXSQL),
    MAXFTP: limit(p.MAXFTP),
    MAXSUB: limit(p.MAXSUB),
    MAXPARK: limit(p.MAXPARK),
    MAXADDON: limit(p.MAXADDON),
    MAXLST: limit(p.MAXLST),
    HASSHELL: p.HASSHELL,
    CGI: p.CGI,
    IP: p.IP,
    DIGESTAUTH: p.DIGESTAUTH,
    FEATURELIST: p.FEATURELIST,
    CPMOD: p.CPMOD,
    LANG: p.LANG,
    MAX_EMAIL_PER_HOUR: limit(p.MAX_EMAIL_PER_HOUR),
    MAX_DEFER_FAIL_PERCENTAGE: limit(p.MAX_DEFER_FAIL_PERCENTAGE),
    MAX_EMAILACCT_QUOTA: limit(p.MAX_EMAILACCT_QUOTA),
    _PACKAGE_EXTENSIONS: "",
  };
}

const LOG_NAMES: Record<keyof WhmLimits, string> = {
  bwlimitMb: "the account bandwidth limit",
  maxpop: "the maximum email accounts",
  maxsql: "the maximum SQL databases",
  maxftp: "the maximum FTP accounts",
  maxlst: "the maximum mailing lists",
  maxsub: "the maximum subdomains",
  maxpark: "the maximum parked domains",
  maxaddon: "the maximum addon domains",
  quotaMb: "the disk quota",
};

export function changepackage(store: WhmStore, params: Params): WhmAnswer {
  const account = store.account(params.required("user"));
  const pkg = store.package(params.required("pkg"));
  const before = account.limits;
  const after = packageLimits(pkg);
  const lines = (Object.keys(LOG_NAMES) as (keyof WhmLimits)[]).map(
    (key) => `Changing ${LOG_NAMES[key]} from “${limitText(before[key])}” to “${limitText(after[key])}”.`,
  );
  const shell = pkg.HASSHELL === "y";
  if (shell !== account.hasshell) lines.push(shell ? "Enabling Shell Access" : "Removing Shell Access", "Shell changed");
  lines.push(`Changing plan from ${account.plan} to ${pkg.name}`);
  account.plan = pkg.name;
  account.limits = after;
  account.hasshell = shell;
  return {
    reason: `Account Upgrade/Downgrade Complete for ${account.user}`,
    output: { raw: `<pre>\n${lines.join("\n")}\n</pre>` },
  };
}
