/**
 * A call BILLmanager refuses in-band: HTTP 200 with `doc.error` carrying a `type`, the `object`
 * it is about and a human message. The model throws it; the server turns it into the envelope.
 * Anything else thrown is a bug in the emulator, never shown to the client.
 *
 * Types used (panels-api.md §B.3; which type fits which case is the emulator's choice [I]):
 * `auth` (no or expired session, bad credentials), `access` (privileges), `missed` (the object
 * named by elid does not exist), `exist` (an object that must be unique already exists), `value`
 * (a missing or invalid parameter, or an action the service's status does not allow),
 * `notenoughmoney` (the balance does not cover an order, renewal or add-on increase), `sys` (the
 * `fault` knob: the panel could not run the request).
 */
export type BillmgrErrorType = "auth" | "access" | "missed" | "exist" | "value" | "notenoughmoney" | "sys";

export class BillmgrRefusal extends Error {
  constructor(
    readonly type: BillmgrErrorType,
    readonly object: string,
    message: string,
  ) {
    super(message);
    this.name = "BillmgrRefusal";
  }
}
