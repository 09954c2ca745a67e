/**
 * The two ways a command ends other than success: `ExitError` for an expected failure the
 * user can act on (its message is printed as is), anything else is a bug in siteform.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  changesWithDeletes: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number = ExitCode.error,
  ) {
    super(message);
    this.name = "ExitError";
  }
}
