/**
 * The errors' facts (kind, retryability, the BILLmanager error type, not enough money) and the
 * redaction of the password and of every session id held.
 */
import { describe, expect, it } from "vitest";
import { BillmgrRejectedError, Secrets } from "../../../src/providers/billmgr/errors.js";
import { withStandardPath } from "../../../src/providers/billmgr/endpoint.js";

const context = { fn: "v2.vds.order.param", endpoint: "https://bill.example:1500/billmgr" };

describe("BillmgrRejectedError", () => {
  it("keeps BILLmanager's type, object and message", () => {
    const err = new BillmgrRejectedError(context, "exist", "domain", "The domain acme.example is taken");
    expect(err).toMatchObject({ kind: "rejected", retryable: false, type: "exist", object: "domain", notEnoughMoney: false });
    expect(err.message).toBe("v2.vds.order.param at https://bill.example:1500/billmgr: BILLmanager refused it (error type exist, object domain): The domain acme.example is taken");
  });

  it("recognises not enough money by type or by message", () => {
    expect(new BillmgrRejectedError(context, "notenoughmoney", "balance", "Top up").notEnoughMoney).toBe(true);
    expect(new BillmgrRejectedError(context, "value", null, "Not enough money on your account").notEnoughMoney).toBe(true);
    expect(new BillmgrRejectedError(context, "value", "period", "Wrong period").notEnoughMoney).toBe(false);
  });

  it("is retryable only when BILLmanager says to try again later", () => {
    expect(new BillmgrRejectedError(context, "sys", null, "Service temporarily unavailable, try again later").retryable).toBe(true);
  });
});

describe("Secrets", () => {
  it("redacts the password and each session id added, also cut short or in another case", () => {
    const secrets = new Secrets("pa55-Word!x");
    secrets.addSession("0123456789abcdef0123");
    secrets.addSession("fedcba98765432100000");
    const text = "login pa55-Word!x, session 0123456789ABCDEF0123 and fedcba987654 end";
    expect(secrets.redact(text)).toBe("login [REDACTED], session [REDACTED] and [REDACTED] end");
  });
});

describe("withStandardPath", () => {
  it("adds /billmgr to a bare server and keeps any other path", () => {
    expect(withStandardPath("https://bill.example:1500")).toBe("https://bill.example:1500/billmgr");
    expect(withStandardPath("https://my.example/manager/billmgr")).toBe("https://my.example/manager/billmgr");
  });
});
