import { Bomb } from './bomb.js';
import { CallbackError, InternalError, UsageError } from './errors.js';
import { DONE_RESULT, SWITCH_RESULT, type Trap } from './frame.js';
import { sched } from './scheduler.js';
import { drive } from './trampoline.js';

/** Returned by `Op.start()` when the operation switched to another tasklet. */
export const SUSPEND: unique symbol = Symbol('suspend');

/**
 * An operation: something a tasklet does with `yield*` that may switch tasklets
 * (`yield* ch.receive()`, `yield* schedule()`, `yield* t.kill()`). `yield*` returns the
 * operation's result with its type `T`.
 *
 * Protocol (driven by `yield*`): the first `next()` starts the operation. If it completes
 * without switching, `next()` returns done with the result. If it switched away, `next()`
 * returns the trampoline's SWITCH result; when the tasklet is switched back to, the
 * trampoline calls `next(tempval)` (or `throw(error)` for a Bomb) and `resume()` finishes.
 *
 * Created in plain code (the frameless main tasklet is current), an operation executes at
 * once, running other tasklets as needed, and keeps its result in `value`.
 */
export abstract class Op<T> implements Iterator<Trap, T, unknown> {
  /** 'created' → 'waiting' (switched away) → 'done'. Writer: this class only. */
  private _opState: 'created' | 'waiting' | 'done' = 'created';
  private _result: T | undefined = undefined;

  [Symbol.iterator](): Iterator<Trap, T, unknown> {
    return this;
  }

  next(resumeValue?: unknown): IteratorResult<Trap, T> {
    const st = this._opState;
    let r: T | typeof SUSPEND;
    if (st === 'created') {
      if (sched.unstarted !== null) {
        if (sched.unstarted !== this) {
          const forgotten = sched.unstarted;
          sched.unstarted = null;
          this._opState = 'done';
          throw new UsageError(
            `${String(forgotten)} was created but never performed: did you forget \`yield*\`? ` +
              '(perform each operation with yield* before creating the next one)',
          );
        }
        sched.unstarted = null;
      }
      r = this.start();
    } else if (st === 'waiting') {
      r = this.resume(resumeValue);
    } else {
      DONE_RESULT.value = this._result;
      return DONE_RESULT as IteratorReturnResult<T>;
    }
    if (r === SUSPEND) {
      this._opState = 'waiting';
      return SWITCH_RESULT;
    }
    this._opState = 'done';
    this._result = r;
    DONE_RESULT.value = r;
    return DONE_RESULT as IteratorReturnResult<T>;
  }

  throw(error: unknown): IteratorResult<Trap, T> {
    if (this._opState === 'waiting') this.resumeThrow(error);
    this._opState = 'done';
    throw error;
  }

  /** The result of an operation that already completed (plain code executes operations at once). */
  get value(): T {
    if (this._opState !== 'done')
      throw new UsageError(`${String(this)} has not completed: perform it with yield* inside a tasklet`);
    return this._result as T;
  }

  /** Perform the operation for sched.current. Return the result, or SUSPEND after switching. */
  protected abstract start(): T | typeof SUSPEND;

  /** Finish after being switched back to; `v` is the tasklet's tempval. */
  protected resume(v: unknown): T | typeof SUSPEND {
    return v as T;
  }

  /** Clean-up when a Bomb is delivered while waiting (the error is rethrown afterwards). */
  protected resumeThrow(_error: unknown): void {}

  abstract toString(): string;
}

/**
 * An operation written as a generator over other operations (sendSequence, atomic, channel
 * iteration). Gives composite operations the same plain-code behaviour as primitive ones.
 */
export class GenOp<T> extends Op<T> {
  private readonly gen: Generator<Trap, T, unknown>;
  constructor(
    private readonly label: string,
    body: () => Generator<Trap, T, unknown>,
  ) {
    super();
    this.gen = body();
  }
  /** Set once the body returned (plain code runs it to completion before `yield*` sees it,
   * so a later `next()` must replay the result). Writer: next()/throw() below. */
  private finished: { value: T } | null = null;
  override next(v?: unknown): IteratorResult<Trap, T> {
    if (sched.unstarted === this) sched.unstarted = null;
    if (this.finished !== null) {
      DONE_RESULT.value = this.finished.value;
      return DONE_RESULT as IteratorReturnResult<T>;
    }
    return this.record(this.gen.next(v));
  }
  override throw(e: unknown): IteratorResult<Trap, T> {
    return this.record(this.gen.throw(e));
  }
  override get value(): T {
    if (this.finished === null)
      throw new UsageError(`${String(this)} has not completed: perform it with yield* inside a tasklet`);
    return this.finished.value;
  }
  private record(r: IteratorResult<Trap, T>): IteratorResult<Trap, T> {
    if (r.done === true) this.finished = { value: r.value };
    return r;
  }
  protected start(): never {
    throw new Error('unreachable');
  }
  toString(): string {
    return this.label;
  }
}

/**
 * Hand a new operation to its caller. In plain code (frameless main current) it executes
 * at once; inside a tasklet it is returned for `yield*`. Caller: every public operation
 * factory.
 */
export function launch<O extends Op<any>>(op: O): O { // eslint-disable-line @typescript-eslint/no-explicit-any
  const s = sched;
  if (s.inCallback !== null)
    throw new CallbackError(
      s.inCallback === 'channel'
        ? 'Recursive channel call due to callbacks! (no channel or switching operation inside a channel callback)'
        : 'Recursive scheduler call due to callbacks! (no switching operation inside a schedule callback)',
    );
  switch (s.mode) {
    case 'plain':
      performNow(op);
      return op;
    case 'running':
      if (s.current._frame === null && s.current !== s.main)
        throw new UsageError(
          `${String(op)} needs a generator tasklet: ${s.current} runs a plain function, so it cannot ` +
            'suspend. Write the tasklet function as function* and call operations with yield*',
        );
      if (s.unstarted !== null) {
        const forgotten = s.unstarted;
        s.unstarted = null;
        throw new UsageError(
          `${String(forgotten)} was created but never performed: did you forget \`yield*\`? ` +
            `(perform each operation with yield* before creating the next one; found while creating ${String(op)})`,
        );
      }
      s.unstarted = op;
      return op;
    case 'idle':
      throw new UsageError(
        `${String(op)} called outside a tasklet: no tasklet is running (the scheduler waits for I/O). ` +
          'Perform operations with yield* inside a tasklet function',
      );
  }
}

/**
 * Execute `op` for the frameless main tasklet, running the trampoline until main is current
 * again. Caller: launch(), in plain mode only.
 */
function performNow(op: Op<any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const s = sched;
  const main = s.main;
  let r = op.next(undefined);
  while (r.done !== true) {
    drive();
    if (s.current !== main) throw new InternalError('main was not resumed after drive()');
    const v = main._tempval;
    main._tempval = undefined;
    r = v instanceof Bomb ? op.throw(v.error) : op.next(v);
  }
}
