/**
 * The WHM API 1 functions siteform calls, and the one fact about each the client needs to
 * classify a lost answer: whether it changes the server. A lost answer to a read is safe to
 * ask again; a lost answer to a mutation is an unknown outcome.
 */
export const FUNCTIONS = {
  version: { mutating: false },
  listaccts: { mutating: false },
  accountsummary: { mutating: false },
  listpkgs: { mutating: false },
  showbw: { mutating: false },
  createacct: { mutating: true },
  removeacct: { mutating: true },
  suspendacct: { mutating: true },
  unsuspendacct: { mutating: true },
  changepackage: { mutating: true },
  modifyacct: { mutating: true },
  editquota: { mutating: true },
  limitbw: { mutating: true },
  // A lost answer leaves at most an unused session that expires on its own: asking again is safe.
  create_user_session: { mutating: false },
  passwd: { mutating: true },
} as const satisfies Readonly<Record<string, { mutating: boolean }>>;

export type WhmFunction = keyof typeof FUNCTIONS;

export function isWhmFunction(name: string): name is WhmFunction {
  return Object.hasOwn(FUNCTIONS, name);
}
