import { Bomb } from './bomb.js';
import { UsageError } from './errors.js';
import { CALL_RESULT, isFrame, type Frame, type Trap } from './frame.js';
import { GenOp, ImmediateOp, launch, Op, SUSPEND } from './op.js';
import { checkSwitchTrap, enterIdle, nextAfterLeaving } from './park.js';
import { append, switchTo, unlink } from './ring.js';
import { sched } from './scheduler.js';
import type { Tasklet } from './tasklet.js';

/** The running tasklet of this thread. */
export function getCurrent(): Tasklet {
  return sched.current;
}

/** This thread's main tasklet. */
export function getMain(): Tasklet {
  return sched.main;
}

/** Runnable tasklets, the current one included (a `run()` caller is not counted). */
export function getRunCount(): number {
  return sched.runcount;
}

/**
 * Add `delta` to the switch-trap level and return the previous level. While the level is
 * non-zero every operation that would switch tasklets raises SwitchTrapError.
 */
export function switchTrap(delta = 0): number {
  if (!Number.isInteger(delta)) throw new TypeError('switchTrap(delta) takes an integer');
  const prev = sched.switchTrap;
  if (prev + delta < 0) throw new RangeError(`switchTrap(${delta}) would make the level negative (it is ${prev})`);
  sched.switchTrap = prev + delta;
  return prev;
}

/**
 * Cooperative yield: the caller stays runnable (it goes last) and `retval` comes back as the
 * result, unless somebody overwrote the caller's tempval meanwhile.
 */
export function schedule(): Op<Tasklet>;
export function schedule<V>(retval: V): Op<V>;
export function schedule(...args: unknown[]): Op<unknown> {
  // Plain code keeps each result in its own op.value: no shared cached op there.
  const op = sched.mode === 'plain' ? new ScheduleOp(false) : scheduleOp;
  op.retval = args.length === 0 ? sched.current : args[0];
  return launch(op);
}

/**
 * Like schedule(), but the caller leaves the run ring (paused): someone must insert() or
 * run() it. The building block for custom blocking primitives.
 */
export function scheduleRemove(): Op<Tasklet>;
export function scheduleRemove<V>(retval: V): Op<V>;
export function scheduleRemove(...args: unknown[]): Op<unknown> {
  const op = sched.mode === 'plain' ? new ScheduleOp(true) : scheduleRemoveOp;
  op.retval = args.length === 0 ? sched.current : args[0];
  return launch(op);
}

/** schedule / scheduleRemove: one cached instance each (see ImmediateOp). */
class ScheduleOp extends ImmediateOp<unknown> {
  retval: unknown = undefined;
  constructor(private readonly remove: boolean) {
    super();
  }
  protected act(): unknown {
    const retval = this.retval;
    this.retval = undefined;
    const cur = sched.current;
    if (!this.remove) {
      if (cur._next === cur) return retval;
      checkSwitchTrap();
      cur._tempval = retval;
      switchTo(cur._next!);
      return SUSPEND;
    }
    if (cur._next === cur && cur === sched.main && sched.watchdogs.length === 0) return retval;
    const next = nextAfterLeaving(cur, false, 'removed by scheduleRemove()');
    cur._tempval = retval;
    unlink(cur);
    if (next !== null) switchTo(next);
    else enterIdle();
    return SUSPEND;
  }
  toString(): string {
    return this.remove ? 'scheduleRemove()' : 'schedule()';
  }
}
const scheduleOp = new ScheduleOp(false);
const scheduleRemoveOp = new ScheduleOp(true);

/** Options of run(). Preemption (`timeout`) arrives with the compiled tier's ticks. */
export interface RunOptions {
  /** Reserved for tick-based preemption; must be 0 or absent in this version. */
  timeout?: number;
}

/**
 * Run the other tasklets until none is runnable, then return. The caller becomes a watchdog
 * (paused, not counted in getRunCount()); uncaught tasklet errors are raised from run().
 * Returns undefined at once if nothing else is runnable.
 */
