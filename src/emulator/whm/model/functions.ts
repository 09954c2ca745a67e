/**
 * The WHM API 1 functions the emulator serves, and which of them change the server (so the state
 * file is saved after them). The knobs accept these names, and `*`.
 */

export const WHM_FUNCTIONS = {
  createacct: { mutating: true },
  removeacct: { mutating: true },
  suspendacct: { mutating: true },
  unsuspendacct: { mutating: true },
  changepackage: { mutating: true },
  modifyacct: { mutating: true },
  editquota: { mutating: true },
  limitbw: { mutating: true },
  passwd: { mutating: true },
  // A session lives in memory only and expires unused: nothing in the state file changes.
  create_user_session: { mutating: false },
  listaccts: { mutating: false },
  accountsummary: { mutating: false },
  listpkgs: { mutating: false },
  showbw: { mutating: false },
  listsuspended: { mutating: false },
  version: { mutating: false },
} as const satisfies Record<string, { mutating: boolean }>;

export type WhmFunction = keyof typeof WHM_FUNCTIONS;

export function isWhmFunction(name: string): name is WhmFunction {
  return Object.hasOwn(WHM_FUNCTIONS, name);
}
