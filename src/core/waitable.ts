import type { Tasklet } from './tasklet.js';

/**
 * Something a blocked tasklet waits on: a channel, or (in higher layers) a timer, a socket,
 * a promise. The scheduler parks a tasklet on a Waitable with `park()` and the Waitable
 * wakes it with `unpark()`.
 *
 * Pairing protocol: after `park(t, w)`, exactly one of these happens, once:
 *  - `w` dequeues `t` itself and calls `unpark(t, value)`, or
 *  - the scheduler calls `w.cancelWait(t)` (t is killed, thrown into, or revived as a
 *    watchdog) and `w` must forget `t` so it never wakes it later.
 */
export interface Waitable {
  /** True when something outside the scheduler (I/O, timers, another thread) can wake the
   * waiter. While such waits exist a blocked main waits instead of raising Deadlock. */
  readonly external: boolean;
  /** Caller: the scheduler only, for a tasklet blocked on this waitable. Unlink `t`. */
  cancelWait(t: Tasklet): void;
  /** A short description for inspectors and deadlock messages: "receiving on channel#3". */
  describeWait(t: Tasklet): string;
}
