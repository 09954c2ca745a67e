/**
 * The `flags` map of add/edit/deactivate/delete. Each method accepts a fixed set of flag
 * names (from the contract); an unknown one faults, since the emulator cannot know what
 * the real server would do with it. Boolean flags take the same PHP forms as parameters.
 */
import type { SoapMap, SoapValue } from "../../../providers/apiscp/wire/value.js";
import { ApiFault } from "../api.js";
import { toBoolean } from "./coerce.js";
import { describeValue, quote } from "./values.js";

export class Flags {
  private constructor(
    private readonly method: string,
    private readonly values: SoapMap,
  ) {}

  static read(method: string, values: SoapMap, allowed: readonly string[]): Flags {
    for (const name of Object.keys(values)) {
      if (!allowed.includes(name)) {
        throw new ApiFault(`${method}: unknown flag ${quote(name)} (accepted: ${allowed.join(", ")})`);
      }
    }
    return new Flags(method, values);
  }

  /** The flag's value; null when absent or null. */
  raw(name: string): SoapValue {
    return Object.hasOwn(this.values, name) ? (this.values[name] ?? null) : null;
  }

  bool(name: string): boolean {
    const value = this.raw(name);
    if (value === null) return false;
    const flag = toBoolean(value);
    if (!flag.ok) throw new ApiFault(`${this.method}: flag ${quote(name)} ${flag.reason}, got ${describeValue(value)}`);
    return flag.value;
  }

  string(name: string): string | null {
    const value = this.raw(name);
    if (value === null) return null;
    if (typeof value !== "string") {
      throw new ApiFault(`${this.method}: flag ${quote(name)} must be a string, got ${describeValue(value)}`);
    }
    return value;
  }
}
