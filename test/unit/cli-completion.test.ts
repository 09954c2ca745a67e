/**
 * `siteform completion bash|zsh|fish`: the scripts name every command and option of the
 * program as built (so a new command is covered without editing the generator), and they work:
 * bash's is run in bash with the words a user would have typed; zsh's and fish's are checked by
 * their shells (.ci/run installs both, as the README's PHP note says for the interop tests).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionScript } from "../../src/cli/completion.js";
import { memoryIO } from "../support/emulator-cli.js";
import { buildProgram, run } from "../../src/cli/main.js";


async function script(shell: string): Promise<{ code: number; text: string; err: string }> {
  const io = memoryIO(process.cwd());
  const code = await run(["node", "siteform", "completion", shell], io);
  return { code, text: io.out.join(""), err: io.err.join("") };
}


const program = await buildProgram(memoryIO(process.cwd()), { exitCode: 0 });
const SHELLS = ["bash", "zsh", "fish"] as const;

describe("siteform completion", () => {
  it.each(SHELLS)("%s: names every command and every option of every command", async (shell) => {
    const { code, text } = await script(shell);
    expect(code).toBe(0);
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(["validate", "plan", "apply", "drift", "import", "fmt", "completion"]));
    for (const command of program.commands) {
      expect(text, `${shell}: command ${command.name()}`).toMatch(new RegExp(`\\b${command.name()}\\b`));
      // Hidden options (`password --password`, declared only to refuse it) are left out on purpose.
      for (const option of command.options.filter((o) => !o.hidden)) {
        const long = option.long ?? "";
        // fish writes `-l detailed-exitcode`, the others `--detailed-exitcode`.
        expect(text, `${shell}: ${command.name()} ${long}`).toContain(shell === "fish" ? `-l ${long.slice(2)}` : long);
      }
    }
    expect(text).toContain(shell === "fish" ? "-l detailed-exitcode" : "--detailed-exitcode");
  });

  it("refuses a shell it has no script for, naming those it has", async () => {
    const { code, text, err } = await script("tcsh");
    expect(code).toBe(1);
    expect(text).toBe("");
    expect(err).toMatch(/value 'tcsh' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish/);
  });

  it.each(SHELLS)("%s: covers a command added to the program without any change to the generator", async (shell) => {
    const extended = await buildProgram(memoryIO(process.cwd()), { exitCode: 0 });
    extended.addCommand(new Command("frobnicate").option("--wobble-level <n>", "how much"));
    const text = completionScript(shell, extended);
    expect(text).toContain("frobnicate");
    expect(text).toContain(shell === "fish" ? "-l wobble-level" : "--wobble-level");
  });
});

describe("the bash script, run in bash", () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "siteform-completion-"));
    await mkdir(join(dir, "inventory"));
    await writeFile(join(dir, "plan.json"), "{}");
    file = join(dir, "siteform.bash");
    await writeFile(file, (await script("bash")).text);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What bash offers after the words typed (the last one being completed). */
  function complete(...words: string[]): string[] {
    const quoted = words.map((w) => `'${w}'`).join(" ");
    const out = execFileSync("bash", ["-c", `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _siteform_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: "utf8" });
    return out.split("\n").filter((l) => l !== "");
  }

  it("completes command names, then each command's own options", () => {
    expect(complete("siteform", "pl")).toEqual(["plan"]);
    expect(complete("siteform", "")).toEqual(expect.arrayContaining(["fmt", "completion", "--help"]));
    expect(complete("siteform", "plan", "--det")).toEqual(["--detailed-exitcode"]);
    expect(complete("siteform", "fmt", "--")).toEqual(["--dir", "--check", "--help"]);
  });

  it("finds the command after global options, skipping a global option's value", () => {
    expect(complete("siteform", "--log-format", "json", "drift", "--det")).toEqual(["--detailed-exitcode"]);
  });

  it("completes values: directories for --dir, files for a file argument, choices for the shell", () => {
    expect(complete("siteform", "fmt", "--dir", "")).toEqual(["inventory"]);
    expect(complete("siteform", "show", "pl")).toEqual(["plan.json"]);
    expect(complete("siteform", "completion", "")).toEqual(["bash", "zsh", "fish"]);
  });
});

// zsh and fish are installed by .ci/run, as PHP is: these run everywhere the suite does.
describe("the zsh script", () => {
  it("parses in zsh", async () => {
    const { text } = await script("zsh");
    expect(() => execFileSync("zsh", ["-n"], { input: text })).not.toThrow();
  });
});

describe("the fish script, run in fish", () => {
  it("completes commands, options and choices", async () => {
    const { text } = await script("fish");
    const complete = (line: string): string[] =>
      execFileSync("fish", ["-c", `${text}\ncomplete -C '${line}'`], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split("\t")[0] ?? "");
    expect(complete("siteform pl")).toEqual(["plan"]);
    expect(complete("siteform plan --det")).toEqual(["--detailed-exitcode"]);
    expect(complete("siteform completion ")).toEqual(["bash", "fish", "zsh"]);
  });
});
