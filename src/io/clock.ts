import { performance } from 'node:perf_hooks';
import { stats } from './stats.js';

/**
 * The one seam time comes through. Every timer of the I/O layer (sleep, timeouts, Timeout)
 * is set on the installed clock: the real clock by default, a VirtualClock in tests so
 * timer behaviour is deterministic (`useVirtualClock()`, then `clock.advance(ms)`).
 */
export interface TimerHandle {
  readonly due: number;
}

export interface Clock {
  /** Milliseconds, monotonic (not wall-clock time). */
  now(): number;
  /** Call `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Cancel a timer that has not fired (no-op after it fired or was cleared). */
  clearTimer(h: TimerHandle): void;
}

class RealTimer implements TimerHandle {
  status: 'armed' | 'done' = 'armed';
  handle: NodeJS.Timeout | null = null;
  constructor(readonly due: number) {}
}

/** Node's timers and performance.now(). */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = new RealTimer(performance.now() + ms);
    stats.timers++;
    t.handle = setTimeout(() => {
      if (t.status !== 'armed') return;
      t.status = 'done';
      t.handle = null;
      stats.timers--;
      fn();
    }, Math.max(0, ms));
    return t;
  },
  clearTimer(h) {
    const t = h as RealTimer;
    if (t.status !== 'armed') return;
    t.status = 'done';
    if (t.handle !== null) clearTimeout(t.handle);
    t.handle = null;
    stats.timers--;
  },
};

class VirtualTimer implements TimerHandle {
  status: 'armed' | 'done' = 'armed';
  constructor(
    readonly due: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}
}

/**
 * A clock that only moves when told to. Timers fire inside `advance()`, in due order (ties
 * in creation order), with `now()` equal to each timer's due time while it fires.
 *
 * Invariants:
 *  - `timers` holds exactly the armed timers, sorted by (due, seq).
 *  - every armed timer has `due >= now()`.
 */
export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const v = new VirtualTimer(this.t + Math.max(0, ms), this.seq++, fn);
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.due > v.due) i--;
    this.timers.splice(i, 0, v);
    stats.timers++;
    return v;
  }
  clearTimer(h: TimerHandle): void {
    const v = h as VirtualTimer;
    if (v.status !== 'armed') return;
    v.status = 'done';
    const i = this.timers.indexOf(v);
    if (i >= 0) this.timers.splice(i, 1);
    stats.timers--;
  }
  /** Due time of the earliest armed timer, or null. */
  nextDue(): number | null {
    return this.timers[0]?.due ?? null;
  }
  /** Number of armed timers. */
  get pending(): number {
    return this.timers.length;
  }
  /**
   * Move time forward by `ms`, firing every timer that falls due, in order. If timer
   * callbacks throw, the other timers still fire and the first error is rethrown at the end.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance(ms) needs a non-negative number, got ${ms}`);
    const end = this.t + ms;
    let first: { e: unknown } | null = null;
    for (;;) {
      const v = this.timers[0];
      if (v === undefined || v.due > end) break;
      this.timers.shift();
      v.status = 'done';
      stats.timers--;
      this.t = v.due;
      try {
        v.fn();
      } catch (e) {
        if (first === null) first = { e };
      }
    }
    this.t = end;
    if (first !== null) throw first.e;
  }
  checkInvariants(): void {
    for (let i = 0; i < this.timers.length; i++) {
      const v = this.timers[i]!;
      if (v.status !== 'armed') throw new Error(`virtual clock: disarmed timer in the list`);
      if (v.due < this.t) throw new Error(`virtual clock: overdue timer`);
      const n = this.timers[i + 1];
      if (n !== undefined && (n.due < v.due || (n.due === v.due && n.seq < v.seq)))
        throw new Error('virtual clock: timers out of order');
    }
  }
}

let current: Clock = realClock;

/** The installed clock. */
export function getClock(): Clock {
  return current;
}

/** Install `c` (returns the previous clock). Install only while no timer is armed. */
export function setClock(c: Clock): Clock {
  const prev = current;
  current = c;
  return prev;
}

/** Install a fresh VirtualClock and return it (tests). Undo with `setClock(realClock)`. */
export function useVirtualClock(): VirtualClock {
  const c = new VirtualClock();
  setClock(c);
  return c;
}
