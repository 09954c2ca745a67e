/**
 * Raw HTTP(S) helpers for the emulator's integration tests: send exactly the bytes a client
 * would, read back status, headers and body, and decode SOAP replies with the shared codec.
 * No SOAP client here on purpose: the tests must see what is on the wire.
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { decodeReply, encodeCall } from "../../../../src/providers/apiscp/wire/index.js";
import type { SoapReply, SoapValue } from "../../../../src/providers/apiscp/wire/value.js";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM CA for HTTPS. */
  ca?: string;
  agent?: HttpAgent;
}

/** One request; rejects when the connection ends without a response (a dropped call). */
export function send(url: string, options: SendOptions = {}): Promise<RawResponse> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        ...(options.ca !== undefined && { ca: options.ca }),
        ...(options.agent !== undefined && { agent: options.agent }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface CallOptions {
  key?: string;
  /** Put the key in ?authkey= instead of the Auth-Key header. */
  keyInQuery?: boolean;
  /** Send `Abort-On: error` (default true, as every serious integrator does). */
  abortOn?: boolean;
  cookie?: string;
  ca?: string;
  agent?: HttpAgent;
  headers?: Record<string, string>;
}

/** POSTs an envelope to the endpoint with the usual headers. */
export function post(url: string, envelope: string, options: CallOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = {
    "Content-Type": "text/xml; charset=utf-8",
    SOAPAction: '"urn:apnscp.api.soap#call"',
    ...options.headers,
  };
  let target = url;
  if (options.key !== undefined) {
    if (options.keyInQuery) target = `${url}?authkey=${encodeURIComponent(options.key)}`;
    else headers["Auth-Key"] = options.key;
  }
  if (options.abortOn ?? true) headers["Abort-On"] = "error";
  if (options.cookie !== undefined) headers["Cookie"] = options.cookie;
  return send(target, {
    method: "POST",
    headers,
    body: envelope,
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(options.agent !== undefined && { agent: options.agent }),
  });
}

/** Encodes a call with the shared codec, sends it, decodes the reply. */
export async function call(
  url: string,
  operation: string,
  args: SoapValue[],
  options: CallOptions = {},
): Promise<{ response: RawResponse; reply: SoapReply }> {
  const response = await post(url, encodeCall(operation, args), options);
  return { response, reply: decodeReply(response.body) };
}

/** The result value of a call that must succeed. */
export async function result(url: string, operation: string, args: SoapValue[], options: CallOptions = {}): Promise<SoapValue> {
  const { reply, response } = await call(url, operation, args, options);
  if (reply.kind !== "result") throw new Error(`${operation} faulted (${response.status}): ${reply.fault.message}`);
  return reply.value;
}

/** A hand-written envelope, for the shapes PHP clients send that the codec does not produce itself. */
export function envelope(operation: string, inner: string, namespace = "urn:apnscp.api.soap"): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${namespace}" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" ` +
    `SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">` +
    `<SOAP-ENV:Body><ns1:${operation}>${inner}</ns1:${operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
