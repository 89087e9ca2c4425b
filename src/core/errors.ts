/**
 * One error family with stable codes. Each code maps to one process exit code; only `cli/main.ts`
 * turns them into an exit.
 */
export const EXIT = {
  ok: 0,
  /** Reserved for analysis commands whose alert fired. */
  alert: 1,
  /** Bad arguments, bad configuration or unusable input: nothing was done. */
  usage: 2,
  /** The command completed, but some input was dropped (listed with --verbose). */
  partial: 3,
  /** The command could not complete (ledger unreadable, disk full, internal fault). */
  failure: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CODES = {
  BAD_ARGUMENT: EXIT.usage,
  BAD_CONFIG: EXIT.usage,
  BAD_INPUT: EXIT.usage,
  UNKNOWN_MODEL: EXIT.usage,
  /** A gateway key of that name already exists in the namespace (revoked ones keep their name). */
  KEY_EXISTS: EXIT.usage,
  LEDGER: EXIT.failure,
  /** Another writer held the ledger's write lock longer than a write waits. */
  LEDGER_LOCKED: EXIT.failure,
  /** The disk holding the ledger is full (or the ledger reached its size limit). */
  DISK_FULL: EXIT.failure,
  /** The ledger could only be opened for reading here (its file or folder cannot be written). */
  LEDGER_READ_ONLY: EXIT.failure,
  /** The ledger's server could not be reached, refused the connection, or dropped it. */
  LEDGER_UNREACHABLE: EXIT.failure,
  /** The ledger's schema is newer than this tokenledger knows: nothing was written. */
  LEDGER_TOO_NEW: EXIT.failure,
  /** The ledger's server refused a statement for lack of a privilege (a revoked grant). */
  LEDGER_DENIED: EXIT.failure,
  IO: EXIT.failure,
  /** Fetched price data failed its checks (nothing was changed). */
  BAD_PRICE_DATA: EXIT.failure,
  INTERNAL: EXIT.failure,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof CODES;

export class TokenledgerError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, printed under the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenledgerError';
    this.code = code;
    this.hint = options.hint;
  }

  get exitCode(): ExitCode {
    return CODES[this.code];
  }
}

export function badArgument(message: string, hint?: string): TokenledgerError {
  return new TokenledgerError('BAD_ARGUMENT', message, hint === undefined ? {} : { hint });
}

/** The message of anything thrown, for reports that must not crash on a foreign error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
