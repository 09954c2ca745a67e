/**
 * The core is kind-neutral: outside the ApisCP provider and emulator, no source file names an
 * ApisCP service, parameter or method. Comments may (they explain history and examples); code
 * and strings may not. A new panel name in the core fails the build here, naming the line.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const ALLOWED = ["src/providers/apiscp/", "src/emulator/apiscp/"];

/** Services and parameters of ApisCP's catalogue, and its API's method names. */
const BANNED: readonly RegExp[] = [
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

  it("no core file names an ApisCP service, parameter or method", () => {
    const offences: string[] = [];
    const files = [...sourceFiles(join(ROOT, "src")), ...sourceFiles(join(ROOT, "schemas"))];
    for (const path of files) {
      const rel = relative(ROOT, path).split("\\").join("/");
      if (ALLOWED.some((prefix) => rel.startsWith(prefix))) continue;
      const text = path.endsWith(".ts") ? withoutComments(readFileSync(path, "utf8")) : readFileSync(path, "utf8");
      text.split("\n").forEach((line, index) => {
        for (const pattern of BANNED) if (pattern.test(line)) offences.push(`${rel}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offences).toEqual([]);
  });
});
