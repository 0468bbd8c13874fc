import { performance } from 'node:perf_hooks';
import { DeadlockError, UsageError } from '../core/errors.js';
import type { Trap } from '../core/frame.js';
import { runMainAsync, resumeFromIdle } from '../core/main.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { sched } from '../core/scheduler.js';
import { schedule } from '../core/scheduling.js';
import { Tasklet } from '../core/tasklet.js';
import { liveTasklets, describeTasklets } from './inspect.js';
import { track } from './registry.js';
import { closeAllResources } from './resources.js';
import { Waiter, type WaitOwner } from './waiter.js';

/**
 * The hub: glue between Node's event loop and the scheduler.
 *
 *  - Wake-ups. Event-loop callbacks (timers, sockets, promises) make tasklets runnable with
 *    Waiter.wake() → core unpark(). If the scheduler was idle, core calls our wakeHook; we
 *    restart the trampoline in a microtask (after the callback returned, so tasklets never
 *    run inside a Node emit), once for all wake-ups of that callback.
 *  - Turns. nextTurn() (sleep(0)) parks the caller until the next event-loop turn
 *    (setImmediate, i.e. after the poll phase has delivered pending I/O). If other tasklets
 *    are runnable the trampoline still returns to the event loop (`yielded`), and the turn
 *    callback restarts it: tasklets never starve the event loop as long as they switch.
 *  - The hub tasklet ("io-hub"), under main() only: a tasklet in the run ring that lets the
 *    event loop in once per ring round when at least `loopBudgetMs` of CPU has passed since
 *    the last turn, so `for (;;) yield* schedule()` loops do not starve I/O either. When it
 *    is the only runnable tasklet it goes dormant (a non-external wait, so it never hides a
 *    deadlock) and the next restart wakes it.
 *  - Fairness: plain FIFO. A tasklet woken by I/O is appended at the tail of the ring like
 *    any insert(); see docs/io.md for why.
 *
 * Invariants:
 *  - `yielded` ⇒ a turn is armed (turnArmed) and the scheduler is idle or about to be.
 *  - turnWaiters holds exactly the 'waiting' waiters of kind 'loop'.
 *  - `active` ⇔ a main() is running; hubTasklet is null when not active; `ending` ⇒ active
 *    (main()'s clean-up: the hub tasklet is not recreated).
 */

/** The event-loop turn callback is pending. */
let turnArmed = false;
/** The trampoline returned to the loop with runnable tasklets; only the turn restarts it. */
let yielded = false;
/** A restart microtask is queued. */
let restartQueued = false;
/** A main() is running. */
let active = false;
/** main()'s body has ended and main() is killing what is left. */
let ending = false;
let hubTasklet: Tasklet | null = null;
let hubWaiter: Waiter | null = null;
let lastTurn = performance.now();
let loopBudgetMs = 1;
const turnWaiters: Waiter[] = [];

/** Observer of trampoline runs (the stall detector). */
export interface DriveObserver {
  started(): void;
  returned(): void;
}
let observer: DriveObserver | null = null;

/** Caller: stall-detector.ts. */
export function setDriveObserver(o: DriveObserver | null): DriveObserver | null {
  const prev = observer;
  observer = o;
  return prev;
}

/**
 * CPU time (ms) the hub tasklet lets pass between event-loop turns while tasklets stay
 * runnable. 0 = a turn every ring round (lowest I/O latency, most overhead). Default 1.
 */
export function setLoopBudget(ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`setLoopBudget(ms) needs ms >= 0, got ${ms}`);
  const prev = loopBudgetMs;
  loopBudgetMs = ms;
  return prev;
}

/** Number of tasklets waiting for the next event-loop turn. Caller: ioStats(). */
export function turnWaiterCount(): number {
  return turnWaiters.length;
}

/** A settled promise: `.then(restart)` queues a bare V8 microtask (queueMicrotask() also
 * creates an AsyncResource and a bound function per call: ~0.5 KB and measurable CPU per
 * wake-up on a connection-per-request server). */
const SETTLED = Promise.resolve();

/** Caller: core's append() (via sched.wakeHook) when a tasklet becomes runnable while idle. */
function onWake(): void {
  if (yielded || restartQueued) return;
  restartQueued = true;
  void SETTLED.then(restart);
}

