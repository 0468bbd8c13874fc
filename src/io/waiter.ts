import { Bomb } from '../core/bomb.js';
import { InternalError } from '../core/errors.js';
import { park, unpark } from '../core/park.js';
import { sched } from '../core/scheduler.js';
import type { Tasklet } from '../core/tasklet.js';
import type { Waitable } from '../core/waitable.js';
import { getClock, type TimerHandle } from './clock.js';
import { track, trackEpoch } from './registry.js';
import { stats } from './stats.js';

/** What a tasklet waits for, for tasklets() and deadlock messages. */
export type WaitKind = 'timer' | 'socket' | 'server' | 'promise' | 'loop' | 'sync' | 'process' | 'stream' | 'hub';

/** Who to tell when a wait ends without the owner's doing (timeout, kill, throw). */
export interface WaitOwner {
  /** Forget `w` (idempotent). Caller: Waiter only. */
  detach(w: Waiter): void;
}

/**
 * One wait of one tasklet: the Waitable every I/O-layer blocking operation parks on (timers,
 * sockets, promises, the next event-loop turn, Event/Queue/Semaphore...). A fresh Waiter per
 * wait keeps the pairing protocol of src/core/waitable.ts trivial: it ends exactly once, by
 * `wake()` (the owner's event happened), `expire()` (its timeout fired) or `cancelWait()`
 * (the scheduler killed or threw into the tasklet). After that it never touches the tasklet
 * again, and its timer is cleared, so a dead tasklet is never woken and no timer leaks.
 *
 * `external` is true for everything that Node's event loop completes (I/O, timers,
 * promises) and for any wait with a timeout; a wait on a primitive without a timeout is
 * internal, so a main that waits on an Event nobody can set still gets a DeadlockError.
 *
 * Invariants:
 *  - status 'ready' → 'waiting' → 'ended' (→ 'waiting' again when an owner reuses it for its
 *    next wait); `tasklet !== null` iff 'waiting'.
 *  - 'waiting' ⇔ counted in stats.waits; `timer !== null` only while 'waiting'.
 *  - while 'waiting', `tasklet._waitingOn === this` and the tasklet is 'blocked'.
 *  - `qPrev/qNext/queue` are written by WaitQueue only.
 */
export class Waiter implements Waitable {
  status: 'ready' | 'waiting' | 'ended' = 'ready';
  tasklet: Tasklet | null = null;
  private timer: TimerHandle | null = null;
  private onTimeout: (() => unknown) | null = null;
  /** @internal WaitQueue links. */
  qPrev: Waiter | null = null;
  /** @internal */
  qNext: Waiter | null = null;
  /** @internal */
  queue: object | null = null;
  /** The tasklet this waiter last tracked, in sweep `trackedEpoch` (a reused waiter parks
   * the same tasklet again and again: it is not tracked again). */
  private trackedFor: Tasklet | null = null;
  private trackedEpoch = -1;

  constructor(
    readonly kind: WaitKind,
    /** What is awaited: a string, or built on demand by a function or an object's toString(). */
    private readonly _what: string | (() => string) | { toString(): string },
    readonly external: boolean,
    private readonly owner: WaitOwner | null,
  ) {}

  /**
   * Park the current tasklet on this waiter; with `timeoutMs`, the wait ends after that
   * long with `onTimeout()` as the result (a Bomb raises). Throws (changing nothing) when
   * core's park does: DeadlockError, SwitchTrapError. Caller: an operation's start()/resume().
   */
  parkCurrent(timeoutMs: number | null = null, onTimeout: (() => unknown) | null = null): void {
    const t = sched.current;
    park(t, this);
    this.begin(t, timeoutMs, onTimeout);
  }

  /**
   * Park the current tasklet and return to the event loop even though other tasklets are
   * runnable (they keep their ring positions and run after the loop's turn). Requires: an
   * external waiter, main running under main()/runMainAsync. Caller: hub.ts (nextTurn) only.
   */
  parkCurrentAndReturnToLoop(): void {
    const t = sched.current;
    park(t, this, { returnToLoop: true });
    this.begin(t, null, null);
  }

  private begin(t: Tasklet, timeoutMs: number | null, onTimeout: (() => unknown) | null): void {
    if (this.status === 'waiting') throw new InternalError(`${this} is already in use by ${this.tasklet}`);
    this.tasklet = t;
    this.status = 'waiting';
    stats.waits++;
    if (this.trackedFor !== t || this.trackedEpoch !== trackEpoch()) {
      track(t);
      this.trackedFor = t;
      this.trackedEpoch = trackEpoch();
    }
    if (timeoutMs !== null && timeoutMs !== Infinity) {
      this.onTimeout = onTimeout;
      this.timer = getClock().setTimer(timeoutMs, () => this.expire());
    }
  }

  /**
   * The awaited event happened: make the tasklet runnable; its operation returns `value`
   * (raises, if it is a Bomb). Returns false if the wait already ended. The owner has
   * already forgotten this waiter. Caller: the owner (event-loop callbacks, primitives).
   */
  wake(value: unknown): boolean {
    if (this.status !== 'waiting') return false;
    const t = this.tasklet!;
    this.end();
    unpark(t, value);
    return true;
  }

  /** wake() with an error raised in the tasklet. */
  fail(error: unknown): boolean {
    return this.wake(new Bomb(error));
  }

  /** Caller: this waiter's timer. */
  private expire(): void {
    this.timer = null;
    if (this.status !== 'waiting') return;
    this.owner?.detach(this);
    const v = this.onTimeout === null ? undefined : this.onTimeout();
    this.wake(v);
  }

  /** @internal Caller: the scheduler (kill/throw of the waiting tasklet). */
  cancelWait(_t: Tasklet): void {
    if (this.status !== 'waiting') return;
    this.owner?.detach(this);
    this.end();
  }

  private end(): void {
    this.status = 'ended';
    this.tasklet = null;
    stats.waits--;
    if (this.timer !== null) {
      getClock().clearTimer(this.timer);
      this.timer = null;
    }
    this.onTimeout = null;
  }

  /** What is awaited ("recv() on 127.0.0.1:5000"); computed on demand. */
  get what(): string {
    const w = this._what;
    return typeof w === 'string' ? w : typeof w === 'function' ? w() : String(w);
  }

  /** @internal */
  describeWait(_t: Tasklet): string {
    return `${this.kind}: ${this.what}`;
  }

  toString(): string {
    return `${this.kind}: ${this.what}`;
  }

  checkInvariants(): void {
    if ((this.status === 'waiting') !== (this.tasklet !== null)) throw new Error(`${this}: waiting ⇔ tasklet`);
    if (this.timer !== null && this.status !== 'waiting') throw new Error(`${this}: timer outside a wait`);
    if (this.tasklet !== null && this.tasklet._waitingOn !== this) throw new Error(`${this}: tasklet not parked here`);
  }
}
