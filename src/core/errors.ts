/**
 * The error catalogue. Three tiers (see src/core/README.md):
 *  - misuse a program can recover from: a typed public error whose message starts with
 *    Stackless's own wording (tests match those fragments) and then says what to do;
 *  - a broken runtime invariant: InternalError ("please file a bug");
 *  - impossible branches: `absurd(x: never)`.
 */

/** Base class of every error the runtime raises on purpose. */
export class StacklessError extends Error {
  override name = 'StacklessError';
}

/**
 * Blocking with nothing left to run: Stackless's RuntimeError "Deadlock: ..." and "the main
 * tasklet is receiving without a sender available.".
 */
export class DeadlockError extends StacklessError {
  override name = 'DeadlockError';
}

/** A switch was attempted while `switchTrap()` is non-zero. Message contains "switch_trap". */
export class SwitchTrapError extends StacklessError {
  override name = 'SwitchTrapError';
}

/** A channel operation would block a tasklet whose `blockTrap` is set. */
export class BlockTrapError extends StacklessError {
  override name = 'BlockTrapError';
}

/** An operation that the tasklet's life-cycle state does not allow (run a dead tasklet...). */
export class TaskletStateError extends StacklessError {
  override name = 'TaskletStateError';
}

/** Send or receive that would block on a closed channel (Stackless's ValueError). */
export class ChannelClosedError extends StacklessError {
  override name = 'ChannelClosedError';
}

/** A channel or scheduler operation issued from inside a schedule/channel callback. */
export class CallbackError extends StacklessError {
  override name = 'CallbackError';
}

/**
 * An operation used the wrong way: outside a tasklet, from a tasklet function that is not a
 * generator, a forgotten `yield*`, or a `yield` of something that is not an operation.
 */
export class UsageError extends StacklessError {
  override name = 'UsageError';
}

/** A broken runtime invariant. Never caught by user code on purpose: it is a bug. */
export class InternalError extends Error {
  override name = 'InternalError';
  constructor(what: string) {
    super(`${what} (internal error in stackless: please file a bug)`);
  }
}

/** Impossible branches: the type checker proves `x` is `never`. */
export function absurd(x: never): never {
  throw new InternalError(`unexpected value ${String(x)}`);
}

/**
 * Raised in a tasklet by `kill()`. Like Python's `TaskletExit` (a `SystemExit`, not an
 * `Exception`), it is deliberately **not** an `Error`, so the common guard
 * `catch (e) { if (!(e instanceof Error)) throw e; ... }` lets a kill through.
 * A tasklet that ends with TaskletExit ends silently; `main` does not swallow it.
 */
export class TaskletExit {
  readonly name: string = 'TaskletExit';
  readonly message: string;
  readonly stack: string | undefined;
  /** Python's SystemExit.code; kept for ports of Stackless code. */
  readonly code: unknown;
  constructor(message = 'tasklet killed', code?: unknown) {
    this.message = message;
    this.code = code;
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, TaskletExit);
    this.stack = `TaskletExit: ${message}${holder.stack?.slice(holder.stack.indexOf('\n')) ?? ''}`;
  }
  toString(): string {
    return `TaskletExit: ${this.message}`;
  }
}

/** True for TaskletExit and its subclasses: use it in broad `catch` blocks to rethrow kills. */
export function isTaskletExit(e: unknown): e is TaskletExit {
  return e instanceof TaskletExit;
}

/**
 * Ends channel iteration: a receiver iterating with `channel.next()` / `collect()` /
 * `forEach()` stops when it receives this error (send it with
 * `channel.sendException(StopIteration)`), or when the channel is closed and empty.
 */
export class StopIteration extends Error {
  override name = 'StopIteration';
}
