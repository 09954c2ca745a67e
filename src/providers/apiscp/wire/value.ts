/**
 * A value as PHP's ext/soap carries it. PHP has one array type; on the wire it is either a
 * list (SOAP-ENC:Array) or an Apache map, so here a list is a JS array and a map is a plain
 * object. An empty PHP array always travels as an empty list. Integral numbers travel as
 * xsd:int, others as xsd:float. Object keys that are canonical integers ("12") travel as
 * xsd:int keys, because PHP itself turns such string keys into integers.
 */
export type SoapValue = null | boolean | number | string | SoapValue[] | SoapMap;

export interface SoapMap {
  [key: string]: SoapValue;
}

/** One rpc call: the operation's local name and its arguments in position order. */
export interface SoapCall {
  operation: string;
  args: SoapValue[];
  /** The element names the caller used for each argument (`param0`, or a WSDL part name). */
  argNames: string[];
}

export interface SoapFault {
  /** As sent, e.g. `SOAP-ENV:Server` or `SOAP-ENV:Client`. */
  code: string;
  message: string;
}

export type SoapReply = { kind: "result"; value: SoapValue } | { kind: "fault"; fault: SoapFault };

export function isSoapMap(value: SoapValue | undefined): value is SoapMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
