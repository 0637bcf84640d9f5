// The errors the CLI means to show: each carries its exit code, and its message is the one line the
// user reads (what went wrong and what to do next). The top-level catch in main.ts prints them;
// anything else is a bug and shows its stack only with --debug.

/** Exit codes, as the issue fixes them. */
export const EXIT = {
  ok: 0,
  /** The contract said no: an isSuccess=false outcome, a failed login. */
  refused: 1,
  /** Bad input or usage, refused before anything is sent. */
  usage: 2,
  /** No node at the URL, or the market is not deployed on it. */
  unavailable: 3,
  /** Ctrl+C at a prompt (128 + SIGINT, as shells expect). */
  cancelled: 130,
} as const;

export class CarbonError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: a malformed address or number, an unknown account, a wrong role. Exit 2. */
export class UsageError extends CarbonError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The chain answered no: a failed login, a transaction that reverted anyway. Exit 1. */
export class RefusedError extends CarbonError {
  constructor(message: string) {
    super(message, EXIT.refused);
  }
}

/** No node, or no market on it. Exit 3. */
export class UnavailableError extends CarbonError {
  constructor(message: string) {
    super(message, EXIT.unavailable);
  }
}

/** The user pressed Ctrl+C at a prompt. */
export class CancelledError extends CarbonError {
  constructor() {
    super("cancelled", EXIT.cancelled);
  }
}
