/**
 * One WHM call as the model sees it: its query parameters (case-sensitive, first value wins, as
 * WHM reads them), who is calling and when, and the answer a function gives back before the
 * server wraps it in WHM's envelope. Refusals are thrown as WhmRefusal, not returned.
 */
import { WhmRefusal } from "./refusal.js";

/**
 * How numbers that WHM keeps in its account and package files come out in listaccts,
 * accountsummary and listpkgs:
 * - `observed` (the default): as real servers send them: strings (`"5120M"`, `"50"`,
 *   `"unlimited"`), suspendtime an integer.
 * - `schema`: as cPanel's published OpenAPI schemas type them: integers or `"unlimited"`,
 *   accountsummary's suspendtime a string.
 */
export type WireStyle = "observed" | "schema";

export interface CallContext {
  /** Unix seconds, from the emulator's clock. */
  now: number;
  /** The authenticated WHM user: owner of what it creates, `root` may do everything. */
  user: string;
  wire: WireStyle;
  /** Where the caller reached the emulator (`http://127.0.0.1:PORT`): the base of the login URLs it hands out. */
  origin: string;
}

export interface WhmOutput {
  /** A text log, as WHM's scripts print it. */
  raw?: string;
  messages?: string[];
  warnings?: string[];
}

export interface WhmAnswer {
  /** metadata.reason: "OK" or the function's success message. */
  reason: string;
  data?: Record<string, unknown>;
  output?: WhmOutput;
}

/** The query parameters of a call. */
export class Params {
  constructor(private readonly query: URLSearchParams) {}

  /** The first value of `name` (exact case), or undefined when absent. */
  get(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  /** The first of `names` present (earlier names win), or a refusal naming the first. */
  required(...names: string[]): string {
    for (const name of names) {
      const value = this.get(name);
      if (value !== undefined && value !== "") return value;
    }
    throw new WhmRefusal(`Missing parameter: “${names[0]}” is required.`);
  }

  /** `1`/`0` as WHM's booleans; anything else refused (WHM does not take true/false). */
  flag(name: string, fallback: boolean): boolean {
    const value = this.get(name);
    if (value === undefined || value === "") return fallback;
    if (value === "1") return true;
    if (value === "0") return false;
    throw new WhmRefusal(`Invalid value “${value}” for “${name}”: use 1 or 0.`);
  }
}
