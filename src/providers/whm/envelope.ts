/**
 * Reading WHM API 1's answer envelope: `{"metadata":{"result":1|0,"reason":…,"version":1},
 * "data":…}`. Pure: it says what the body is (an answer, a refusal with WHM's reason, an
 * answer in API 0's shape, or nothing readable) and leaves what that means for the call
 * (retry, unknown outcome) to the client.
 */

export type Envelope =
  /** `metadata.result: 1`: the call did its work; `data` is absent for actions that return none. */
  | { kind: "ok"; data: unknown; reason: string | null }
  /** `metadata.result: 0`: WHM refused the call; `reason` is its message. */
  | { kind: "refused"; reason: string }
  /**
   * An answer without `metadata` but in API 0's shape (`status`/`statusmsg`, a top-level
   * `acct`, or `cpanelresult`): the server ignored `api.version=1`, so nothing in it can be
   * read as API 1's answer.
   */
  | { kind: "api0"; detail: string }
  | { kind: "unreadable"; detail: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** WHM writes flags as 1/0, sometimes as strings. */
function flag(value: unknown): 0 | 1 | null {
  if (value === 1 || value === "1" || value === true) return 1;
  if (value === 0 || value === "0" || value === false) return 0;
  return null;
}

const API0_KEYS = ["status", "statusmsg", "acct", "cpanelresult", "result"];

/** Decodes a response body. Never throws. */
export function decodeEnvelope(body: string): Envelope {
  const text = body.trim();
  if (text === "") return { kind: "unreadable", detail: "an empty body" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "unreadable", detail: `a body that is not JSON (${describeStart(text)})` };
  }
  if (!isRecord(value)) return { kind: "unreadable", detail: "JSON that is not an object" };
  const metadata = value.metadata;
  if (!isRecord(metadata)) {
    const api0 = API0_KEYS.filter((k) => Object.hasOwn(value, k));
    if (api0.length > 0) {
      return { kind: "api0", detail: `an answer in WHM API 0's shape (${api0.join(", ")}, no metadata): the server ignored api.version=1` };
    }
    return { kind: "unreadable", detail: "JSON without metadata" };
  }
  const result = flag(metadata.result);
  if (result === null) return { kind: "unreadable", detail: "metadata without a result of 1 or 0" };
  const reason = typeof metadata.reason === "string" ? metadata.reason : null;
  if (result === 0) return { kind: "refused", reason: reason === null || reason.trim() === "" ? "no reason given" : reason };
  return { kind: "ok", data: value.data, reason };
}

/** What a non-JSON body starts with, for a message: HTML pages say so by their first tag. */
function describeStart(text: string): string {
  if (/^<(!doctype html|html)/i.test(text)) return "an HTML page";
  const first = text.slice(0, 40).replace(/[^\x20-\x7e]/g, "?");
  return `starting ${JSON.stringify(first)}`;
}