/** Restart the trampoline if the scheduler is idle and something is runnable. */
function restart(): void {
  const s = sched;
  if (s.mode !== 'idle' || yielded || s.head === null) {
    restartQueued = false;
    return;
  }
  lastTurn = performance.now();
  // restartQueued stays true while the hub tasklet is appended (the scheduler is still
  // idle), so that its wake-up does not queue a second, useless restart
  if (active) wakeHub();
  restartQueued = false;
  drive();
}

function drive(): void {
  if (observer !== null) observer.started();
  try {
    resumeFromIdle();
  } finally {
    if (observer !== null) observer.returned();
  }
}

const turnOwner: WaitOwner = {
  detach(w: Waiter): void {
    const i = turnWaiters.indexOf(w);
    if (i >= 0) turnWaiters.splice(i, 1);
  },
};

function onTurn(): void {
  turnArmed = false;
  yielded = false;
  lastTurn = performance.now();
  const list = turnWaiters.splice(0);
  restartQueued = true; // restarted right below, not in a microtask
  for (const w of list) w.wake(undefined);
  restart();
}

/**
 * Let the event loop run one turn (pending I/O callbacks, timers due, setImmediate), then
 * continue. The caller goes behind the tasklets that were runnable. This is sleep(0).
 */
export function nextTurn(): Op<void> {
  return launch(new TurnOp());
}

class TurnOp extends Op<void> {
  protected start(): typeof SUSPEND {
    const t = sched.current;
    const w = new Waiter('loop', 'the next event-loop turn', true, turnOwner);
    if (t._next !== t && sched.main._frame !== null) {
      w.parkCurrentAndReturnToLoop();
      yielded = true;
    } else {
      w.parkCurrent();
    }
    turnWaiters.push(w);
    if (!turnArmed) {
      turnArmed = true;
      setImmediate(onTurn);
    }
    return SUSPEND;
  }
  toString(): string {
    return 'sleep(0)';
  }
}

// ---- the hub tasklet ---------------------------------------------------------------------

function* hubLoop(): Generator<Trap, void, unknown> {
  const me = sched.current;
  for (;;) {
    if (me._next === me) {
      try {
        yield* launch(dormantOp);
      } catch (e) {
        // Last runnable, nothing external pending and main blocked: leave, so that main
        // gets its DeadlockError from the scheduler's death path.
        if (e instanceof DeadlockError) return;
        throw e;
      }
    } else if (performance.now() - lastTurn >= loopBudgetMs) {
      yield* nextTurn();
    } else {
      yield* schedule();
    }
  }
}

/** Reused for the dormant periods of the hub tasklet: internal normally, external while a
 * scoped Timeout is armed (its timer can still interrupt a tasklet blocked on a channel, so
 * that is not a deadlock). */
const dormantWaiter = new Waiter('hub', 'dormant until a tasklet is runnable', false, null);
const dormantTimeoutWaiter = new Waiter('hub', 'dormant; a Timeout is armed', true, null);
let armedTimeouts = 0;

/**
 * A scoped Timeout was armed (+1) or disarmed/fired (-1). Under main(), the dormant hub
 * tasklet re-parks with the right kind of wait, so deadlock detection knows about armed
 * timeouts. Caller: Timeout.
 */
export function timeoutArmed(delta: 1 | -1): void {
  armedTimeouts += delta;
  const w = hubWaiter;
  if (w !== null && w.external !== armedTimeouts > 0) wakeHub();
}

class DormantOp extends Op<void> {
  protected start(): typeof SUSPEND {
    const w = armedTimeouts > 0 ? dormantTimeoutWaiter : dormantWaiter;
    w.parkCurrent();
    hubWaiter = w;
    return SUSPEND;
  }
  protected override resume(): void {
    hubWaiter = null;
  }
  protected override resumeThrow(): void {
    hubWaiter = null;
  }
  toString(): string {
    return 'hub dormant';
  }
}
/** Reused (relaunched) for every dormant period: one hub tasklet, one dormant wait at a time. */
const dormantOp = new DormantOp();

/** Put the hub tasklet back in the ring (main() only). Caller: restart, spawn. */
export function wakeHub(): void {
  if (!active || ending) return;
  if (hubWaiter !== null) {
    const w = hubWaiter;
    hubWaiter = null;
    w.wake(undefined);
  } else if (hubTasklet === null || !hubTasklet.alive) {
    hubTasklet = new Tasklet(hubLoop, undefined, { name: 'io-hub' }).setup();
  }
}

/** The hub tasklet (null outside main()). */
export function getHubTasklet(): Tasklet | null {
  return hubTasklet;
}

