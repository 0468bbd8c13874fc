import { UsageError } from '../core/errors.js';
import { canWaitForIo, wakeFromEventLoop } from '../core/main.js';

/**
 * Restarting the scheduler from a Node event-loop callback (a socket's 'data', a new
 * connection, a timer) after it made a tasklet runnable: core's wakeFromEventLoop() (the
 * I/O hub restarts it in a microtask when stackless/io is loaded; otherwise it resumes right
 * here). Caller: NetConnection and HttpServer event handlers, last thing.
 */
export function kickScheduler(): void {
  wakeFromEventLoop();
}

/**
 * Servers park tasklets on sockets, which needs a main tasklet that can wait for the event
 * loop: a generator main run by runMainAsync (io's main() uses it). Caller: listen().
 */
export function requireAsyncMain(what: string): void {
  if (!canWaitForIo())
    throw new UsageError(
      `${what} needs the main tasklet to wait for I/O: call it inside main(function* () { ... }) from ` +
        "'stackless/io' or runMainAsync(function* () { ... }) from 'stackless'",
    );
}
