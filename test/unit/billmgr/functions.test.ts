/**
 * The operation table: the function each operation calls per item type, which operations
 * change anything and which cost money (the provider's money guard relies on these).
 */
import { describe, expect, it } from "vitest";
import { OPERATIONS, functionName, isItemType, isServiceItemType, type Operation } from "../../../src/providers/billmgr/functions.js";

describe("the operation table", () => {
  it("names BILLmanager's functions", () => {
    expect(functionName("list", "vds")).toBe("vds");
    expect(functionName("filter", "softexternal")).toBe("softexternal.filter");
    expect(functionName("orderService", "vhost")).toBe("v2.vhost.order.param");
    expect(functionName("orderLicense", "softexternal")).toBe("softexternal.order.param");
    expect(functionName("edit", "dedic")).toBe("dedic.edit");
    expect(functionName("editForm", "dedic")).toBe("dedic.edit");
    expect(functionName("suspend", "vds")).toBe("vds.suspend");
    expect(functionName("resume", "softexternal")).toBe("softexternal.resume");
    expect(functionName("delete", "vhost")).toBe("vhost.delete");
    expect(functionName("prolong", "vds")).toBe("service.prolong");
    expect(functionName("prolongPreview", "softexternal")).toBe("service.prolong");
    expect(functionName("history", "vds")).toBe("service.history");
    expect(functionName("auth", "vds")).toBe("auth");
  });

  it("marks orders and renewals paid, add-on edits paid when raised, previews and forms free reads", () => {
    const paid = (Object.keys(OPERATIONS) as Operation[]).filter((op) => OPERATIONS[op].cost === "paid");
    expect(paid.sort()).toEqual(["orderLicense", "orderService", "prolong"]);
    expect(OPERATIONS.edit).toEqual({ mutating: true, cost: "paid-when-increased" });
    for (const op of ["prolongPreview", "editForm", "list", "filter", "history", "auth"] as const) expect(OPERATIONS[op].mutating).toBe(false);
    for (const op of ["suspend", "resume", "delete"] as const) expect(OPERATIONS[op]).toEqual({ mutating: true, cost: "free" });
  });

  it("knows the item types", () => {
    expect(isItemType("softexternal")).toBe(true);
    expect(isItemType("soft")).toBe(false);
    expect(isServiceItemType("vds")).toBe(true);
    expect(isServiceItemType("softexternal")).toBe(false);
  });
});