/** Assert the hub's invariants (tests). */
export function checkHubInvariants(): void {
  if (yielded && !turnArmed) throw new Error('hub: yielded without an armed turn');
  for (const w of turnWaiters) if (w.status !== 'waiting' || w.kind !== 'loop') throw new Error(`hub: bad turn waiter ${w}`);
  if (!active && hubTasklet !== null) throw new Error('hub: hub tasklet outside main()');
  if (ending && !active) throw new Error('hub: ending outside main()');
  if (hubWaiter !== null && (hubWaiter.status !== 'waiting' || hubWaiter.tasklet !== hubTasklet))
    throw new Error('hub: dormant waiter does not hold the hub tasklet');
  if (armedTimeouts < 0) throw new Error('hub: negative armed timeouts');
}

// ---- spawn and main ------------------------------------------------------------------------

/**
 * Start `fn(...args)` as a new tasklet (appended to the run ring) that the hub knows:
 * tasklets() lists it and main() kills it if it is still alive when main's body ends.
 */
export function spawn<A extends unknown[]>(
  fn: (...args: A) => Generator<Trap, unknown, unknown>,
  ...args: A
): Tasklet<A> {
  const t = new Tasklet<A>(fn).setup(...args);
  track(t);
  wakeHub();
  return t;
}

/** Like spawn(), with a name for tasklets(), stall reports and errors. */
export function spawnNamed<A extends unknown[]>(
  name: string,
  fn: (...args: A) => Generator<Trap, unknown, unknown>,
  ...args: A
): Tasklet<A> {
  const t = new Tasklet<A>(fn, undefined, { name }).setup(...args);
  track(t);
  wakeHub();
  return t;
}

/**
 * Run `body` as the main tasklet with the event loop integrated: tasklets may sleep, wait
 * for promises and do socket I/O; the process stays alive while they wait. Resolves with
 * body's result (rejects with its error) once the body has ended, every other tasklet
 * the hub knows (spawned, waiting on I/O, runnable) has been killed (their `finally` blocks
 * run) and every socket and server still open has been closed, so nothing keeps the
 * process alive. A main blocked on a channel or primitive
 * with nothing runnable and no I/O pending gets a DeadlockError that names the blocked
 * tasklets.
 */
export function main<R>(body: () => Generator<Trap, R, unknown>): Promise<R> {
  if (active) return Promise.reject(new UsageError('main() is already running: start more tasklets with spawn()'));
  if (typeof body !== 'function') return Promise.reject(new TypeError('main(body) needs a generator function'));
  active = true;
  lastTurn = performance.now();
  const wrapped = function* (): Generator<Trap, R, unknown> {
    wakeHub();
    try {
      return yield* body();
    } catch (e) {
      if (e instanceof DeadlockError) nameWaiters(e);
      throw e;
    } finally {
      ending = true; // the hub tasklet is not brought back while main() cleans up
      yield* shutdown();
      for (const r of closeAllResources()) if (r.afterClose !== undefined) yield* r.afterClose();
    }
  };
  let p: Promise<R>;
  try {
    if (observer !== null) observer.started();
    p = runMainAsync(wrapped);
  } catch (e) {
    active = false;
    return Promise.reject(e);
  } finally {
    if (observer !== null) observer.returned();
  }
  return p.then(
    (v) => {
      finish();
      return v;
    },
    (e: unknown) => {
      finish();
      throw e;
    },
  );
}

function finish(): void {
  active = false;
  ending = false;
  hubTasklet = null;
  hubWaiter = null;
}

/** Kill every other live tasklet the hub can find. Caller: main()'s body wrapper. */
function* shutdown(): Generator<Trap, void, unknown> {
  for (let round = 0; round < 3; round++) {
    const others = liveTasklets().filter((t) => t !== sched.main && t.alive);
    if (others.length === 0) return;
    for (const t of others) if (t.alive) yield* t.kill();
  }
}

function nameWaiters(e: DeadlockError): void {
  const lines = describeTasklets().filter((i) => i.status === 'blocked' && i.tasklet !== hubTasklet);
  if (lines.length === 0) return;
  const text = '\nBlocked tasklets:\n' + lines.map((i) => `  ${i.tasklet}: ${i.waitingOn}`).join('\n');
  e.message += text;
  if (typeof e.stack === 'string') {
    const nl = e.stack.indexOf('\n    at ');
    e.stack = nl < 0 ? `${e.name}: ${e.message}` : `${e.name}: ${e.message}${e.stack.slice(nl)}`;
  }
}

sched.wakeHook = onWake;
