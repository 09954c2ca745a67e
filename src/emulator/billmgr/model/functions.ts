/**
 * The BILLmanager functions (`func=` values) the emulator serves. The knobs accept these names
 * and `*`; the call log counts by them. Item types are the service kinds siteform manages:
 * hosting, virtual and dedicated servers, and third-party licences.
 */

export const ITEMTYPES = ["vhost", "vds", "dedic", "softexternal"] as const;
export type Itemtype = (typeof ITEMTYPES)[number];
/** The item types ordered through `v2.<itemtype>.order.param`; licences use `softexternal.order.param`. */
export const SERVICE_ITEMTYPES = ["vhost", "vds", "dedic"] as const;

export type ActionVerb = "filter" | "edit" | "suspend" | "resume" | "delete";
const VERBS: readonly ActionVerb[] = ["filter", "edit", "suspend", "resume", "delete"];

/** What a function does, parsed from its name. */
export type BillmgrFunction =
  | { kind: "auth" }
  | { kind: "list"; itemtype: Itemtype }
  | { kind: ActionVerb; itemtype: Itemtype }
  | { kind: "order"; itemtype: Itemtype }
  | { kind: "prolong" }
  | { kind: "history" };

const TABLE = new Map<string, BillmgrFunction>([
  ["auth", { kind: "auth" }],
  ["service.prolong", { kind: "prolong" }],
  ["service.history", { kind: "history" }],
  ["softexternal.order.param", { kind: "order", itemtype: "softexternal" }],
  ...SERVICE_ITEMTYPES.map((t): [string, BillmgrFunction] => [`v2.${t}.order.param`, { kind: "order", itemtype: t }]),
  ...ITEMTYPES.map((t): [string, BillmgrFunction] => [t, { kind: "list", itemtype: t }]),
  ...ITEMTYPES.flatMap((t) => VERBS.map((v): [string, BillmgrFunction] => [`${t}.${v}`, { kind: v, itemtype: t }])),
]);

export const BILLMGR_FUNCTION_NAMES: readonly string[] = [...TABLE.keys()];

export function parseFunction(name: string): BillmgrFunction | undefined {
  return TABLE.get(name);
}

export function isBillmgrFunction(name: string): boolean {
  return TABLE.has(name);
}

/** Functions the adminDisabled knob withdraws: BILLmanager documents suspend and resume as "Access level: admin". */
export function needsAdmin(fn: BillmgrFunction): boolean {
  return fn.kind === "suspend" || fn.kind === "resume";
}
