import { UsageError } from './errors.js';
import { isFrame, type Trap } from './frame.js';
import { setOnMainEnded, takeMainOutcome, type MainOutcome } from './lifecycle.js';
import { switchTo } from './ring.js';
import { sched } from './scheduler.js';
import { drive } from './trampoline.js';

/**
 * The main tasklet's two forms.
 *
 *  - Plain code: a script's top level *is* the main tasklet. Operations it creates execute at
 *    once (`run()`, `t.kill()`, `ch.send(x)`), running other tasklets on the JS stack until
 *    main may continue; results are in `op.value`. Plain main cannot wait for I/O.
 *  - `runMain(function* () { ... })`: main's body is a generator, so main blocks like any
 *    tasklet (`yield* ch.receive()`), receives propagated errors at its `yield*`, and gets
 *    Deadlock errors. `runMainAsync` does the same and also waits for I/O (it returns a
 *    Promise settled when main's body ends).
 */

function startMain(fn: () => Generator<Trap, unknown, unknown>, driver: 'sync' | 'async'): void {
  const s = sched;
  if (s.mode !== 'plain' || s.current !== s.main || s.main._frame !== null)
    throw new UsageError('runMain() must be called from plain code while no main body is running (not from a tasklet)');
  if (typeof fn !== 'function') throw new TypeError('runMain(fn) needs a generator function');
  const gen = fn();
  if (!isFrame(gen)) throw new TypeError('runMain(fn) needs a generator function (function*)');
  s.main._frame = gen;
  s.mainDriver = driver;
}

/**
 * Run `body` as the main tasklet's generator and return its result (or throw its error).
 * Main cannot wait for I/O here: a tasklet that would wait for I/O with nothing else
 * runnable gets DeadlockError (saying to use runMainAsync), and nothing changes.
 */
export function runMain<R>(body: () => Generator<Trap, R, unknown>): R {
  startMain(body, 'sync');
  try {
    drive();
  } finally {
    sched.mainDriver = 'plain';
  }
  if (sched.mode === 'idle')
    throw new UsageError('runMain(): every tasklet waits for I/O; use runMainAsync() to let the event loop run');
  return unwrap(takeMainOutcome()!) as R;
}

/**
 * Like runMain, but main (and every other tasklet) may wait for I/O: the trampoline returns
 * to the event loop when nothing is runnable and resumes when an external wait completes.
 */
export function runMainAsync<R>(body: () => Generator<Trap, R, unknown>): Promise<R> {
  startMain(body, 'async');
  return new Promise<R>((resolve, reject) => {
    setOnMainEnded((o: MainOutcome) => {
      setOnMainEnded(null);
      sched.mainDriver = 'plain';
      if (o.failed) reject(o.error);
      else resolve(o.value as R);
    });
    try {
      drive();
    } catch (e) {
      setOnMainEnded(null);
      sched.mainDriver = 'plain';
      reject(e);
    }
  });
}

/**
 * True while main's body runs under runMainAsync(): only then may the scheduler go idle and
 * tasklets wait for the event loop (I/O). Caller: higher layers that park tasklets on I/O
 * and want to refuse early with a clear message (e.g. a server's listen()).
 */
export function canWaitForIo(): boolean {
  return sched.mainDriver === 'async';
}

/**
 * How many tasklets are parked on an external wait (I/O, a timer, a promise: anything that
 * can wake them from the event loop, `Waitable.external`). 0 means nothing outside the
 * scheduler can make a tasklet runnable again. Caller: higher layers that drive tasklets to
 * completion and must tell "waiting for I/O" from "done or deadlocked" (pickle's resume).
 */
export function pendingExternalWaits(): number {
  return sched.externalWaits;
}

/**
 * Restart the scheduler from an event-loop callback (a socket's data, a timer) that made
 * tasklets runnable. If a wake hook is installed (the I/O hub), it was already told when the
 * tasklet was appended and schedules the restart itself; otherwise the trampoline resumes
 * here, synchronously. Caller: higher layers' event-loop callbacks, as their last step.
 */
export function wakeFromEventLoop(): void {
  const s = sched;
  if (s.mode === 'idle' && s.wakeHook === null && s.head !== null) resumeFromIdle();
}

/**
 * Restart the trampoline after the scheduler went idle and some tasklet became runnable.
 * Caller: higher layers (the I/O hub) after unparking tasklets from an event-loop callback.
 */
export function resumeFromIdle(): void {
  const s = sched;
  if (s.mode !== 'idle' || s.head === null) return;
  s.mode = 'running';
  switchTo(s.head);
  drive();
}

function unwrap(o: MainOutcome): unknown {
  if (o.failed) throw o.error;
  return o.value;
}
