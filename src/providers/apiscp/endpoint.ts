/**
 * Where ApisCP serves its API: `https://HOST:2083/soap` (2082 for plain HTTP). A server written
 * in siteform.yaml as just `https://HOST:2083` means that path.
 */
import { withPathWhenNone } from "../endpoint.js";

export const STANDARD_PATH = "/soap";

/** The URL with ApisCP's standard path when it has none; anything else unchanged. */
export function withStandardPath(url: string): string {
  return withPathWhenNone(url, STANDARD_PATH);
}
