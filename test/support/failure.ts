/**
 * The typed error a client call fails with; fails the test when the call succeeds, and passes
 * any other error through so the test shows it as it is.
 */
import { ApiscpError } from "../../src/providers/apiscp/errors.js";

export async function failure(promise: Promise<unknown>): Promise<ApiscpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiscpError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}
