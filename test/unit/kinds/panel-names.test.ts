/**
 * The core is kind-neutral: outside a panel's provider and emulator, no source file names that
 * panel's services, parameters or methods (ApisCP's, WHM's, BILLmanager's). Comments may (they explain history
 * and examples); code and strings may not. A new panel name in the core fails the build here,
 * naming the line.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
/** Services and parameters of ApisCP's catalogue, and its API's method names. */
const APISCP: readonly RegExp[] = [
  /\bsiteinfo\b/,
  /\bbilling\.(?:invoice|parent_invoice)\b/,
  /\bparent_invoice\b/,
  /\bdiskquota\b/,
  /\bbandwidth\.threshold\b/,
  /\baliases\.aliases\b/,
  /\badmin_[a-z]/,
  /\bapiscp_plan\b/,
  /\b(?:add|edit|delete|activate|deactivate)_site\b/,
  /\bget_site_id_from_domain\b/,
  /\bopcenter\b/,
  /\bsite[0-9]+\b/,
];

/** WHM API 1's functions and the account fields and parameters siteform reads and writes. */
const WHM: readonly RegExp[] = [
  /\b(?:create|remove|suspend|unsuspend|modify)acct\b/,
  /\b(?:changepackage|editquota|limitbw|listaccts|accountsummary|listpkgs|showbw|listsuspended)\b/,
  /\bjson-api\b/,
  /\bwhm_package\b/,
  /\bsuspend(?:reason|time)\b/,
  /\bcontactemail\b/,
  /\bmax(?:pop|sql|ftp|sub|park|parked|addon|addons|lst)\b/i,
  /\bhasshell\b/i,
  /\bdisklimit\b/,
  /\bcreate_user_session\b/,
  /\bpasswd\b/,
];

/** BILLmanager's functions, parameters and list columns siteform reads and writes. */
const BILLMGR: readonly RegExp[] = [
  /\bitem_status\b/,
  /\b(?:v2\.)?(?:vhost|vds|dedic|softexternal)\.(?:order|edit|suspend|resume|delete|filter)\b/,
  /\bservice\.(?:prolong|history|changepricelist)\b/,
  /\bpricelist\b/,
  /\belid\b/,
  /\bremoteid\b/,
  /\bautoprolong\b/,
];

/**
 * Lines outside a provider that may say a word one of its panels also uses, because there it means
 * something else: `passwd` is WHM's function, and also one of the usual names of a password field
 * that every log redacts.
 */
const ELSEWHERE: ReadonlyArray<{ file: string; pattern: RegExp; line: RegExp }> = [{ file: "src/applier/log.ts", pattern: /\bpasswd\b/, line: /^const USUAL_SECRET_NAMES = \[/ }];

/** Each panel's names, and the folders that may say them. */
const PANELS: ReadonlyArray<{ panel: string; allowed: readonly string[]; banned: readonly RegExp[] }> = [
  { panel: "ApisCP", allowed: ["src/providers/apiscp/", "src/emulator/apiscp/"], banned: APISCP },
  { panel: "WHM", allowed: ["src/providers/whm/", "src/emulator/whm/"], banned: WHM },
  { panel: "BILLmanager", allowed: ["src/providers/billmgr/", "src/emulator/billmgr/"], banned: BILLMGR },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(?:ts|json)$/.test(name) ? [path] : [];
  });
}

/** The text with comments blanked (line and block), strings kept: what the code itself says. */
export function withoutComments(text: string): string {
  let out = "";
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (quote !== null) {
      out += c;
      if (c === "\\") {
        out += next ?? "";
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i += 1;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      quote = c;
      out += c;
      i += 1;
      continue;
    }
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i += 1;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const block = text.slice(i, end < 0 ? text.length : end + 2);
      out += block.replace(/[^\n]/g, " ");
      i += block.length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

describe("panel names stay in their provider", () => {
  it("strips comments and keeps strings", () => {
    expect(withoutComments('a // siteinfo\nb /* diskquota */ "siteinfo"')).toBe('a \nb                 "siteinfo"');
  });

  it.each(PANELS.map((p) => [p.panel, p] as const))("no file outside the %s provider and emulator names its services, parameters or methods", (_, { allowed, banned }) => {
    const offences: string[] = [];
    const files = [...sourceFiles(join(ROOT, "src")), ...sourceFiles(join(ROOT, "schemas"))];
    for (const path of files) {
      const rel = relative(ROOT, path).split("\\").join("/");
      if (allowed.some((prefix) => rel.startsWith(prefix))) continue;
      const text = path.endsWith(".ts") ? withoutComments(readFileSync(path, "utf8")) : readFileSync(path, "utf8");
      text.split("\n").forEach((line, index) => {
        for (const pattern of banned) {
          if (!pattern.test(line)) continue;
          if (ELSEWHERE.some((e) => e.file === rel && e.pattern.source === pattern.source && e.line.test(line.trim()))) continue;
          offences.push(`${rel}:${index + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offences).toEqual([]);
  });

  it("the WHM names are caught where they would be written", () => {
    const caught = (line: string): boolean => WHM.some((p) => p.test(line));
    expect(["client.call('listaccts')", "p.suspendreason", "MAXPOP: 5", "`${url}/json-api/`", "whm_package: x", "HASSHELL=1", 'call("create_user_session", q)', "client.passwd(user, pw)", '"passwd"'].every(caught)).toBe(true);
    expect(["suspend", "maximum", "a package", "account", "password", "setPassword", "cpasswd", "user_session"].some(caught)).toBe(false);
  });
});
