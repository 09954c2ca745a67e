/**
 * Where WHM serves API 1: `https://HOST:2087/json-api` (2086 for plain HTTP). A server written
 * in siteform.yaml as just `https://HOST:2087` means that path.
 */
import { withPathWhenNone } from "../endpoint.js";

export const STANDARD_PATH = "/json-api";

/** The URL with WHM's standard path when it has none; anything else unchanged. */
export function withStandardPath(url: string): string {
  return withPathWhenNone(url, STANDARD_PATH);
}
