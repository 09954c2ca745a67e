/**
 * How the emulator keeps secrets (passwords, DNS and mail provider keys): sealed on the way
 * in, as a one-way digest, so neither a state file nor any answer can ever contain the
 * plaintext. Nothing reads a sealed value back; it only has to exist (and differ when the
 * secret changes, so a saved state shows that a password was set).
 */
import { createHash } from "node:crypto";

const SEALED = /^sealed:sha256:[0-9a-f]{64}$/;

export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/** Idempotent, so a state file that already holds sealed values loads unchanged. */
export function seal(secret: string): string {
  if (isSealed(secret)) return secret;
  return `sealed:sha256:${createHash("sha256").update(secret, "utf8").digest("hex")}`;
}
