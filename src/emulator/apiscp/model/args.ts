/**
 * Positional arguments of one call as the wire decoded them. Missing trailing arguments
 * take their defaults; a wrong type faults naming the method and the argument (by its WSDL
 * part name), never coercing: PHP's ext/soap hands ApisCP typed values, and a client that
 * sends the wrong type should find out here rather than on a real server.
 */
import type { SoapMap, SoapValue } from "../../../providers/apiscp/wire/value.js";
import { isSoapMap } from "../../../providers/apiscp/wire/value.js";
import type { MethodName } from "../../../providers/apiscp/methods.js";
import { METHODS } from "../../../providers/apiscp/methods.js";
import { ApiFault } from "../api.js";
import { describeValue } from "./values.js";

export class CallArgs {
  constructor(
    readonly method: MethodName,
    private readonly values: readonly SoapValue[],
  ) {
    const expected = METHODS[method].params.length;
    if (values.length > expected) {
      throw new ApiFault(`${method}: expected at most ${expected} argument(s), got ${values.length}`);
    }
  }

  name(index: number): string {
    return METHODS[this.method].params[index] ?? `param${index}`;
  }

  raw(index: number): SoapValue | undefined {
    return this.values[index];
  }

  string(index: number): string {
    const value = this.values[index];
    if (value === undefined || value === null) {
      throw new ApiFault(`${this.method}: missing argument ${this.name(index)}`);
    }
    return this.expectString(index, value);
  }

  optionalString(index: number): string | null {
    const value = this.values[index];
    return value === undefined || value === null ? null : this.expectString(index, value);
  }

  /** A map; absent, null and the empty PHP array (an empty list on the wire) are `{}`. */
  map(index: number): SoapMap {
    const value = this.values[index];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return {};
    if (!isSoapMap(value)) throw this.wrongType(index, "a map", value);
    return value;
  }

  /** A list of strings; absent, null and empty mean "no restriction" (null). */
  stringList(index: number): string[] | null {
    const value = this.values[index];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return null;
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw this.wrongType(index, "a list of strings", value);
    }
    return value as string[];
  }

  private expectString(index: number, value: SoapValue): string {
    if (typeof value !== "string") throw this.wrongType(index, "a string", value);
    return value;
  }

  private wrongType(index: number, what: string, value: SoapValue): ApiFault {
    return new ApiFault(`${this.method}: argument ${this.name(index)} must be ${what}, got ${describeValue(value)}`);
  }
}
