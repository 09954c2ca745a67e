/**
 * The ways a command ends other than success: `ExitError` for an expected failure the user can
 * act on (its message is printed as is), `InterruptedError` when the user stopped it, anything
 * else is a bug in siteform.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  changesWithDeletes: 3,
  /** `usage --over`: a resource is at or above the threshold; the same code as `changes`, "look at this". */
  attention: 2,
  /** 128 + SIGINT, as shells report a command stopped by Ctrl-C; also used for SIGTERM so scripts test one value. */
  interrupted: 130,
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

/**
 * The user interrupted the command (Ctrl-C, SIGTERM) and it stopped at a point where nothing is
 * half done. The message says what that left undone (`nothing was written`); main prints it as
 * one line prefixed with the command's name, without "error:", since nothing went wrong.
 */
export class InterruptedError extends ExitError {
  constructor(message = "nothing was written or changed") {
    super(message, ExitCode.interrupted);
    this.name = "InterruptedError";
  }
}

/** Throws InterruptedError when `signal` has fired; commands call it where stopping leaves nothing half done. */
export function stopIfInterrupted(signal: AbortSignal, message?: string): void {
  if (signal.aborted) throw new InterruptedError(message);
}
