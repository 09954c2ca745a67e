/**
 * A call WHM refuses in-band: HTTP 200 with `metadata.result: 0` and the message in
 * `metadata.reason`. The model throws it; the server turns it into the envelope. Anything else
 * thrown is a bug in the emulator, never shown to the client.
 */
export class WhmRefusal extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "WhmRefusal";
  }
}
