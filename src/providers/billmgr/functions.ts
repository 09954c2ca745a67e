/**
 * The BILLmanager operations siteform performs, the function each one calls for an item type,
 * and the two facts about each that decide how a failure is handled and what a plan must
 * declare: whether it changes anything (a lost answer to a read is safe to ask again; to a
 * mutation it is an unknown outcome) and whether it costs money (an order and a renewal always
 * charge the balance; an edit does when it raises a paid add-on). The same function can be
 * both: `service.prolong` without `sok` is a free preview, with `sok=ok` a paid renewal.
 */

/** Item types of `billmgr.service`: shared hosting, virtual and dedicated servers. */
export const SERVICE_ITEMTYPES = ["vhost", "vds", "dedic"] as const;
export type ServiceItemType = (typeof SERVICE_ITEMTYPES)[number];

/** The item type of `billmgr.license`: third-party licences (CloudLinux, KernelCare, …). */
export const LICENSE_ITEMTYPE = "softexternal";
export type LicenseItemType = typeof LICENSE_ITEMTYPE;

export type ItemType = ServiceItemType | LicenseItemType;
export const ITEMTYPES: readonly ItemType[] = [...SERVICE_ITEMTYPES, LICENSE_ITEMTYPE];

export function isItemType(value: string): value is ItemType {
  return (ITEMTYPES as readonly string[]).includes(value);
}

export function isServiceItemType(value: string): value is ServiceItemType {
  return (SERVICE_ITEMTYPES as readonly string[]).includes(value);
}

/** `free`: never charges; `paid`: charges the balance; `paid-when-increased`: charges when a paid add-on goes up. */
export type Cost = "free" | "paid" | "paid-when-increased";

export interface OperationFacts {
  mutating: boolean;
  cost: Cost;
}

export const OPERATIONS = {
  auth: { mutating: false, cost: "free" },
  list: { mutating: false, cost: "free" },
  // Changes only this session's view of the list; setting it twice is harmless.
  filter: { mutating: false, cost: "free" },
  orderService: { mutating: true, cost: "paid" },
  orderLicense: { mutating: true, cost: "paid" },
  /** The order function without `sok`: the form with the price of the order, nothing charged. */
  orderServicePreview: { mutating: false, cost: "free" },
  orderLicensePreview: { mutating: false, cost: "free" },
  /** `<itemtype>.edit` without `sok`: the form with the current values. */
  editForm: { mutating: false, cost: "free" },
  edit: { mutating: true, cost: "paid-when-increased" },
  suspend: { mutating: true, cost: "free" },
  resume: { mutating: true, cost: "free" },
  delete: { mutating: true, cost: "free" },
  /** `service.prolong` without `sok`: the new expiry and the price, nothing charged. */
  prolongPreview: { mutating: false, cost: "free" },
  prolong: { mutating: true, cost: "paid" },
  history: { mutating: false, cost: "free" },
} as const satisfies Readonly<Record<string, OperationFacts>>;

export type Operation = keyof typeof OPERATIONS;

/** The BILLmanager function an operation calls for an item type (ignored where the function is shared). */
export function functionName(operation: Operation, itemtype: ItemType): string {
  switch (operation) {
    case "auth":
      return "auth";
    case "list":
      return itemtype;
    case "filter":
      return `${itemtype}.filter`;
    case "orderService":
    case "orderServicePreview":
      return `v2.${itemtype}.order.param`;
    case "orderLicense":
    case "orderLicensePreview":
      return `${LICENSE_ITEMTYPE}.order.param`;
    case "editForm":
    case "edit":
      return `${itemtype}.edit`;
    case "suspend":
    case "resume":
    case "delete":
      return `${itemtype}.${operation}`;
    case "prolongPreview":
    case "prolong":
      return "service.prolong";
    case "history":
      return "service.history";
  }
}
