/**
 * Raw HTTP(S) helpers for the WHM emulator's tests: a GET to /json-api/<function> with exactly
 * the header a client sends, the status and body as they came, and the JSON envelope typed just
 * enough to assert on. No WHM client here on purpose: the tests must see what is on the wire.
 */
import { send, type RawResponse } from "../../emulator-server/support/soap-http.js";

export interface WhmTarget {
  url: string;
  user: string;
  token: string;
  caCert?: string;
}

export interface WhmGetOptions {
  /** `api.version` to send; null leaves it out (WHM then answers in the API 0 shape). Default "1". */
  version?: string | null;
  /** The Authorization header to send instead of `whm USER:TOKEN`; null sends none. */
  authorization?: string | null;
  /** PEM CA for HTTPS; the target's own caCert when absent. */
  ca?: string;
}

export interface Envelope {
  metadata: {
    command: string;
    result: 0 | 1;
    reason: string;
    version: number;
    output?: { raw?: string; messages?: string[]; warnings?: string[] };
  };
  data?: Record<string, unknown>;
}

export type Row = Record<string, unknown>;

/** One GET; rejects when the connection ends without an answer (a dropped call). */
export function whmGet(target: WhmTarget, fn: string, params: Record<string, string> = {}, options: WhmGetOptions = {}): Promise<RawResponse> {
  const version = options.version === undefined ? "1" : options.version;
  const query = new URLSearchParams({ ...(version !== null && { "api.version": version }), ...params });
  const authorization = options.authorization === undefined ? `whm ${target.user}:${target.token}` : options.authorization;
  const ca = options.ca ?? target.caCert;
  return send(`${target.url}/${fn}?${query.toString()}`, {
    headers: authorization === null ? {} : { Authorization: authorization },
    ...(ca !== undefined && { ca }),
  });
}

/** An API 1 call that must come back as HTTP 200 JSON; returns the envelope whatever its result. */
export async function whm(target: WhmTarget, fn: string, params: Record<string, string> = {}): Promise<Envelope> {
  const res = await whmGet(target, fn, params);
  if (res.status !== 200) throw new Error(`${fn}: HTTP ${res.status}: ${res.body}`);
  return JSON.parse(res.body) as Envelope;
}

/** An API 1 call that must succeed (result 1). */
export async function ok(target: WhmTarget, fn: string, params: Record<string, string> = {}): Promise<Envelope> {
  const envelope = await whm(target, fn, params);
  if (envelope.metadata.result !== 1) throw new Error(`${fn} was refused: ${envelope.metadata.reason}`);
  return envelope;
}

/** The reason of an API 1 call that must be refused in-band (HTTP 200, result 0). */
export async function refused(target: WhmTarget, fn: string, params: Record<string, string> = {}): Promise<string> {
  const envelope = await whm(target, fn, params);
  if (envelope.metadata.result !== 0) throw new Error(`${fn} was expected to be refused but succeeded`);
  if (envelope.data !== undefined) throw new Error(`${fn}: a refusal carried data`);
  return envelope.metadata.reason;
}

/** `data.acct` of listaccts / accountsummary. */
export function rows(envelope: Envelope): Row[] {
  return (envelope.data?.["acct"] ?? []) as Row[];
}

/** The one account row accountsummary gives for `user`. */
export async function summary(target: WhmTarget, user: string): Promise<Row> {
  const [row] = rows(await ok(target, "accountsummary", { user }));
  if (!row) throw new Error(`accountsummary ${user}: no row`);
  return row;
}
