/**
 * Starts the WHM emulator: a real HTTP(S) server on loopback speaking WHM API 1 (json-api) for
 * the account functions siteform uses, with the real server's quirks, the shared fault knobs and
 * a state file. This file wires the parts (options → state → model, token auth, knobs, dice →
 * dispatcher → router → shared listener) and hands back the handle; each part lives in its own
 * module.
 */
import { CallCounter } from "../shared/calllog.js";
import { DEFAULT_HOST, checkHost, checkPort } from "../shared/host.js";
import { DEFAULT_KNOBS, mergeKnobs, type Knobs } from "../shared/knobs.js";
import { initialState, serveEmulator } from "../shared/serve.js";
import { DEFAULT_SEED, createRandom } from "../shared/random.js";
import { StateSaver } from "../shared/statefile.js";
import { resolveTls } from "../shared/tls.js";
import { WhmModel, validateWhmState, type WhmState } from "./model/index.js";
import { DEFAULT_USER, checkToken, checkUser, generateToken, type RunningWhmEmulator, type WhmEmulatorOptions } from "./options.js";
import { TokenAuth } from "./server/auth.js";
import { WhmDispatcher } from "./server/dispatch.js";
import { WHM_KNOB_METHODS } from "./knob-methods.js";
import { API_PATH, whmRouter } from "./server/router.js";
import { loadWhmStateFile } from "./statefile.js";

export type { RunningWhmEmulator, WhmEmulatorOptions } from "./options.js";
export { generateToken } from "./options.js";
export { WHM_KNOB_METHODS } from "./knob-methods.js";
export { loadWhmStateFile } from "./statefile.js";
export {
  APP_LINKS,
  DEFAULT_MIN_STRENGTH,
  PREAUTH_SECONDS,
  passwordStrength,
  type WhmPasswordRecord,
  BYTES_PER_MB,
  UNLIMITED,
  WHM_FUNCTIONS,
  WHM_VERSION,
  WhmStateError,
  defaultWhmState,
  isWhmFunction,
  validateWhmState,
  type Limit,
  type WhmAccountInput,
  type WhmAccountRecord,
  type WhmFunction,
  type WhmLimits,
  type WhmPackageInput,
  type WhmPackageRecord,
  type WhmState,
  type WhmStateInput,
  type WireStyle,
} from "./model/index.js";
export type { CallLog } from "../shared/calllog.js";
export type { FailForm, Knobs, MethodTable } from "../shared/knobs.js";

const systemClock = (): number => (Date.now() / 1000) | 0;

export async function startWhmEmulator(options: WhmEmulatorOptions = {}): Promise<RunningWhmEmulator> {
  const host = checkHost(options.host ?? DEFAULT_HOST, options.allowNonLoopback ?? false);
  const port = checkPort(options.port ?? 0);
  const user = checkUser(options.user ?? DEFAULT_USER);
  const token = options.token === undefined ? generateToken() : checkToken(options.token);
  let knobs: Knobs = mergeKnobs(DEFAULT_KNOBS, options.knobs ?? {}, WHM_KNOB_METHODS);
  let clock = options.clock ?? systemClock;
  const model = new WhmModel(await resolveState(options));
  const tls = await resolveTls(options.tls);
  const log = options.log ?? (() => undefined);
  const saver = options.stateFile === undefined ? undefined : new StateSaver(options.stateFile, () => model.snapshot());

  const calls = new CallCounter();
  const dispatcher = new WhmDispatcher({
    model,
    auth: new TokenAuth(user, token),
    user,
    calls,
    random: createRandom(options.seed ?? DEFAULT_SEED),
    knobs: () => knobs,
    clock: () => clock(),
    wire: options.wire ?? "observed",
    ...(saver && { save: () => saver.save() }),
    log,
  });
  const served = await serveEmulator({ host, port, tls: tls.material, route: whmRouter(dispatcher), log, saver, stateFile: options.stateFile });
  const origin = served.origin;
  return {
    url: `${origin}${API_PATH}`,
    origin,
    user,
    token,
    ...(tls.caCert !== undefined && { caCert: tls.caCert }),
    port: served.port,
    accounts: () => model.accounts(),
    packages: () => model.packages(),
    setUsage: (user, usage) => model.setUsage(user, usage),
    passwordMatches: (user, password) => model.passwordIs(user, password),
    calls,
    setKnobs(patch) {
      knobs = mergeKnobs(knobs, patch, WHM_KNOB_METHODS);
    },
    setClock(fn) {
      clock = fn;
    },
    stop: served.stop,
  };
}

function resolveState(options: WhmEmulatorOptions): Promise<WhmState> {
  return initialState(options.state, options.stateFile, loadWhmStateFile, validateWhmState);
}
