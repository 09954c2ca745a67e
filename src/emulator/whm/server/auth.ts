/**
 * Who may call: exactly `Authorization: whm USER:TOKEN` with the emulator's user and token.
 * Anything else (no header, Basic, the legacy `WHM user:hash`, a wrong user or token) is
 * refused the same way, so a caller learns nothing about which part was wrong. It decides; it
 * never logs or echoes what was sent.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export class TokenAuth {
  private readonly expected: Buffer;

  constructor(user: string, token: string) {
    this.expected = digest(`whm ${user}:${token}`);
  }

  /** True when `header` is exactly the expected credentials. */
  allows(header: string | undefined): boolean {
    if (header === undefined) return false;
    // Hashing both sides first keeps the comparison constant-time whatever the lengths.
    return timingSafeEqual(this.expected, digest(header.trim()));
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
