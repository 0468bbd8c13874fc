import { Bomb } from './bomb.js';
import { CallbackError, InternalError, UsageError } from './errors.js';
import { DONE_RESULT, SWITCH_RESULT, type Trap } from './frame.js';
import { sched } from './scheduler.js';
import { drive } from './trampoline.js';

/**
 * Stateless iterators for operations that act inside `[Symbol.iterator]()` (the hot channel
 * operations): after the action, `yield*` drives one of these. DONE_ITER returns the result
 * parked in its slot (read at once by yield*); RESUME_ITER finishes a switched-away operation
 * with the tasklet's tempval. Shared by every operation: nothing is allocated per call.
 */
export const DONE_ITER = {
  value: undefined as unknown,
  next(): IteratorResult<Trap, unknown> {
    DONE_RESULT.value = DONE_ITER.value;
    DONE_ITER.value = undefined;
    return DONE_RESULT as IteratorReturnResult<unknown>;
  },
  throw(e: unknown): never {
    throw e;
  },
};
export const RESUME_ITER = {
  first: true,
  next(v?: unknown): IteratorResult<Trap, unknown> {
    if (RESUME_ITER.first) {
      RESUME_ITER.first = false;
      return SWITCH_RESULT;
    }
    DONE_RESULT.value = v;
    return DONE_RESULT as IteratorReturnResult<unknown>;
  },
  throw(e: unknown): never {
    throw e;
  },
};

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
  /** @internal 'created' → 'waiting' (switched away) → 'done'. Writer: this file only. */
  declare _opState: 'created' | 'waiting' | 'done';
  /** @internal */
  declare _result: T | undefined;

  // `declare`d and assigned in the constructor, not class fields: a field initializer of a
  // base class shared by many subclasses defines properties on objects of many shapes and
  // runs ~3x slower (measured: ~500 vs ~170 ns per construction with 8 subclasses).
  constructor() {
    this._opState = 'created';
    this._result = undefined;
  }

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

  /** @internal Caller: performNow, for operations whose iterator is not the op itself. */
  _settle(v: unknown): void {
    this._opState = 'done';
    this._result = v as T;
  }

  /** The result of an operation that already completed (plain code executes operations at once). */
  get value(): T {
    if (this._opState !== 'done')
      throw new UsageError(`${String(this)} has not completed: perform it with yield* inside a tasklet`);
    return this._result as T;
  }

  /** Perform the operation for sched.current. Return the result, or SUSPEND after switching. */
  protected abstract start(): T | typeof SUSPEND;

  /**
   * @internal How this operation finishes when its suspended tasklet is resumed: 'value'
   * (it returns the tasklet's tempval), 'void' (it returns nothing), or null when it cannot
   * be resumed anywhere else (it runs a native generator or holds a resource). Caller: the
   * pickler, for an operation a restorable frame is suspended in.
   */
  get _resumeKind(): 'value' | 'void' | null {
    return 'value';
  }

  /** Finish after being switched back to; `v` is the tasklet's tempval. */
  protected resume(v: unknown): T | typeof SUSPEND {
    return v as T;
  }

  /** Clean-up when a Bomb is delivered while waiting (the error is rethrown afterwards). */
  protected resumeThrow(_error: unknown): void {}

  abstract toString(): string;
}

/**
 * An operation that acts inside `[Symbol.iterator]()` (which `yield*` calls right after the
 * operation is created) and is then finished by the shared stateless DONE_ITER/RESUME_ITER.
 * Such operations keep no per-call state after acting, so the hot ones (send, receive,
 * schedule) are cached and reused: nothing is allocated per call. Reuse is safe because an
 * operation must be performed before the next one is created (launch() checks).
 */
export abstract class ImmediateOp<T> extends Op<T> {
  override [Symbol.iterator](): Iterator<Trap, T, unknown> {
    const s = sched;
    if (s.unstarted === this) s.unstarted = null;
    if (this._opState === 'done') {
      // Performed already (plain code executes operations when they are created): hand the
      // result to this yield* once, then the cached operation is fresh again.
      this._opState = 'created';
      DONE_ITER.value = this._result;
      this._result = undefined;
      return DONE_ITER as Iterator<Trap, T, unknown>;
    }
    const r = this.act();
    if (r === SUSPEND) {
      RESUME_ITER.first = true;
      return RESUME_ITER as Iterator<Trap, T, unknown>;
    }
    DONE_ITER.value = r;
    return DONE_ITER as Iterator<Trap, T, unknown>;
  }
  protected start(): never {
    throw new InternalError(`${String(this)} acts in [Symbol.iterator]()`);
  }
  /** Perform the operation for sched.current: the result, or SUSPEND after switching away. */
  protected abstract act(): T | typeof SUSPEND;
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
  override get _resumeKind(): null {
    return null;
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
  op._opState = 'created'; // cached operations (ImmediateOp) are reused
  if (s.inCallback !== null)
    throw new CallbackError(
      s.inCallback === 'channel'
        ? 'Recursive channel call due to callbacks! (no channel or switching operation inside a channel callback)'
        : s.inCallback === 'error'
          ? `${String(op)} inside the error handler: it runs in the dying tasklet, which cannot suspend; ` +
            'record the error (or insert/setup tasklets, which does not switch) and act on it from another tasklet'
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
 * Take over an operation that was created to be passed as an argument (e.g.
 * `withTimeout(ms, ch.receive())`): it is not a forgotten `yield*`, the receiving operation
 * will perform it with `yield*`. Caller: higher-layer operations that accept operations.
 */
export function adopt(op: unknown): void {
  if (sched.unstarted !== null && sched.unstarted === op) sched.unstarted = null;
}

/**
 * Execute `op` for the frameless main tasklet, running the trampoline until main is current
 * again. Caller: launch(), in plain mode only.
 */
function performNow(op: Op<any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const s = sched;
  const main = s.main;
  const it = op[Symbol.iterator]();
  let r = it.next(undefined);
  while (r.done !== true) {
    drive();
    if (s.current !== main) throw new InternalError('main was not resumed after drive()');
    const v = main._tempval;
    main._tempval = undefined;
    r = v instanceof Bomb ? it.throw!(v.error) : it.next(v);
  }
  op._settle(r.value);
}
