/**
 * Where WHM serves API 1: `https://HOST:2087/json-api` (2086 for plain HTTP). A server written
 * in siteform.yaml as just `https://HOST:2087` means that standard path; a URL with any other
 * path is used exactly as written (a proxy in front of WHM, an emulator).
 */
export const STANDARD_PATH = "/json-api";

/** The URL with WHM's standard path when it has none; anything else unchanged (an invalid URL too: the client says why). */
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
