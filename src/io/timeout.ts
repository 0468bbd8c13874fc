import { StacklessError, UsageError } from '../core/errors.js';
import type { Trap } from '../core/frame.js';
import { adopt, GenOp, launch, type Op } from '../core/op.js';
import { sched } from '../core/scheduler.js';
import type { Tasklet } from '../core/tasklet.js';
import { getClock, type TimerHandle } from './clock.js';
import { timeoutArmed } from './hub.js';
import { throwPending } from '../core/park.js';

/**
 * A scoped timeout, gevent.Timeout style. `new Timeout(ms).start()` arms a timer for the
 * current tasklet; if it fires before `cancel()`, the tasklet gets the Timeout instance
 * itself raised at its blocking operation (or at its next switch if it is runnable), so
 * `catch (e) { if (e === t) ... }` tells your timeout from an outer one. Cooperative: a
 * tasklet that never switches cannot be interrupted. `ms === null` never fires.
 *
 * Invariants: status 'new' → 'pending' (timer armed, `target` set) → 'fired' | 'cancelled'
 * ('cancelled' may go back to 'pending' with start()).
 */
export class Timeout extends StacklessError {
  override name = 'Timeout';
  status: 'new' | 'pending' | 'fired' | 'cancelled' = 'new';
  private timer: TimerHandle | null = null;
  private target: Tasklet | null = null;
  private readonly raise: unknown;

  constructor(
    readonly ms: number | null = null,
    options?: { message?: string; error?: unknown },
  ) {
    super(options?.message ?? (ms === null ? 'timeout' : `timed out after ${ms} ms`));
    this.raise = options?.error ?? this;
  }

  /** Create and start in one go: `const t = Timeout.start(100)`. */
  static start(ms: number | null, options?: { message?: string; error?: unknown }): Timeout {
    return new Timeout(ms, options).start();
  }

  /** Arm the timer for the current tasklet. */
  start(): this {
    if (this.status === 'pending') throw new UsageError(`${this.message}: this Timeout is already started; cancel() it first`);
    const s = sched;
    if (s.mode !== 'running')
      throw new UsageError('Timeout.start() needs a running tasklet: start it inside a tasklet function (under main())');
    this.target = s.current;
    this.status = 'pending';
    if (this.ms !== null) {
      this.timer = getClock().setTimer(this.ms, () => this.fire());
      timeoutArmed(1);
    }
    return this;
  }

  /** Disarm (no-op unless pending). Always call it in a `finally`. */
  cancel(): void {
    if (this.status !== 'pending') return;
    this.status = 'cancelled';
    if (this.timer !== null) {
      getClock().clearTimer(this.timer);
      timeoutArmed(-1);
    }
    this.timer = null;
    this.target = null;
  }

  get pending(): boolean {
    return this.status === 'pending';
  }

  /** Run `body` under this timeout (started now, cancelled after). */
  run<T>(body: Iterator<Trap, T, unknown> | (() => Iterator<Trap, T, unknown>)): Op<T> {
    const self = this;
    adopt(body);
    return launch(
      new GenOp<T>(`Timeout(${this.ms}).run()`, function* () {
        self.start();
        try {
          return yield* iter(body);
        } finally {
          self.cancel();
        }
      }),
    );
  }

  private fire(): void {
    this.timer = null;
    if (this.status !== 'pending') return;
    timeoutArmed(-1);
    const t = this.target!;
    this.status = 'fired';
    this.target = null;
    throwPending(t, this.raise);
  }
}

/** A per-call or per-socket timeout expired (a Timeout that was never started). */
export class TimeoutError extends Timeout {
  override name = 'TimeoutError';
  constructor(message: string, ms: number | null = null) {
    super(ms, { message });
    this.status = 'fired';
  }
}

/**
 * Run `op` (an operation, or a generator/generator function) with a deadline: returns its
 * result, or raises a TimeoutError if it has not finished after `ms` (the operation is
 * interrupted at its blocking point; its finally blocks run). With `{ default: v }`,
 * returns `v` instead of raising.
 */
export function withTimeout<T>(ms: number, op: Iterator<Trap, T, unknown> | (() => Iterator<Trap, T, unknown>)): Op<T>;
export function withTimeout<T, D>(
  ms: number,
  op: Iterator<Trap, T, unknown> | (() => Iterator<Trap, T, unknown>),
  options: { default: D },
): Op<T | D>;
export function withTimeout<T, D>(
  ms: number,
  op: Iterator<Trap, T, unknown> | (() => Iterator<Trap, T, unknown>),
  options?: { default: D },
): Op<T | D> {
  adopt(op);
  return launch(
    new GenOp<T | D>(`withTimeout(${ms})`, function* () {
      const to = new TimeoutError(`operation timed out after ${ms} ms`, ms);
      to.status = 'new';
      to.start();
      try {
        return yield* iter(op);
      } catch (e) {
        if (e === to && options !== undefined && 'default' in options) return options.default;
        throw e;
      } finally {
        to.cancel();
      }
    }),
  );
}

function iter<T>(x: Iterator<Trap, T, unknown> | (() => Iterator<Trap, T, unknown>)): Iterable<Trap, T, unknown> {
  const it = typeof x === 'function' ? x() : x;
  // operations act in [Symbol.iterator]() (core's ImmediateOp): let yield* call it
  if (typeof (it as Partial<Iterable<Trap, T, unknown>>)[Symbol.iterator] === 'function') return it as unknown as Iterable<Trap, T, unknown>;
  return { [Symbol.iterator]: () => it };
}
