/**
 * Where ApisCP serves its API: `https://HOST:2083/soap` (2082 for plain HTTP). A server written
 * in siteform.yaml as just `https://HOST:2083` means that standard path, so an operator does
 * not have to know it; a URL with any other path is used exactly as written.
 */
export const STANDARD_PATH = "/soap";

/** The URL with ApisCP's standard path when it has none; anything else unchanged (an invalid URL too: the client says why). */
export function withStandardPath(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") return url;
  parsed.pathname = STANDARD_PATH;
  return parsed.toString();
}
