/**
 * The one error the codec throws for input it cannot read: malformed XML, a DOCTYPE, a document
 * that is not a SOAP envelope, or a typed value whose text does not fit its type. Messages name
 * what was wrong and quote at most a short snippet, never the payload, so they are safe to log.
 */
export class SoapDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SoapDecodeError";
  }
}

const SNIPPET_MAX = 40;

/** A short, single-line quote of untrusted text for an error message. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return JSON.stringify(flat.length > SNIPPET_MAX ? `${flat.slice(0, SNIPPET_MAX)}…` : flat);
}
