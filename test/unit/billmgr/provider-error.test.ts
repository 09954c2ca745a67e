/**
 * provider-error.ts: the client's typed errors and the provider's own refusals as the core's
 * ProviderError: the server and the work named, BILLmanager's own words kept, a balance that
 * does not cover a charge said as such, and the password and session ids scrubbed again.
 */
import { describe, expect, it } from "vitest";
import { BillmgrAuthError, BillmgrRejectedError, BillmgrTransportError, BillmgrUnknownOutcomeError, Secrets } from "../../../src/providers/billmgr/errors.js";
import { DeletionRefusal } from "../../../src/providers/billmgr/execute.js";
import { OpShapeError, UnsupportedChange } from "../../../src/providers/billmgr/op-calls.js";
import { failureText, toProviderError, type ErrorWording } from "../../../src/providers/billmgr/provider-error.js";
import { ProviderError } from "../../../src/providers/provider.js";

const PASSWORD = "Pw-0123456789-secret";
const SESSION = "0123456789abcdef01234567";
const secrets = new Secrets(PASSWORD);
secrets.addSession(SESSION);
const wording: ErrorWording = { server: "bm1", keyEnv: "BM1_PASSWORD", userEnv: "BM1_USER", redact: (t) => secrets.redact(t) };
const context = { fn: "service.prolong", endpoint: "https://bm.example:1500/billmgr" };

function mapped(err: unknown): ProviderError {
  const out = toProviderError(err, "renew shop-vps (service 101)", wording);
  expect(out).toBeInstanceOf(ProviderError);
  return out as ProviderError;
}

describe("toProviderError", () => {
  it("keeps BILLmanager's words and says to top up when the balance is short", () => {
    const err = mapped(new BillmgrRejectedError(context, "notenoughmoney", "balance", "Not enough money on the account"));
    expect(err.kind).toBe("rejected");
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      "bm1: renew shop-vps (service 101): BILLmanager refused service.prolong: Not enough money on the account (error type notenoughmoney); nothing was charged: top up the account's balance, then apply again",
    );
  });

  it("keeps the kinds: auth names the variables, transport may be retried, an unknown outcome may not", () => {
    const auth = mapped(new BillmgrAuthError({ ...context, fn: "auth" }, "BILLmanager refused the login"));
    expect(auth.kind).toBe("auth");
    expect(auth.message).toContain("(the user and password come from BM1_USER and BM1_PASSWORD)");
    const transport = mapped(new BillmgrTransportError(context, "the request could not be sent"));
    expect([transport.kind, transport.retryable]).toEqual(["transport", true]);
    const unknown = mapped(new BillmgrUnknownOutcomeError(context, "the request was sent but no answer came back"));
    expect([unknown.kind, unknown.retryable]).toEqual(["unknown-outcome", false]);
  });

  it("words the provider's own refusals as rejected, never retried", () => {
    for (const err of [new DeletionRefusal("not suspended"), new UnsupportedChange("changing a tariff is not supported; order a new service"), new OpShapeError("bad op")]) {
      const out = mapped(err);
      expect([out.kind, out.retryable]).toEqual(["rejected", false]);
      expect(out.message).toMatch(/^bm1: renew shop-vps \(service 101\): /);
    }
  });

  it("scrubs the password and the session from every message", () => {
    const err = mapped(new BillmgrRejectedError(context, "value", "ip", `'${PASSWORD}' is not valid for ${SESSION}`));
    expect(err.message).not.toContain(PASSWORD);
    expect(err.message).not.toContain(SESSION);
    const again = mapped(new ProviderError("transport", `bm1: auth=${SESSION}`, true));
    expect(again.message).not.toContain(SESSION);
    expect(failureText(new Error(`boom ${PASSWORD}`), "cannot read its services", wording)).toBe("bm1: cannot read its services: boom [REDACTED]");
  });

  it("passes anything else through", () => {
    const other = new TypeError("x");
    expect(toProviderError(other, "x", wording)).toBe(other);
  });
});
