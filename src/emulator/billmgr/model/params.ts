/**
 * One call's form parameters as the model reads them (query and body merged by the server; first
 * value wins), with the checks every function shares: a required field, an integer, and `elid`
 * lists (`"1, 2"`). Failures are the in-band refusals BILLmanager gives.
 */
import { BillmgrRefusal } from "./refusal.js";

export class Params {
  constructor(private readonly values: URLSearchParams) {}

  get(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  /** Present and not empty. */
  has(name: string): boolean {
    const v = this.get(name);
    return v !== undefined && v !== "";
  }

  required(name: string): string {
    const v = this.get(name)?.trim();
    if (v === undefined || v === "") throw new BillmgrRefusal("value", name, `The field '${name}' is required`);
    return v;
  }

  /** `sok=ok` (any non-empty value) commits; without it a function answers with its form or preview. */
  get committing(): boolean {
    return this.has("sok");
  }

  /** Names of the parameters present, e.g. to find `addon_<id>` fields. */
  names(): string[] {
    return [...new Set(this.values.keys())];
  }

  /** The ids in `elid`, which may list several joined by ", ". */
  elids(): number[] {
    return this.required("elid")
      .split(",")
      .map((part) => toId(part.trim(), "elid"));
  }

  /** Exactly one id in `elid`. */
  elid(): number {
    const ids = this.elids();
    if (ids.length !== 1) throw new BillmgrRefusal("value", "elid", "This function takes exactly one service in 'elid'");
    return ids[0]!;
  }
}

export function toId(text: string, field: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw new BillmgrRefusal("value", field, `'${text}' is not a valid value for '${field}'`);
  return Number(text);
}

/** A whole number from `min` to `max`, or a `value` refusal naming the field. */
export function toInt(text: string, field: string, min: number, max: number): number {
  const n = /^-?\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n >= min && n <= max)) throw new BillmgrRefusal("value", field, `'${text}' is not a valid value for '${field}': use a whole number from ${min} to ${max}`);
  return n;
}
