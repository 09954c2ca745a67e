/**
 * SOAP 1.1 rpc/encoded envelopes as PHP's ext/soap writes them (SoapClient in non-WSDL mode
 * for calls, SoapServer for results and faults), and tolerant readers for any of them.
 *
 * Why a hand-written codec and not the `soap` npm package: that package is document/literal
 * at heart; it cannot write PHP's Apache-map / typed SOAP-ENC:Array encoding faithfully, and
 * reads it back lossily (int keys, empty arrays, nil). ApisCP is served by ext/soap, so the
 * wire must be ext/soap's exactly; test/fixtures/php-wire holds what PHP itself produces.
 */
import { StringDecoder } from "node:string_decoder";
import { APISCP_NAMESPACE } from "../methods.js";
import type { SoapCall, SoapFault, SoapReply, SoapValue } from "./value.js";
import { NS } from "./namespaces.js";
import { SoapDecodeError } from "./decode-error.js";
import { encodeElement } from "./value-encoder.js";
import { DocumentReader, readDocument, type ReadDocument, type ReadElement } from "./value-reader.js";
import { assertXmlName, escapeXmlText, replaceNonXml } from "./xml-text.js";

export interface EnvelopeOptions {
  /** The operation's namespace; ApisCP's billing modules use `urn:apnscp.api.soap`. */
  namespace?: string;
}

export interface CallInput {
  operation: string;
  args: SoapValue[];
  /** Element name per argument; `param0…` (what a SoapClient without WSDL sends) by default. */
  argNames?: string[];
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

function envelope(namespace: string, body: string): string {
  return (
    `${XML_DECL}<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.env}" xmlns:ns1="${escapeAttr(namespace)}" ` +
    `xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}" xmlns:ns2="${NS.apache}" xmlns:SOAP-ENC="${NS.enc}" ` +
    `SOAP-ENV:encodingStyle="${NS.enc}"><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
  );
}

function escapeAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, "&quot;");
}

/**
 * A request envelope. Also callable as `encodeCall(operation, args, opts)`, the shape the PHP
 * interop tests use.
 */
export function encodeCall(call: CallInput, opts?: EnvelopeOptions): string;
export function encodeCall(operation: string, args: SoapValue[], opts?: EnvelopeOptions): string;
export function encodeCall(first: CallInput | string, second?: SoapValue[] | EnvelopeOptions, third?: EnvelopeOptions): string {
  const call: CallInput = typeof first === "string" ? { operation: first, args: Array.isArray(second) ? second : [] } : first;
  const opts = (typeof first === "string" ? third : (second as EnvelopeOptions | undefined)) ?? {};
  assertXmlName(call.operation, "operation");
  const names = call.args.map((_, i) => call.argNames?.[i] ?? `param${i}`);
  names.forEach((name) => assertXmlName(name, "argument name"));
  const args = call.args.map((arg, i) => encodeElement(names[i] ?? `param${i}`, arg)).join("");
  const op = `ns1:${call.operation}`;
  return envelope(opts.namespace ?? APISCP_NAMESPACE, args === "" ? `<${op}/>` : `<${op}>${args}</${op}>`);
}

/** A result envelope: `<ns1:OPResponse><return …>`. */
export function encodeResult(operation: string, value: SoapValue, opts: EnvelopeOptions = {}): string {
  assertXmlName(operation, "operation");
  const op = `ns1:${operation}Response`;
  return envelope(opts.namespace ?? APISCP_NAMESPACE, `<${op}>${encodeElement("return", value)}</${op}>`);
}

/** A fault envelope; like PHP, it declares only the envelope namespace. */
export function encodeFault(fault: SoapFault): string {
  const code = fault.code.includes(":") ? fault.code : `SOAP-ENV:${fault.code}`;
  return (
    `${XML_DECL}<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.env}"><SOAP-ENV:Body><SOAP-ENV:Fault>` +
    `<faultcode>${escapeXmlText(replaceNonXml(code))}</faultcode>` +
    `<faultstring>${escapeXmlText(replaceNonXml(fault.message))}</faultstring>` +
    `</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
  );
}

/** The Body's main element, skipping multi-ref siblings (elements with an `id`); the reader has already refused a root other than an Envelope. */
function mainElement({ body }: ReadDocument): ReadElement | undefined {
  if (body === undefined) throw new SoapDecodeError("SOAP envelope has no Body");
  return body.find((c) => c.id === undefined) ?? body[0];
}

/** A top-level child's value, made by the reader with its references followed. */
function valueOf(element: ReadElement): SoapValue {
  return element.value ?? null;
}

/** Reads a request: the operation by local name, arguments in document order whatever their names. */
export function decodeCall(xml: string): SoapCall {
  const main = mainElement(readDocument(xml));
  if (main === undefined) throw new SoapDecodeError("SOAP Body is empty: no operation element");
  if (main.local === "Fault") throw new SoapDecodeError("expected a SOAP call but the Body holds a Fault");
  const args = main.children ?? [];
  return { operation: main.local, args: args.map(valueOf), argNames: args.map((arg) => arg.local) };
}

/** Reads a response: the first child of the `…Response` element, or the fault. */
export function decodeReply(xml: string): SoapReply {
  return replyOf(readDocument(xml));
}

function replyOf(document: ReadDocument): SoapReply {
  const main = mainElement(document);
  if (main === undefined) throw new SoapDecodeError("SOAP Body is empty: no response element");
  if (main.local === "Fault") return { kind: "fault", fault: readFault(main) };
  const ret = main.children?.[0];
  // A response element with no part is a void result; PHP itself writes <return xsi:nil="true"/>.
  return { kind: "result", value: ret === undefined ? null : valueOf(ret) };
}

/** A response read as it arrived: the reply, or why there is none. */
export interface ReadReply {
  reply: SoapReply | undefined;
  /** Why the body is not a reply (a SoapDecodeError's message); "" when it is one. */
  problem: string;
  /** The body held nothing but white space. */
  blank: boolean;
}

/**
 * Decodes a response from its bytes as they arrive (UTF-8 split anywhere), so that an answer of
 * tens of megabytes is never held as one string: the HTTP layer's body reader for SOAP.
 */
export function replyReader(): { write(chunk: Buffer): void; end(): ReadReply } {
  const decoder = new StringDecoder("utf8");
  const document = new DocumentReader();
  let problem = "";
  const attempt = (work: () => void): void => {
    if (problem !== "") return;
    try {
      work();
    } catch (err) {
      if (!(err instanceof SoapDecodeError)) throw err;
      problem = err.message;
    }
  };
  return {
    write: (chunk) => attempt(() => document.write(decoder.write(chunk))),
    end: () => {
      let reply: SoapReply | undefined;
      attempt(() => {
        document.write(decoder.end());
        reply = replyOf(document.end());
      });
      return { reply: problem === "" ? reply : undefined, problem, blank: document.empty };
    },
  };
}

/** SOAP 1.1 `faultcode`/`faultstring`, or SOAP 1.2 `Code/Value` and `Reason/Text`. */
function readFault(fault: ReadElement): SoapFault {
  const child = (el: ReadElement | undefined, local: string): ReadElement | undefined => el?.children?.find((c) => c.local === local);
  const code = child(fault, "faultcode")?.text ?? child(child(fault, "Code"), "Value")?.text ?? "";
  const message = child(fault, "faultstring")?.text ?? child(child(fault, "Reason"), "Text")?.text ?? "";
  return { code: code.trim(), message };
}
