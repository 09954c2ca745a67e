/**
 * The JSON WHM wraps answers in. API 1 (`api.version=1`): `metadata` {command, result 1/0,
 * reason, version, output?} and `data` when the function returns any. API 0 (no api.version):
 * what WHM falls back to, with `status`/`statusmsg` and the data's fields at the top level and
 * no `metadata`, so a client that forgets the version gets a shape it cannot mistake for API 1.
 * Also the bodies of the HTTP-level refusals (401, 403).
 */
import type { WhmAnswer, WhmOutput } from "../model/index.js";

export const JSON_TYPE = "application/json; charset=utf-8";

export type ApiVersion = 0 | 1;

export function successBody(version: ApiVersion, command: string, answer: WhmAnswer): string {
  if (version === 0) {
    return JSON.stringify({
      ...(answer.data ?? {}),
      ...(answer.output?.raw !== undefined && { rawout: answer.output.raw }),
      status: 1,
      statusmsg: answer.reason,
    });
  }
  return JSON.stringify({
    metadata: metadata(command, 1, answer.reason, answer.output),
    ...(answer.data !== undefined && { data: answer.data }),
  });
}

export function refusalBody(version: ApiVersion, command: string, reason: string): string {
  if (version === 0) return JSON.stringify({ status: 0, statusmsg: reason });
  return JSON.stringify({ metadata: metadata(command, 0, reason, undefined) });
}

function metadata(command: string, result: 0 | 1, reason: string, output: WhmOutput | undefined): Record<string, unknown> {
  return { command, reason, result, version: 1, ...(output !== undefined && { output }) };
}

/** What cpsrvd answers (HTTP 401) to missing or wrong credentials: no hint of what was wrong. */
export const ACCESS_DENIED_BODY = JSON.stringify({
  cpanelresult: { apiversion: "2", error: "Access denied", data: { reason: "Access denied", result: "0" }, type: "text" },
});

/** HTTP 403 for a token whose privileges do not cover the function (the adminDisabled knob). */
export function permissionDeniedBody(command: string, user: string): string {
  return JSON.stringify({
    metadata: metadata(
      command,
      0,
      `Permission denied: the API token of “${user}” does not have the privileges for “${command}”.`,
      undefined,
    ),
  });
}
