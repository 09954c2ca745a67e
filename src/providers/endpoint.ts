/**
 * A server written in siteform.yaml as just `https://HOST:PORT` means its panel's standard API
 * path, so an operator does not have to know it; a URL with any other path is used exactly as
 * written (a proxy in front of the panel, an emulator). Each provider names its own path.
 */

/** The URL with `standardPath` when it has no path; anything else unchanged (an invalid URL too: the client says why). */
export function withPathWhenNone(url: string, standardPath: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") return url;
  parsed.pathname = standardPath;
  return parsed.toString();
}
