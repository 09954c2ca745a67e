/**
 * The SOAP codec's public surface: PHP ext/soap's rpc/encoded wire format in both directions.
 * Everything else in this folder is an implementation detail.
 */
export { encodeCall, decodeCall, encodeResult, encodeFault, decodeReply, replyReader } from "./envelope.js";
export type { CallInput, EnvelopeOptions, ReadReply } from "./envelope.js";
export { SoapDecodeError } from "./decode-error.js";
export { isSoapMap } from "./value.js";
export type { SoapValue, SoapMap, SoapCall, SoapFault, SoapReply } from "./value.js";
