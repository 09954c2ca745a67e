/**
 * `siteform fmt`: rewrites messy inventory files to the canonical layout without changing what
 * the inventory means, is idempotent, writes nothing when a file is broken, and `--check`
 * reports a diff and exit 1 without writing. Runs the real CLI in-process on temporary
 * directories.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadInventory } from "../../src/inventory/index.js";
import { recordingIO, siteform } from "./cli-harness.js";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

const MESSY: Readonly<Record<string, string>> = {
  "siteform.yaml": `---
# servers we manage


servers:
    fra1:
        url: 'http://127.0.0.1:1/soap'
        key_env: "FRA1_APISCP_KEY"
        insecure_tls: False
policy: {max_deletes: 3, ignore: [bandwidth.threshold]}
...
`,
  // A byte-order mark and Windows line endings, as some editors save.
  "plans/small.yaml": "\uFEFFapiscp_plan:   basic\r\nservices:\r\n  diskquota:\r\n    quota: 5\r\n    units: GB\r\n",
  "sites/acme.yaml": `domain: "acme.example"
server: fra1
admin_user: acme
email: [ops@acme.example, 'it@acme.example']
plan: small
invoice: '00123'
protect: True
aliases:
- acme-shop.example
services:
  diskquota:
     quota: 7      # agreed in 2024
`,
};

const CANONICAL: Readonly<Record<string, string>> = {
  "siteform.yaml": `# servers we manage

servers:
  fra1:
    url: http://127.0.0.1:1/soap
    key_env: FRA1_APISCP_KEY
    insecure_tls: false
policy:
  max_deletes: 3
  ignore:
    - bandwidth.threshold
`,
  "plans/small.yaml": "apiscp_plan: basic\nservices:\n  diskquota:\n    quota: 5\n    units: GB\n",
  "sites/acme.yaml": `domain: acme.example
server: fra1
admin_user: acme
email:
  - ops@acme.example
  - it@acme.example
plan: small
invoice: "00123"
protect: true
aliases:
  - acme-shop.example
services:
  diskquota:
    quota: 7 # agreed in 2024
`,
};

const made: string[] = [];

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function inventory(files: Readonly<Record<string, string | Buffer>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "siteform-fmt-test-"));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function fmt(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = recordingIO({ cwd: dir, env: {} });
  const code = await siteform(io, "fmt", ...args);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

async function contents(dir: string, paths: readonly string[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await readFile(join(dir, p), "utf8")] as const)));
}

/** Every file below `dir`, dotfiles included: a left-over temporary file would show here. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

/**
 * What the inventory means to siteform: the loaded inventory without where things were written
 * (lines move when the layout changes) and without the files' digests (their bytes change).
 */
async function meaning(dir: string): Promise<unknown> {
  const result = await loadInventory(dir, { env: {}, today: "2025-07-01" });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!result.ok) throw new Error("the inventory did not load");
  const { servers, policy, plans, resources } = result.inventory;
  return JSON.parse(JSON.stringify({ servers, policy, plans, resources }, (key, value: unknown) => (key === "line" || key === "column" ? undefined : value)));
}

