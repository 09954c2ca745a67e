/**
 * Raw HTTP(S) helpers for the BILLmanager emulator's tests: form POSTs (or GETs) to /billmgr
 * with exactly the parameters a client sends, the status and body as they came, and the `doc`
 * typed just enough to assert on. No BILLmanager client here on purpose: the tests must see what
 * is on the wire, quirks included.
 */
import { send, type RawResponse } from "../../emulator-server/support/soap-http.js";

export interface BillmgrTarget {
  url: string;
  user: string;
  password: string;
  caCert?: string;
}

export type Doc = Record<string, unknown>;
export type Row = Record<string, { $: string }>;

export interface FormOptions {
  method?: "GET" | "POST";
  /** PEM CA for HTTPS; the target's own caCert when absent. */
  ca?: string;
}

/** One call with `params` as they are (no out=json added); rejects when the connection ends unanswered. */
export function form(target: Pick<BillmgrTarget, "url" | "caCert">, params: Record<string, string>, options: FormOptions = {}): Promise<RawResponse> {
  const body = new URLSearchParams(params).toString();
  const ca = options.ca ?? target.caCert;
  const common = { ...(ca !== undefined && { ca }) };
  if (options.method === "GET") return send(`${target.url}?${body}`, common);
  return send(target.url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body, ...common });
}

/** `doc` of a call with out=json that must come back as HTTP 200 JSON. */
export async function docOf(target: Pick<BillmgrTarget, "url" | "caCert">, params: Record<string, string>, options: FormOptions = {}): Promise<Doc> {
  const res = await form(target, { out: "json", ...params }, options);
  if (res.status !== 200) throw new Error(`${params["func"]}: HTTP ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { doc: Doc }).doc;
}

/** Logs in with func=auth (POST body) and returns the session id. */
export async function login(target: BillmgrTarget): Promise<string> {
  const doc = await docOf(target, { func: "auth", username: target.user, password: target.password });
  const auth = doc["auth"] as { $id?: string } | undefined;
  if (auth?.$id === undefined) throw new Error(`func=auth failed: ${JSON.stringify(doc["error"])}`);
  return auth.$id;
}

export interface DocError {
  $type: string;
  $object: string;
  msg: { $: string };
}

/** A logged-in caller. */
export class Caller {
  constructor(
    readonly target: BillmgrTarget,
    readonly session: string,
  ) {}

  static async login(target: BillmgrTarget): Promise<Caller> {
    return new Caller(target, await login(target));
  }

  doc(func: string, params: Record<string, string> = {}): Promise<Doc> {
    return docOf(this.target, { func, auth: this.session, ...params });
  }

  /** A call that must not answer doc.error. */
  async ok(func: string, params: Record<string, string> = {}): Promise<Doc> {
    const doc = await this.doc(func, params);
    if (doc["error"] !== undefined) throw new Error(`${func} was refused: ${JSON.stringify(doc["error"])}`);
    return doc;
  }

  /** A call that must answer doc.error; returns it. */
  async error(func: string, params: Record<string, string> = {}): Promise<DocError> {
    const doc = await this.doc(func, params);
    if (doc["error"] === undefined) throw new Error(`${func} was expected to fail but answered ${JSON.stringify(doc)}`);
    return doc["error"] as DocError;
  }

  /** The rows of a list, normalised as a client must (one row comes as an object). */
  async rows(itemtype: string, params: Record<string, string> = {}): Promise<Row[]> {
    return asArray((await this.ok(itemtype, params))["elem"]) as Row[];
  }
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** `{ "$": "x" }` → "x". */
export function text(node: unknown): string | undefined {
  return (node as { $?: string } | undefined)?.$;
}

/** A row with its values unwrapped. */
export function plain(row: Row): Record<string, string> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v.$]));
}
