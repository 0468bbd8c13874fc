import { Bomb } from './bomb.js';
import { absurd, DeadlockError, InternalError, SwitchTrapError } from './errors.js';
import { append, cancelWait, switchTo, unlink } from './ring.js';
import { sched } from './scheduler.js';
import type { Tasklet } from './tasklet.js';
import type { Waitable } from './waitable.js';

/**
 * The one place that suspends a tasklet off the run ring (park) and makes it runnable again
 * (unpark). Channels are built on it, and so are sleep and I/O in higher layers.
 *
 * Deadlock rules (Stackless §6.4), applied when the parking tasklet is the last runnable:
 *  1. the innermost watchdog (a `run()` caller, else main) is floating (paused): revive it;
 *  2. else, if something external may still wake a tasklet (I/O pending) and the trampoline
 *     can return to the event loop: go idle;
 *  3. else raise DeadlockError in the parking tasklet, changing nothing.
 */

/** The tasklet uncaught errors and "nothing left to run" go to: last run() caller, or main. */
export function innermostWatchdog(): Tasklet {
  const w = sched.watchdogs;
  return w.length > 0 ? w[w.length - 1]! : sched.main;
}

/** Caller: operations about to switch away from the current tasklet. */
export function checkSwitchTrap(): void {
  if (sched.switchTrap !== 0)
    throw new SwitchTrapError(
      `switch_trap: this operation would switch tasklets while switchTrap() is set (level ${sched.switchTrap}); ` +
        'undo it with switchTrap(-1) first',
    );
}

/**
 * Who runs when `t` (the current tasklet) leaves the ring: its successor, a floating
 * watchdog, or null for "go idle". Throws (changing nothing) on deadlock or switch trap.
 * Caller: park() and scheduleRemove.
 */
export function nextAfterLeaving(t: Tasklet, waitsExternally: boolean, waitingFor: Waitable | string): Tasklet | null {
  const s = sched;
  if (t._next !== t) {
    checkSwitchTrap();
    return t._next;
  }
  const w = innermostWatchdog();
  if (w !== t && w._status === 'paused') {
    checkSwitchTrap();
    return w;
  }
  const external = s.externalWaits + (waitsExternally ? 1 : 0);
  if (external > 0) {
    if (s.mainDriver !== 'async')
      throw new DeadlockError(
        `Deadlock: the last runnable tasklet cannot be blocked. ${t} would wait (${describe(t, waitingFor)}) ` +
          `for I/O, but the main tasklet (${s.mainDriver === 'sync' ? 'run by runMain()' : 'plain synchronous code'}) ` +
          'cannot wait for the event loop; run main as a generator with runMainAsync().',
      );
    return null;
  }
  throw new DeadlockError(
    `Deadlock: the last runnable tasklet cannot be blocked. ${t} would wait (${describe(t, waitingFor)}) ` +
      `and no other tasklet can run to wake it.`,
  );
}

/**
 * Suspend the current tasklet `t` on `w`. Caller: an operation's start(), for
 * sched.current, after the operation's own checks. On return `t` is 'blocked' and another
 * tasklet is current (or the scheduler is idle): the operation must report that it switched.
 * On DeadlockError/SwitchTrapError nothing has changed. The caller links `t` into `w`'s
 * queue after park() returns.
 *
 * With `returnToLoop` (external waits under runMainAsync only), the trampoline returns to
 * the event loop even though other tasklets are runnable: they keep their ring positions and
 * run after the loop's turn (`resumeFromIdle()` restarts it). Used for `sleep(0)`-style
 * yields that must let I/O in.
 */
export function park(t: Tasklet, w: Waitable, options?: { returnToLoop?: boolean }): void {
  const s = sched;
  let next: Tasklet | null;
  if (options?.returnToLoop === true) {
    if (!w.external || s.mainDriver !== 'async')
      throw new InternalError('park(returnToLoop) needs an external waitable and a runMainAsync main');
    checkSwitchTrap();
    next = null;
  } else {
    next = nextAfterLeaving(t, w.external, w);
  }
  unlink(t);
  t._status = 'blocked';
  t._waitingOn = w;
  if (w.external) s.externalWaits++;
  if (next !== null) switchTo(next);
  else enterIdle();
}

/**
 * Make `t` runnable at the tail of the ring; its blocking operation returns `value` (or
 * raises, if `value` is a Bomb). Caller: the Waitable `t` is parked on, after dequeuing it.
 */
export function unpark(t: Tasklet, value: unknown): void {
  const w = t._waitingOn!;
  if (w.external) sched.externalWaits--;
  t._waitingOn = null;
  t._next = null;
  t._prev = null;
  t._tempval = value;
  append(t);
}

/** Caller: park(), scheduleRemove and the death path when every tasklet waits externally. */
export function enterIdle(): void {
  sched.mode = 'idle';
}

/**
 * Raise `error` in `t` at its next resume, without switching: a blocked tasklet leaves its
 * wait, a paused one is appended to the ring, a runnable one keeps a Bomb it already holds
 * (the first error wins). The current tasklet gets the error thrown here. Dead or new
 * tasklets are left alone. Caller: ThrowOp (pending throw/kill) and higher layers raising
 * from event-loop callbacks (timeouts), where no operation can be launched.
 */
export function throwPending(t: Tasklet, error: unknown): void {
  switch (t._status) {
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
      if (!(t._tempval instanceof Bomb)) t._tempval = new Bomb(error);
      return;
    case 'current':
      throw error;
    case 'new':
    case 'dead':
      return;
    default:
      absurd(t._status);
  }
}

/** Raise `error` in the innermost watchdog at its next resume. Caller: death path. */
export function plantBomb(w: Tasklet, error: unknown): void {
  w._tempval = error instanceof Bomb ? error : new Bomb(error);
}

function describe(t: Tasklet, w: Waitable | string): string {
  return typeof w === 'string' ? w : `${t} waiting on ${String(w)}`;
}
