/**
 * Where an emulator may listen: loopback only unless the caller insists (anyone who can reach an
 * emulator can use it: its credentials are made up for tests), a valid port, and the URL spelling
 * of a host. Also the error every emulator throws for an option it cannot honour, so the CLI
 * turns all of them into one clear exit message.
 */
import { isIP } from "node:net";

/** An option the emulator cannot honour; the message says which and why. */
export class EmulatorOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmulatorOptionError";
  }
}

export const DEFAULT_HOST = "127.0.0.1";

/** localhost, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") return true;
  const v4 = bare.toLowerCase().startsWith("::ffff:") ? bare.slice(7) : bare;
  if (isIP(v4) === 4) return v4.split(".")[0] === "127";
  // The URL parser writes IPv6 literals canonically, so 0:0:0:0:0:0:0:1 and ::1 compare equal.
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname === "[::1]";
  return false;
}

export function checkHost(host: string, allowNonLoopback: boolean): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (!allowNonLoopback && !isLoopbackHost(bare)) {
    throw new EmulatorOptionError(
      `refusing to listen on ${host}: the emulator is for loopback only (anyone who can reach it can use it); ` +
        `pass allowNonLoopback to override`,
    );
  }
  return bare;
}

/** The URL host part: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorOptionError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  return port;
}
