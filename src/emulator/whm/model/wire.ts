/**
 * How a limit kept in an account or package file comes out on the wire, in the style the
 * emulator was started with (see WireStyle): a string as real servers send it, or an integer as
 * the OpenAPI schemas type it. `"unlimited"` is the same in both.
 */
import type { WireStyle } from "./call.js";
import { limitText, type Limit } from "./limit.js";

export function wireLimit(limit: Limit, wire: WireStyle, suffix = ""): string | number {
  if (limit === "unlimited") return limit;
  return wire === "schema" ? limit : `${limitText(limit)}${suffix}`;
}
