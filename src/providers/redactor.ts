/**
 * Removes a credential (an API key, a token) from text that came from elsewhere (fault strings,
 * refusal reasons, HTTP bodies, system errors) before it reaches a message: the whole secret in
 * any case, and any run of at least 12 of its characters in a row (an echo cut short by
 * truncation still leaks most of it); for a secret written in groups (an ApisCP key), also with
 * any dashes or spacing a server may echo it with. Every provider words its errors through one.
 */

/** Fragments of the secret this long or longer are redacted too. */
const MIN_FRAGMENT = 12;

export class Redactor {
  private readonly secret: string;
  private readonly fragment: number;
  private readonly runs: RegExp | null;

  /**
   * `grouped`: the secret may be echoed with dashes or spaces between its characters. Off for a
   * secret that never is (a WHM token), so that a run never reaches into the words around it.
   */
  constructor(secret: string, options: { grouped: boolean } = { grouped: true }) {
    this.secret = secret.replace(/[-\s]/g, "").toLowerCase();
    this.fragment = Math.max(1, Math.min(MIN_FRAGMENT, this.secret.length));
    const alphabet = [...new Set(this.secret + this.secret.toUpperCase())].map((c) => c.replace(/[\\\][^-]/g, "\\$&")).join("");
    const gap = options.grouped ? "[-\\s]*" : "";
    this.runs = alphabet === "" ? null : new RegExp(`[${alphabet}](?:${gap}[${alphabet}]){${this.fragment - 1},}`, "g");
  }

  redact(text: string): string {
    if (this.runs === null) return text;
    return text.replace(this.runs, (run) => {
      const plain = run.replace(/[-\s]/g, "").toLowerCase();
      for (let i = 0; i + this.fragment <= plain.length; i++) {
        if (this.secret.includes(plain.slice(i, i + this.fragment))) return "[REDACTED]";
      }
      return run;
    });
  }
}