export function run(options?: RunOptions): Op<Tasklet | undefined> {
  if (options?.timeout !== undefined && options.timeout !== 0)
    throw new UsageError('run({ timeout }) preemption is not available yet: call run() without a timeout');
  return launch(new RunOp());
}

class RunOp extends Op<Tasklet | undefined> {
  private caller: Tasklet | null = null;
  protected start(): undefined | typeof SUSPEND {
    const s = sched;
    const cur = s.current;
    if (cur._next === cur) return undefined;
    checkSwitchTrap();
    this.caller = cur;
    s.watchdogs.push(cur);
    const next = cur._next!;
    unlink(cur);
    switchTo(next);
    return SUSPEND;
  }
  protected override resume(v: unknown): undefined {
    this.popWatchdogs();
    void v;
    return undefined;
  }
  protected override resumeThrow(): void {
    this.popWatchdogs();
  }
  override get _resumeKind(): 'void' {
    return 'void';
  }
  /** On wake-up the caller pops itself and any deeper watchdogs (made runnable again). */
  private popWatchdogs(): void {
    const w = sched.watchdogs;
    const i = w.lastIndexOf(this.caller!);
    if (i < 0) return;
    for (let j = i + 1; j < w.length; j++) if (w[j]!._status === 'paused') append(w[j]!);
    w.length = i;
  }
  toString(): string {
    return 'run()';
  }
}

/**
 * Call a tasklet function as a new frame on the current tasklet's own stack (not the JS
 * stack): `const r = yield* call(fn, a, b)`. Resuming costs the same at any depth and the
 * depth is bounded by memory only. Plain `yield* fn(a, b)` also works but nests JS frames.
 */
export function call<A extends unknown[], R>(
  fn: (...args: A) => Generator<Trap, R, unknown> | Iterator<Trap, R, unknown>,
  ...args: A
): Op<R> {
  if (typeof fn !== 'function') throw new TypeError('call(fn, ...args) needs a tasklet function');
  return launch(new CallOp<R>(fn as (...a: unknown[]) => unknown, args));
}

class CallOp<R> extends Op<R> {
  frame: Frame | null = null;
  constructor(
    private readonly fn: (...a: unknown[]) => unknown,
    private readonly args: unknown[],
  ) {
    super();
  }
  override next(v?: unknown): IteratorResult<Trap, R> {
    if (this.frame === null) {
      if (sched.unstarted === this) sched.unstarted = null;
      if (sched.mode !== 'running' || sched.current._frame === null)
        throw new UsageError('call() pushes a frame on a tasklet and needs one: use it with yield* inside a tasklet');
      const f = this.fn.apply(undefined, this.args);
      if (!isFrame(f))
        throw new UsageError(`call(${this.fn.name || 'fn'}) needs a generator function (function*): it returned ${String(f)}`);
      this.frame = f;
      CALL_RESULT.value = this;
      return CALL_RESULT as IteratorResult<Trap, R>;
    }
    return { done: true, value: v as R };
  }
  protected start(): never {
    throw new UsageError('unreachable');
  }
  toString(): string {
    return `call(${this.fn.name || 'anonymous'})`;
  }
}

/**
 * Run `body` with the current tasklet's atomic flag set, restoring the previous value after
 * (nesting-safe). Atomic blocks preemption only, not voluntary switches.
 */
export function atomic<R>(body: () => Generator<Trap, R, unknown>): Op<R> {
  return launch(
    new GenOp('atomic()', function* () {
      const t = sched.current;
      const prev = t.setAtomic(true);
      try {
        return yield* body();
      } finally {
        t.setAtomic(prev);
      }
    }),
  );
}

/** A value that makes the receiving tasklet raise `error` (see Bomb). */
export function bomb(error: unknown): Bomb {
  return new Bomb(error);
}
