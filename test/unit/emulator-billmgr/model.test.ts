/**
 * The model's small parts: calendar months (clamped at the month's end), money in cents, status
 * passing through 1 and 5 read by read, and the envelope's one-entry quirk.
 */
import { describe, expect, it } from "vitest";
import { addMonths, isDate } from "../../../src/emulator/billmgr/model/dates.js";
import { moneyText, toCents } from "../../../src/emulator/billmgr/model/money.js";
import { advance, shownStatus, startProcessing } from "../../../src/emulator/billmgr/model/processing.js";
import { validateBillmgrState } from "../../../src/emulator/billmgr/index.js";
import { docBody, errorBody } from "../../../src/emulator/billmgr/server/envelope.js";

describe("dates", () => {
  it("adds calendar months, clamping to the last day of a shorter month", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-11-15", 3)).toBe("2027-02-15");
    expect(isDate("2026-02-29")).toBe(false);
  });
});

describe("money", () => {
  it("keeps cents exact and writes two decimals", () => {
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(moneyText(100000)).toBe("1000.00");
    expect(moneyText(5)).toBe("0.05");
  });
});

describe("processing", () => {
  it("shows 1 then 5 for `steps` reads each after an order, then lands; 0 steps is immediate", () => {
    const [service] = validateBillmgrState({ services: [{ itemtype: "vhost", pricelist: 11 }] }).services;
    startProcessing(service!, 2, "open", 2);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(shownStatus(service!));
      advance(service!);
    }
    expect(seen).toEqual([1, 1, 5, 5, 2]);
    startProcessing(service!, 0, "suspend", 3);
    expect(shownStatus(service!)).toBe(3);
    expect(service!.processing).toBeNull();
  });
});

describe("envelope", () => {
  it("writes every value as {$}, one row or option as an object, none as no key, and ok as {}", () => {
    const one = JSON.parse(docBody("vds", { elems: [{ id: "1" }], fields: { p_elems: "1" }, slists: [{ name: "period", options: [{ key: "1", text: "1 month" }] }] })) as { doc: Record<string, unknown> };
    expect(one.doc).toEqual({ $lang: "en", $func: "vds", p_elems: { $: "1" }, elem: { id: { $: "1" } }, slist: { $name: "period", val: { $key: "1", $: "1 month" } } });
    const none = JSON.parse(docBody("vds", { elems: [], ok: true })) as { doc: Record<string, unknown> };
    expect(none.doc).toEqual({ $lang: "en", $func: "vds", ok: {} });
    const error = JSON.parse(errorBody("vds.edit", "missed", "elid", "Service 9 not found")) as { doc: { error: Record<string, unknown> } };
    expect(error.doc.error).toMatchObject({ $type: "missed", $object: "elid", msg: { $: "Service 9 not found" } });
  });
});
