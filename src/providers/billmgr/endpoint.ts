/**
 * Where BILLmanager serves its API: `https://HOST:1500/billmgr` (v6; v5 and some resellers use
 * `/manager/billmgr`, which is written out in full). A server written in siteform.yaml as just
 * `https://HOST:1500` means the standard path.
 */
import { withPathWhenNone } from "../endpoint.js";

export const STANDARD_PATH = "/billmgr";

/** The URL with BILLmanager's standard path when it has none; anything else unchanged. */
export function withStandardPath(url: string): string {
  return withPathWhenNone(url, STANDARD_PATH);
}
