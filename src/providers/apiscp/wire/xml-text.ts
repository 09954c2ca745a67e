/**
 * Writing text into XML the way PHP's ext/soap does: only `<`, `>` and `&` are escaped, CR is
 * written as `&#13;` so a parser's line-end normalisation cannot turn it into LF, and
 * everything else (quotes, tabs, newlines, UTF-8) goes out as it is.
 */

/** Escapes element text. */
export function escapeXmlText(text: string): string {
  return text.replace(/[<>&\r]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "&#13;"));
}

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
 * than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isXmlSafe(text: string): boolean {
  return !NOT_XML.test(text);
}

/** For text with no typed fallback (fault strings): characters XML cannot carry become U+FFFD. */
export function replaceNonXml(text: string): string {
  return text.replace(new RegExp(NOT_XML.source, "g"), "\ufffd");
}

/** An XML name we are willing to write as an element name (operation and argument names). */
export function assertXmlName(name: string, what: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new TypeError(`${what} ${JSON.stringify(name)} is not a valid XML element name`);
}
