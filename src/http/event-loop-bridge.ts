import { UsageError } from '../core/errors.js';
import { onMainEnded } from '../core/lifecycle.js';
import { resumeFromIdle } from '../core/main.js';
import { sched } from '../core/scheduler.js';

/**
 * Restarting the scheduler from a Node event-loop callback (a socket's 'data', a new
 * connection, a timer) after it made a tasklet runnable.
 *
 * If a wake hook is installed (stackless/io installs its hub as core's `wakeHook` when it
 * loads), core already called it when the tasklet was appended and the hub restarts the
 * trampoline in a microtask; nothing to do here. With no hook the trampoline is resumed
 * right here, synchronously (the callback has finished its own bookkeeping by then). Caller: NetConnection and HttpServer event handlers, last thing.
 */
export function kickScheduler(): void {
  const s = sched;
  if (s.mode === 'idle' && s.wakeHook === null && s.head !== null) resumeFromIdle();
}

/**
 * Servers park tasklets on sockets, which needs a main tasklet that can wait for the event
 * loop: a generator main run by runMainAsync (core's main-ended listener is installed only
 * then; io's main() uses runMainAsync). Proposed core seam: `canWaitForIo()`.
 * Caller: listen().
 */
export function requireAsyncMain(what: string): void {
  const s = sched;
  if (s.main._frame === null || onMainEnded === null)
    throw new UsageError(
      `${what} needs the main tasklet to wait for I/O: call it inside main(function* () { ... }) from ` +
        "'stackless/io' or runMainAsync(function* () { ... }) from 'stackless'",
    );
}
