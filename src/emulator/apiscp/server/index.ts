/**
 * Starts the ApisCP emulator: a real SOAP server on loopback that tests, demos and benchmarks
 * talk to. This file only wires the parts together (options → state → api → auth, knobs, dice →
 * dispatcher → HTTP listener) and hands back the handle; each part lives in its own module,
 * the panel-neutral ones (knobs, dice, call counter, certificate, host checks, state file,
 * listener) shared with every emulator under emulator/shared/.
 */
import { randomBytes } from "node:crypto";
import type { AdminApi, EmulatorState } from "../api.js";
import { createAdminApi } from "../model/index.js";
import { CallCounter } from "../../shared/calllog.js";
import { DEFAULT_HOST, EmulatorOptionError, checkHost, checkPort, urlHost } from "../../shared/host.js";
import { DEFAULT_KNOBS, type Knobs } from "../../shared/knobs.js";
import { DEFAULT_SEED, createRandom } from "../../shared/random.js";
import { StateSaver } from "../../shared/statefile.js";
import { resolveTls } from "../../shared/tls.js";
import { Authenticator, DEFAULT_AUTH_LIMIT, generateKey, normalizeKey } from "./auth.js";
import { Dispatcher } from "./dispatch.js";
import { mergeKnobs } from "./knobs.js";
import type { EmulatorOptions, RunningEmulator } from "./options.js";
import { DEFAULT_MAX_BODY_BYTES, SOAP_PATH, WSDL_PATH, listen } from "./server.js";
import { loadStateFile } from "./statefile.js";
import { buildWsdl } from "./wsdl.js";

export type { EmulatorOptions, RunningEmulator } from "./options.js";
export { EmulatorOptionError, isLoopbackHost } from "./options.js";
export type { CallLog } from "./calllog.js";
export type { AuthLimit } from "./auth.js";
export { DEFAULT_AUTH_LIMIT, generateKey, normalizeKey } from "./auth.js";
export type { FailForm, Knobs, KnobFlags, MethodTable } from "./knobs.js";
export {
  ANY_METHOD,
  DEFAULT_KNOBS,
  FAIL_FORMS,
  KnobError,
  knobsFromFlags,
  mergeKnobs,
  parseFail,
  parseLatency,
  parseProbability,
} from "./knobs.js";
export { StateFileError, loadStateFile, saveStateFile } from "./statefile.js";
export { DEFAULT_SEED } from "./random.js";

const systemClock = (): number => (Date.now() / 1000) | 0;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = checkHost(options.host ?? DEFAULT_HOST, options.allowNonLoopback ?? false);
  const port = checkPort(options.port ?? 0);
  const key = resolveKey(options.key);
  let knobs: Knobs = mergeKnobs(DEFAULT_KNOBS, options.knobs ?? {});
  let clock = options.clock ?? systemClock;
  const api = await resolveApi(options);
  const tls = await resolveTls(options.tls);
  const log = options.log ?? (() => undefined);
  const saver = options.stateFile === undefined ? undefined : new StateSaver(options.stateFile, () => api.snapshot());

  const calls = new CallCounter();
  const dispatcher = new Dispatcher({
    api,
    auth: new Authenticator(key, options.authLimit ?? DEFAULT_AUTH_LIMIT, (id) => api.hasSession?.(id) ?? false),
    calls,
    random: createRandom(options.seed ?? DEFAULT_SEED),
    knobs: () => knobs,
    clock: () => clock(),
    ...(saver && { save: () => saver.save() }),
    log,
  });

  let endpoint = "";
  const http = await listen({
    host,
    port,
    tls: tls.material,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    wsdl: () => buildWsdl(endpoint),
    handleCall: (request, signal) => dispatcher.handle(request, signal),
    openPanel: (session) => api.openPanel?.(session),
    log,
  });
  const origin = `${tls.material ? "https" : "http"}://${urlHost(host)}:${http.port}`;
  endpoint = `${origin}${SOAP_PATH}`;
  try {
    // Persist the starting state at once: the file is valid from the first moment, and an
    // unwritable path is reported now rather than after the first mutating call.
    await saver?.save();
  } catch (err) {
    await http.close();
    throw new EmulatorOptionError(`cannot write state file ${options.stateFile}: ${(err as Error).message}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    url: endpoint,
    wsdlUrl: `${origin}${WSDL_PATH}`,
    key,
    ...(tls.caCert !== undefined && { caCert: tls.caCert }),
    port: http.port,
    api,
    calls,
    setKnobs(patch) {
      knobs = mergeKnobs(knobs, patch);
    },
    setClock(fn) {
      clock = fn;
    },
    stop() {
      stopping ??= (async () => {
        await http.close();
        await saver?.save();
      })();
      return stopping;
    },
  };
}

function resolveKey(given: string | undefined): string {
  if (given === undefined) return generateKey();
  const key = normalizeKey(given);
  if (key === null) throw new EmulatorOptionError("the API key must be 64 hexadecimal digits (dashes allowed)");
  return key;
}

/** Exactly one source of state: an api, or an explicit state, or the state file, or the model's default. */
async function resolveApi(options: EmulatorOptions): Promise<AdminApi> {
  const fromFile = options.stateFile === undefined ? undefined : await loadStateFile(options.stateFile);
  if (options.api) {
    if (options.state !== undefined || fromFile !== undefined) {
      throw new EmulatorOptionError(
        "give either an api or a state (option or existing state file), not both: the api owns its state",
      );
    }
    return options.api;
  }
  if (options.state !== undefined && fromFile !== undefined) {
    throw new EmulatorOptionError(
      `both a state and an existing state file (${options.stateFile}) were given; remove one so it is clear which wins`,
    );
  }
  const state: EmulatorState | undefined = fromFile ?? options.state;
  // A session id stands in for the API key (esprit_id), so it must not be guessable: the
  // model's default counter ids are for its own tests, not for a listening server.
  return createAdminApi(state, { sessionIds: () => randomBytes(16).toString("hex") });
}
