/**
 * The emulator's narrow view of the shared SOAP codec (providers/apiscp/wire): read one call,
 * write one result or fault. Kept in one place so the server speaks exactly the encoding the
 * client reads, and so nothing else here depends on the codec's exact signatures.
 */
import { SoapDecodeError, decodeCall, encodeFault, encodeResult } from "../../../providers/apiscp/wire/index.js";
import type { SoapCall, SoapValue } from "../../../providers/apiscp/wire/value.js";

export type ReadCall = { ok: true; call: SoapCall } | { ok: false; message: string };

/** Decodes a request body; a body that is not a SOAP call is a value, not an exception. */
export function readCall(xml: string): ReadCall {
  try {
    return { ok: true, call: decodeCall(xml) };
  } catch (err) {
    if (err instanceof SoapDecodeError) return { ok: false, message: err.message };
    throw err;
  }
}

export function resultXml(operation: string, value: SoapValue): string {
  return encodeResult(operation, value);
}

/** `code` as sent on the wire: `SOAP-ENV:Client` (the caller's mistake) or `SOAP-ENV:Server`. */
export function faultXml(code: "SOAP-ENV:Client" | "SOAP-ENV:Server", message: string): string {
  return encodeFault({ code, message });
}
