/**
 * Resource counters of the I/O layer, for leak tests and dashboards (`ioStats()`).
 * Writers: clock.ts (timers), waiter.ts (waits), socket.ts (sockets), server.ts (servers),
 * hub.ts (immediates). Each counter goes up when a resource is created and down exactly
 * once when it is released.
 */
export const stats = {
  /** Armed timers (sleep, timeouts) on the installed clock. */
  timers: 0,
  /** Tasklets parked on an I/O-layer wait (timer, socket, promise, primitive...). */
  waits: 0,
  /** Wrapped sockets not yet closed (client and accepted). */
  sockets: 0,
  /** Listening servers not yet closed. */
  servers: 0,
  /** Child processes started and not yet exited. */
  processes: 0,
};

/** A snapshot of the counters plus derived ones (see ioStats()). */
export interface IoStats {
  timers: number;
  waits: number;
  sockets: number;
  servers: number;
  processes: number;
  /** Tasklets waiting for the next event-loop turn (sleep(0), the hub's yield). */
  turns: number;
  /** Live tasklets tasklets() can see, main and the hub tasklet included. */
  tasklets: number;
}
