import { Bomb } from '../core/bomb.js';
import { absurd } from '../core/errors.js';
import { append, cancelWait } from '../core/ring.js';
import type { Tasklet } from '../core/tasklet.js';

/**
 * Raise `error` in `t` at its current or next suspension point, from an event-loop callback
 * (where core operations cannot be launched: the scheduler is idle). It is core's pending
 * `t.throw(error, { pending: true })`: a blocked tasklet leaves its wait (the Waitable's
 * cancelWait cleans up), and becomes runnable with the error. A current tasklet (a
 * VirtualClock advanced by the tasklet itself) gets the error thrown right here.
 * Proposed core seam: an exported `throwPending(t, error)` usable while idle.
 * Caller: Timeout's timer.
 */
export function interrupt(t: Tasklet, error: unknown): void {
  const st = t._status;
  switch (st) {
    case 'blocked':
      cancelWait(t);
      t._tempval = new Bomb(error);
      append(t);
      return;
    case 'paused':
      t._tempval = new Bomb(error);
      append(t);
      return;
    case 'scheduled':
      // A tasklet already made runnable with an error keeps the first one.
      if (!(t._tempval instanceof Bomb)) t._tempval = new Bomb(error);
      return;
    case 'current':
      throw error;
    case 'new':
    case 'dead':
      return;
    default:
      absurd(st);
  }
}
