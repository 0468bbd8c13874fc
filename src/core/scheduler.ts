import { InternalError } from './errors.js';
import type { Tasklet } from './tasklet.js';

/**
 * Who drives the trampoline right now:
 *  - 'plain'   the frameless main tasklet is current: plain JavaScript is running (a script's
 *              top level, or a timer callback). Operations created now execute at once.
 *  - 'running' the trampoline is resuming tasklet frames. Operations are lazy: they act when
 *              a tasklet delegates to them with `yield*`.
 *  - 'idle'    every tasklet waits; at least one waits on something external (I/O). The
 *              trampoline has returned to the event loop; `resumeFromIdle()` restarts it.
 */
export type DriveMode = 'plain' | 'running' | 'idle';

/**
 * How the main tasklet is driven:
 *  - 'plain' main is the script's own code (no main body is running);
 *  - 'sync'  runMain() runs main's generator body and returns synchronously;
 *  - 'async' runMainAsync() runs it and returns a Promise: the only form in which the
 *            scheduler may go idle and wait for the event loop (I/O).
 */
export type MainDriver = 'plain' | 'sync' | 'async';

export type ScheduleCallback = (prev: Tasklet | null, next: Tasklet) => void;
export type ChannelCallback = (
  channel: unknown,
  tasklet: Tasklet,
  sending: boolean,
  willBlock: boolean,
) => void;
export type ErrorHandler = (error: unknown, tasklet: Tasklet) => void;

/**
 * The per-thread scheduler state (one instance per JS realm: each worker thread has its
 * own). Field writers are named; everything here is internal to src/core.
 *
 * Invariants:
 *  - The run ring is a circular doubly-linked list through `_next`/`_prev` holding exactly
 *    the tasklets whose status is 'scheduled' or 'current'; `runcount` is its length.
 *  - `head` is null iff `runcount === 0`; otherwise it is in the ring.
 *  - When `mode !== 'idle'`, `current === head` and `current._status === 'current'`.
 *  - At most one tasklet has status 'current', and it is `current`.
 *  - `watchdogs` holds distinct alive tasklets, innermost last (the callers of `run()`).
 *  - `externalWaits` equals the number of tasklets blocked on an external Waitable.
 *  - `switchTrap >= 0`.
 */
export class Scheduler {
  /** The thread's main tasklet. Written once, by tasklet.ts when the module loads. */
  main!: Tasklet;
  /** The running tasklet (in 'idle' mode: the blocked tasklet the thread waits in).
   * Writer: ring.switchTo, lifecycle idle entry. */
  current!: Tasklet;
  /** Ring anchor: `append` links before it. Writer: ring.ts only. */
  head: Tasklet | null = null;
  /** Number of tasklets in the ring. Writer: ring.ts only. */
  runcount = 0;
  /** `run()` callers, innermost last. Writer: RunOp and lifecycle. */
  watchdogs: Tasklet[] = [];
  /** Writer: switchTrap(). */
  switchTrap = 0;
  /** Writer: drive(), performNow(), park (idle entry). */
  mode: DriveMode = 'plain';
  /** Writer: main.ts (runMain, runMainAsync and the end of main's body). */
  mainDriver: MainDriver = 'plain';
  /** Tasklets blocked on external waitables. Writer: park/unpark/cancel. */
  externalWaits = 0;
  /** Set while a schedule/channel callback or the error handler runs. Writer: callbacks.ts, lifecycle.ts. */
  inCallback: 'schedule' | 'channel' | 'error' | null = null;
  /** The most recent lazily created operation that has not started yet (forgotten-yield*
   * detection). Writer: launch() and Op.next. */
  unstarted: object | null = null;
  /** Called when a tasklet becomes runnable while idle (set by the I/O layer). */
  wakeHook: (() => void) | null = null;
  /** Writer: setScheduleCallback(). */
  scheduleCallback: ScheduleCallback | null = null;
  /** Writer: setChannelCallback(). */
  channelCallback: ChannelCallback | null = null;
  /** Writer: setErrorHandler(). */
  errorHandler: ErrorHandler | null = null;

  checkInvariants(): void {
    const fail = (what: string): never => {
      throw new InternalError(`scheduler invariant broken: ${what}`);
    };
    if (this.switchTrap < 0) fail('switchTrap < 0');
    if ((this.head === null) !== (this.runcount === 0)) fail('head null iff runcount 0');
    let n = 0;
    let currents = 0;
    if (this.head !== null) {
      let t: Tasklet = this.head;
      do {
        n++;
        if (n > this.runcount) fail(`ring longer than runcount ${this.runcount}`);
        if (t._status !== 'scheduled' && t._status !== 'current')
          fail(`${t} in ring with status ${t._status}`);
        if (t._status === 'current') currents++;
        const nx: Tasklet | null = t._next;
        if (nx === null || nx._prev !== t) fail(`ring links broken at ${t}`);
        t = nx!;
      } while (t !== this.head);
    }
    if (n !== this.runcount) fail(`ring has ${n} tasklets, runcount is ${this.runcount}`);
    if (this.mode !== 'idle') {
      if (this.current !== this.head) fail('current is not the ring head');
      if (this.current._status !== 'current') fail(`current ${this.current} has status ${this.current._status}`);
      if (currents !== 1) fail(`${currents} tasklets with status current`);
    }
    const seen = new Set<Tasklet>();
    for (const w of this.watchdogs) {
      if (seen.has(w)) fail(`${w} twice on the watchdog stack`);
      seen.add(w);
      if (!w.alive) fail(`dead watchdog ${w}`);
    }
  }
}

/** This thread's scheduler. */
export const sched = new Scheduler();
