import { Bomb } from './bomb.js';
import { DeadlockError, InternalError, TaskletExit } from './errors.js';
import { isFrame } from './frame.js';
import { enterIdle, innermostWatchdog, plantBomb } from './park.js';
import { switchTo, unlink } from './ring.js';
import { sched } from './scheduler.js';
import type { Tasklet } from './tasklet.js';

/**
 * Birth and death of tasklets: running a tasklet's function the first time it is switched
 * to, and the end path (Stackless §4 "tasklet end"): TaskletExit ends silently, any other
 * uncaught error goes to the error handler or, as a Bomb, to the innermost watchdog (a
 * `run()` caller, else main), pulling it off a channel if it is blocked there.
 */

/** Outcome of the main tasklet's generator (runMain). Writer: mainEnded; reader: main.ts. */
export type MainOutcome = { failed: false; value: unknown } | { failed: true; error: unknown };
let mainOutcome: MainOutcome | null = null;

/** Caller: main.ts, after drive() returned. Takes (and clears) main's outcome. */
export function takeMainOutcome(): MainOutcome | null {
  const o = mainOutcome;
  mainOutcome = null;
  return o;
}

/** Caller: main.ts, for the asynchronous main driver (a listener for the outcome). */
export let onMainEnded: ((o: MainOutcome) => void) | null = null;
export function setOnMainEnded(fn: ((o: MainOutcome) => void) | null): void {
  onMainEnded = fn;
}

/**
 * First switch into a tasklet: call its function. A generator result becomes the tasklet's
 * bottom frame; a plain function has simply run to completion. A Bomb planted before the
 * start (kill/throw of a new tasklet) ends it without running the function.
 * Caller: drive(); `t` is current, frameless, and not main. Returns true if `t` now has a
 * frame to resume.
 */
export function startTasklet(t: Tasklet): boolean {
  const entry = t._entry;
  const v = t._tempval;
  t._tempval = undefined;
  t._entry = null;
  if (v instanceof Bomb) {
    taskletEnded(t, v.error, true);
    return false;
  }
  if (entry === null) throw new InternalError(`${t} is current without a function or frame`);
  let result: unknown;
  try {
    result =
      typeof entry === 'function'
        ? (entry as () => unknown)()
        : (entry.fn as (...a: unknown[]) => unknown).apply(undefined, entry.args as unknown[]);
  } catch (e) {
    taskletEnded(t, e, true);
    return false;
  }
  if (isFrame(result)) {
    t._frame = result;
    return true;
  }
  taskletEnded(t, undefined, false);
  return false;
}

/** Caller: the trampoline, when main's bottom frame returned or raised. Main stays current. */
export function mainEnded(outcome: unknown, failed: boolean): void {
  const o: MainOutcome = failed ? { failed: true, error: outcome } : { failed: false, value: outcome };
  if (onMainEnded !== null) onMainEnded(o);
  else mainOutcome = o;
}

/**
 * The end of a non-main tasklet. Caller: the trampoline and startTasklet; `t` is current.
 * `outcome` is the error when `failed`, else the (discarded) return value.
 */
export function taskletEnded(t: Tasklet, outcome: unknown, failed: boolean): void {
  const s = sched;
  let bomb: Bomb | null = null;
  if (failed && !(outcome instanceof TaskletExit)) {
    const handler = s.errorHandler;
    if (handler === null) bomb = new Bomb(outcome);
    else {
      s.inCallback = 'error';
      try {
        handler(outcome, t);
      } catch (e) {
        bomb = new Bomb(e);
      } finally {
        s.inCallback = null;
      }
    }
  }
  unlink(t);
  t._status = 'dead';
  t._tempval = undefined;
  t._frame = null;
  t._stack = null;
  t._entry = null;

  let next = s.head;
  if (bomb !== null || next === null) {
    const w = innermostWatchdog();
    if (bomb === null && w._status === 'blocked') {
      if (s.externalWaits > 0 && s.mainDriver === 'async') {
        s.current = w;
        enterIdle();
        return;
      }
      bomb = new Bomb(mainWithoutPartner(w));
    } else if (bomb === null && w._status !== 'paused') {
      throw new InternalError(`no runnable tasklet and watchdog ${w} is ${w._status}`);
    }
    if (bomb !== null) plantBomb(w, bomb);
    next = w;
  }
  switchTo(next);
}

function mainWithoutPartner(w: Tasklet): DeadlockError {
  // Duck-typed (importing Channel here would close an import cycle): channels have a balance.
  const on = w._waitingOn as { balance?: unknown } | null;
  if (on === null || typeof on.balance !== 'number')
    return new DeadlockError(
      `Deadlock: the last runnable tasklet ended while the main tasklet waits (${w.waitReason}) and nothing can wake it.`,
    );
  const receiving = on.balance < 0;
  return new DeadlockError(
    receiving
      ? `the main tasklet is receiving without a sender available. (${w} waits on ${String(on)} and the last runnable tasklet ended)`
      : `the main tasklet is sending without a receiver available. (${w} waits on ${String(on)} and the last runnable tasklet ended)`,
  );
}