describe("siteform fmt", () => {
  it("rewrites messy files to the canonical layout, lists them, and keeps what they mean", async () => {
    const dir = await inventory(MESSY);
    const before = await meaning(dir);
    const result = await fmt(dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("siteform.yaml\nplans/small.yaml\nsites/acme.yaml\n3 files formatted, 0 already in canonical form\n");
    expect(await contents(dir, Object.keys(CANONICAL))).toEqual(CANONICAL);
    expect(isDeepStrictEqual(await meaning(dir), before)).toBe(true);
    // Atomic writes leave no temporary file behind.
    expect(await listing(dir)).toEqual(["plans", "plans/small.yaml", "siteform.yaml", "sites", "sites/acme.yaml"]);
  });

  it("is idempotent: formatting its own output changes nothing", async () => {
    const dir = await inventory(MESSY);
    expect((await fmt(dir)).code).toBe(0);
    const once = await contents(dir, Object.keys(MESSY));
    const again = await fmt(dir);
    expect(again).toMatchObject({ code: 0, stdout: "0 files formatted, 3 already in canonical form\n" });
    expect(await contents(dir, Object.keys(MESSY))).toEqual(once);
  });

  it("--check prints a unified diff per file that would change, exits 1 and writes nothing", async () => {
    const dir = await inventory({ ...CANONICAL, "sites/acme.yaml": MESSY["sites/acme.yaml"] as string });
    const result = await fmt(dir, "--check");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("--- a/sites/acme.yaml\n+++ b/sites/acme.yaml\n@@ ");
    expect(result.stdout).toContain("\n-email: [ops@acme.example, 'it@acme.example']\n+email:\n+  - ops@acme.example\n+  - it@acme.example\n");
    expect(result.stdout).toContain("\n-     quota: 7      # agreed in 2024\n+    quota: 7 # agreed in 2024\n");
    // Only the file that would change gets a diff.
    expect(result.stdout).not.toContain("siteform.yaml");
    expect(result.stderr).toBe("1 of 3 files is not in canonical form (diff above): run `siteform fmt` to rewrite it\n");
    expect(await readFile(join(dir, "sites/acme.yaml"), "utf8")).toBe(MESSY["sites/acme.yaml"]);
    expect(await listing(dir)).toEqual(["plans", "plans/small.yaml", "siteform.yaml", "sites", "sites/acme.yaml"]);
  });

  it("--check exits 0 on a formatted inventory", async () => {
    const dir = await inventory(CANONICAL);
    expect(await fmt(dir, "--check")).toEqual({ code: 0, stdout: "3 files checked: all in canonical form\n", stderr: "" });
  });

  it("writes nothing when a file is not valid YAML, and names the file and line as validate does", async () => {
    const dir = await inventory({
      ...MESSY,
      "sites/broken.yaml": "domain: broken.example\nserver: fra1\nserver: fra1\n",
      "sites/unclosed.yaml": "domain: unclosed.example\naliases: [a.example\n",
    });
    for (const args of [[], ["--check"]]) {
      const result = await fmt(dir, ...args);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^sites\/broken\.yaml:3:1 error duplicate field `server`$/m);
      expect(result.stderr).toMatch(/^sites\/unclosed\.yaml:\d+:\d+ error YAML: /m);
      expect(result.stderr).toContain(args.length === 0 ? "error: no file was written: fmt only rewrites valid YAML" : "error: nothing was checked");
      expect(result.stderr).toContain(`Fix the problems above (siteform validate lists the same) and run siteform fmt${args.length === 0 ? "" : " --check"} again.`);
      expect(await contents(dir, Object.keys(MESSY))).toEqual(MESSY);
    }
  });

  it("refuses a file that is not UTF-8 rather than writing replacement characters", async () => {
    const latin1 = Buffer.concat([Buffer.from("domain: caf"), Buffer.from([0xe9]), Buffer.from(".example\n")]);
    const dir = await inventory({ ...MESSY, "sites/latin1.yaml": latin1 });
    const result = await fmt(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sites\/latin1\.yaml:1:12 error the file is not valid UTF-8/m);
    expect(await readFile(join(dir, "sites/latin1.yaml"))).toEqual(latin1);
    expect(await contents(dir, Object.keys(MESSY))).toEqual(MESSY);
  });

  it("refuses a directory without siteform.yaml instead of formatting nothing", async () => {
    const dir = await inventory({ "sites/acme.yaml": MESSY["sites/acme.yaml"] as string });
    const result = await fmt(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^siteform\.yaml:1:1 error no siteform\.yaml in /m);
    expect(await readFile(join(dir, "sites/acme.yaml"), "utf8")).toBe(MESSY["sites/acme.yaml"]);
  });

  it("keeps a file's permissions and a symbolic link, rewriting the link's target", async () => {
    const dir = await inventory(MESSY);
    const outside = await inventory({ "shared/acme.yaml": MESSY["sites/acme.yaml"] as string });
    await rm(join(dir, "sites/acme.yaml"));
    await symlink(join(outside, "shared/acme.yaml"), join(dir, "sites/acme.yaml"));
    await chmod(join(dir, "plans/small.yaml"), 0o600);
    expect((await fmt(dir)).code).toBe(0);
    expect(await readlink(join(dir, "sites/acme.yaml"))).toBe(join(outside, "shared/acme.yaml"));
    expect(await readFile(join(outside, "shared/acme.yaml"), "utf8")).toBe(CANONICAL["sites/acme.yaml"]);
    expect((await stat(join(dir, "plans/small.yaml"))).mode & 0o777).toBe(0o600);
  });

  it("stops on an interrupt before writing anything", async () => {
    const dir = await inventory(MESSY);
    const stop = new AbortController();
    stop.abort();
    const io = recordingIO({ cwd: dir, env: {}, interrupted: stop.signal });
    expect(await siteform(io, "fmt")).toBe(130);
    expect(io.stderrText()).toBe("fmt interrupted: no file was formatted\n");
    expect(await contents(dir, Object.keys(MESSY))).toEqual(MESSY);
  });

  it("leaves a `.yml` file alone with a warning, without failing", async () => {
    const dir = await inventory({ ...CANONICAL, "sites/extra.yml": "domain:   x.example\n" });
    const result = await fmt(dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("sites/extra.yml:1:1 warning not formatted: siteform reads `.yaml` files only");
    expect(await readFile(join(dir, "sites/extra.yml"), "utf8")).toBe("domain:   x.example\n");
  });
});

describe("the example inventory this repository ships", () => {
  it("is in canonical form", async () => {
    const result = await fmt(REPOSITORY, "--check");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ files checked: all in canonical form\n$/);
  });

  it("means the same after fmt when every file was written messily (flow style, 4 spaces, quoted strings)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "siteform-fmt-example-"));
    made.push(dir);
    for (const part of ["siteform.yaml", "plans", "sites", "services", "licenses"]) await cp(join(REPOSITORY, part), join(dir, part), { recursive: true });
    const before = await meaning(dir);
    const files = (await listing(dir)).filter((p) => p.endsWith(".yaml"));
    for (const file of files) {
      const value: unknown = parse(await readFile(join(dir, file), "utf8"));
      await writeFile(join(dir, file), stringify(value, { indent: 4, defaultStringType: "QUOTE_SINGLE", defaultKeyType: "PLAIN", collectionStyle: "flow" }));
    }
    const result = await fmt(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${files.length} files formatted`);
    expect(isDeepStrictEqual(await meaning(dir), before)).toBe(true);
    expect((await fmt(dir, "--check")).code).toBe(0);
  });
});
