/**
 * What every JSON-over-HTTP emulator does once its parts are wired: listen, write the starting
 * state at once (so the file is valid from the first moment and an unwritable path is reported
 * now, not after the first call), and hand back one idempotent stop that closes the listener
 * and saves the last state. Also the one rule for where the starting state comes from.
 */
import { EmulatorOptionError, urlHost } from "./host.js";
import { listen, type Router } from "./listener.js";
import type { StateSaver } from "./statefile.js";
import type { TlsMaterial } from "./tls.js";

export interface Served {
  /** `http://127.0.0.1:PORT` (https with TLS). */
  origin: string;
  port: number;
  /** Idempotent: closes the listener and every connection, then saves the state. */
  stop(): Promise<void>;
}

export async function serveEmulator(options: {
  host: string;
  port: number;
  tls: TlsMaterial | undefined;
  route: Router;
  log: (line: string) => void;
  saver: StateSaver | undefined;
  stateFile: string | undefined;
}): Promise<Served> {
  const http = await listen({ host: options.host, port: options.port, tls: options.tls, route: options.route, log: options.log });
  try {
    await options.saver?.save();
  } catch (err) {
    await http.close();
    throw new EmulatorOptionError(`cannot write state file ${options.stateFile}: ${(err as Error).message}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    origin: `${options.tls ? "https" : "http"}://${urlHost(options.host)}:${http.port}`,
    port: http.port,
    stop() {
      stopping ??= (async () => {
        await http.close();
        await options.saver?.save();
      })();
      return stopping;
    },
  };
}

/**
 * One source of starting state: the option, or the state file, or the emulator's default;
 * never both the option and an existing file, since which would win is not obvious.
 */
export async function initialState<T>(given: unknown, stateFile: string | undefined, load: (path: string) => Promise<T | undefined>, validate: (raw: unknown) => T): Promise<T> {
  const fromFile = stateFile === undefined ? undefined : await load(stateFile);
  if (given !== undefined && fromFile !== undefined) {
    throw new EmulatorOptionError(`both a state and an existing state file (${stateFile}) were given; remove one so it is clear which wins`);
  }
  if (fromFile !== undefined) return fromFile;
  try {
    return validate(given ?? {});
  } catch (err) {
    throw new EmulatorOptionError(`the initial state is not valid: ${(err as Error).message}`);
  }
}
