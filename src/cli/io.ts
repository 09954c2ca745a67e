/**
 * What a command may touch of the outside world. Commands receive it instead of reaching for
 * `process` so that tests run them in-process and read exactly what a user would see.
 */
import { createInterface } from "node:readline/promises";
import { ExitCode } from "./exit.js";

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal: colour and live progress are allowed. */
  isTTY: boolean;
  /** Whether to colour output, as the global flags and the environment decide (output.ts); unset: from the environment and isTTY. */
  color?: boolean;
  /** What stderr carries: human progress lines (`text`, the default) or one JSON object per event. */
  logFormat?: "text" | "json";
  /**
   * Aborts on the first Ctrl-C or SIGTERM: the user asks to stop. Read-only commands stop at
   * once (in-flight reads cut short, nothing written); apply lets ops in flight finish.
   */
  interrupted: AbortSignal;
  /**
   * Aborts on a second Ctrl-C or SIGTERM: the user insists. Work that the first signal lets
   * finish (apply's ops in flight) should now be cut short too. The process exits with
   * ExitCode.interrupted FORCED_EXIT_GRACE_MS later if the command has not ended by then.
   */
  forced: AbortSignal;
  /**
   * Asks a person a question and returns the line typed, or null when nobody can answer (stdin
   * is not a terminal). Absent means nobody can answer.
   */
  prompt?: (question: string) => Promise<string | null>;
  /**
   * Asks for a secret at the terminal without echoing what is typed (the question goes to
   * stderr); null when stdin is not a terminal, or when the person pressed Ctrl-C or Ctrl-D.
   * Absent means nobody can type one.
   */
  secret?: (question: string) => Promise<string | null>;
  /** The first line of stdin, without its line ending, when stdin is not a terminal (a secret piped in); null when there is none. */
  stdinLine?: () => Promise<string | null>;
  /**
   * Writes a credential the user asked for (a login URL) to stdout as it is. Every other output
   * masks the secrets siteform knows, and this one's secret is registered as one before it is
   * written (src/cli/main.ts); only `login` uses it. Absent: stdout.
   */
  credential?: (text: string) => void;
}

/** How long a command has after the second signal to end itself before the process exits anyway. */
export const FORCED_EXIT_GRACE_MS = 5_000;

export function processIO(): CliIO {
  const interrupt = new AbortController();
  const force = new AbortController();
  // process.on, not once: with a listener installed node never applies its default (an
  // immediate exit without cleanup), so the second signal is ours to handle too.
  const onSignal = (): void => {
    if (!interrupt.signal.aborted) {
      interrupt.abort();
    } else if (!force.signal.aborted) {
      force.abort();
      // Safety net for a command that does not end: unref'd, so it never keeps a finished process alive.
      setTimeout(() => {
        process.stderr.write(`siteform did not stop within ${FORCED_EXIT_GRACE_MS / 1000} s of the second interrupt; exiting\n`);
        process.exit(ExitCode.interrupted);
      }, FORCED_EXIT_GRACE_MS).unref();
    } else {
      // A third signal: the user does not want to wait for the grace period either.
      process.exit(ExitCode.interrupted);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    interrupted: interrupt.signal,
    forced: force.signal,
    secret: (question) => readHidden(question, onSignal),
    stdinLine: () => readFirstLine(process.stdin),
    prompt: async (question) => {
      if (!process.stdin.isTTY) return null;
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      // Ctrl-C at the question is read by readline, not delivered as a signal: treat it as one.
      rl.on("SIGINT", onSignal);
      try {
        return await rl.question(question, { signal: interrupt.signal });
      } catch (err) {
        // Interrupted while asking: an answer that is not "yes".
        if (interrupt.signal.aborted) return "";
        throw err;
      } finally {
        rl.close();
      }
    },
  };
}

/** What `stdinLine` reads at most: a password is short, and a pipe that never ends must not fill memory. */
const MAX_STDIN_LINE = 64 * 1024;

/**
 * One line typed at the terminal, not echoed: stdin in raw mode, so every key arrives as typed.
 * Enter ends it; Backspace takes back a character; Ctrl-C is the interrupt (and answers null);
 * Ctrl-D on an empty line answers null.
 */
function readHidden(question: string, onInterrupt: () => void): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(null);
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve) => {
    let typed: string[] = [];
    const finish = (answer: string | null): void => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      typed = [];
      resolve(answer);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return finish(typed.join(""));
        if (ch === "\u0003") {
          onInterrupt();
          return finish(null);
        }
        if (ch === "\u0004") return finish(typed.length === 0 ? null : typed.join(""));
        if (ch === "\u007f" || ch === "\b") typed.pop();
        else if (ch >= " ") typed.push(ch);
      }
    };
    stdin.on("data", onData);
  });
}

/** The first line of `input` (a pipe or a file, not a terminal), read only as far as its end; null when it is empty. */
export async function readFirstLine(input: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string | null> {
  if (input.isTTY === true) return null;
  let text = "";
  for await (const chunk of input) {
    text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
    if (text.includes("\n") || text.length > MAX_STDIN_LINE) break;
  }
  const end = text.indexOf("\n");
  const line = (end < 0 ? text : text.slice(0, end)).replace(/\r$/, "");
  return line === "" && end < 0 ? null : line;
}
