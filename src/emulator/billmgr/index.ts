/**
 * Starts the BILLmanager emulator: a real HTTP(S) server on loopback speaking BILLmanager's API
 * (COREmanager framework, `out=json`) for the service and licence functions siteform uses, with
 * the real panel's quirks, the shared fault knobs and a state file. This file wires the parts
 * (options → state → model, credentials and sessions, knobs, dice → dispatcher → router → shared
 * listener) and hands back the handle; each part lives in its own module.
 */
import { CallCounter } from "../shared/calllog.js";
import { DEFAULT_HOST, checkHost, checkPort } from "../shared/host.js";
import { DEFAULT_KNOBS, mergeKnobs, type Knobs } from "../shared/knobs.js";
import { initialState, serveEmulator } from "../shared/serve.js";
import { DEFAULT_SEED, createRandom } from "../shared/random.js";
import { StateSaver } from "../shared/statefile.js";
import { resolveTls } from "../shared/tls.js";
import { BILLMGR_KNOB_METHODS } from "./knob-methods.js";
import { BillmgrModel, validateBillmgrState, type BillmgrState } from "./model/index.js";
import {
  DEFAULT_SESSION_TTL,
  DEFAULT_USER,
  checkNonNegativeInt,
  checkPassword,
  checkUser,
  generatePassword,
  type BillmgrEmulatorOptions,
  type RunningBillmgrEmulator,
} from "./options.js";
import { Credentials, Sessions } from "./server/auth.js";
import { BillmgrDispatcher } from "./server/dispatch.js";
import { API_PATH, billmgrRouter } from "./server/router.js";
import { loadBillmgrStateFile } from "./statefile.js";

export type { BillmgrEmulatorOptions, RunningBillmgrEmulator } from "./options.js";
export { generatePassword } from "./options.js";
export { BILLMGR_KNOB_METHODS } from "./knob-methods.js";
export { loadBillmgrStateFile } from "./statefile.js";
export {
  BILLMGR_FUNCTION_NAMES,
  BillmgrStateError,
  ITEMTYPES,
  defaultBillmgrState,
  isBillmgrFunction,
  validateBillmgrState,
  type BillmgrAddon,
  type BillmgrDatacenter,
  type BillmgrHistoryEvent,
  type BillmgrOrderRecord,
  type BillmgrOsTemplate,
  type BillmgrServiceInput,
  type BillmgrServiceRecord,
  type BillmgrState,
  type BillmgrStateInput,
  type BillmgrTariff,
  type ItemStatus,
  type Itemtype,
} from "./model/index.js";
export type { CallLog } from "../shared/calllog.js";
export type { FailForm, Knobs, MethodTable } from "../shared/knobs.js";

const systemClock = (): number => (Date.now() / 1000) | 0;

export async function startBillmgrEmulator(options: BillmgrEmulatorOptions = {}): Promise<RunningBillmgrEmulator> {
  const host = checkHost(options.host ?? DEFAULT_HOST, options.allowNonLoopback ?? false);
  const port = checkPort(options.port ?? 0);
  const user = checkUser(options.user ?? DEFAULT_USER);
  const password = options.password === undefined ? generatePassword() : checkPassword(options.password);
  const ttl = checkNonNegativeInt(options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL, "sessionTtlSeconds");
  const processingSteps = checkNonNegativeInt(options.processingSteps ?? 1, "processingSteps");
  let knobs: Knobs = mergeKnobs(DEFAULT_KNOBS, options.knobs ?? {}, BILLMGR_KNOB_METHODS);
  let clock = options.clock ?? systemClock;
  const model = new BillmgrModel(await resolveState(options));
  const tls = await resolveTls(options.tls);
  const log = options.log ?? (() => undefined);
  const saver = options.stateFile === undefined ? undefined : new StateSaver(options.stateFile, () => model.snapshot());
  const sessions = new Sessions(ttl, () => clock());

  const calls = new CallCounter();
  const dispatcher = new BillmgrDispatcher({
    model,
    credentials: new Credentials(user, password),
    sessions,
    calls,
    random: createRandom(options.seed ?? DEFAULT_SEED),
    knobs: () => knobs,
    clock: () => clock(),
    processingSteps,
    ...(saver && { save: () => saver.save() }),
    log,
  });
  const served = await serveEmulator({ host, port, tls: tls.material, route: billmgrRouter(dispatcher), log, saver, stateFile: options.stateFile });
  const origin = served.origin;
  return {
    url: `${origin}${API_PATH}`,
    origin,
    user,
    password,
    ...(tls.caCert !== undefined && { caCert: tls.caCert }),
    port: served.port,
    services: () => model.services(),
    balance: () => model.balance(),
    orders: () => model.orders(),
    calls,
    setKnobs(patch) {
      knobs = mergeKnobs(knobs, patch, BILLMGR_KNOB_METHODS);
    },
    setClock(fn) {
      clock = fn;
    },
    expireSessions() {
      sessions.expireAll();
    },
    stop: served.stop,
  };
}

function resolveState(options: BillmgrEmulatorOptions): Promise<BillmgrState> {
  return initialState(options.state, options.stateFile, loadBillmgrStateFile, validateBillmgrState);
}
