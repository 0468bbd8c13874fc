import { sched, type ChannelCallback, type ErrorHandler, type ScheduleCallback } from './scheduler.js';
import type { Tasklet } from './tasklet.js';

/**
 * Observation hooks: the schedule callback (every real switch), the channel callback (every
 * send/receive, before it acts) and the error handler (uncaught tasklet errors). An error
 * thrown by a callback is reported on stderr and ignored; while a callback runs, operations
 * that would switch or use a channel raise CallbackError.
 */

function checkCallable(cb: unknown, what: string): void {
  if (cb !== null && cb !== undefined && typeof cb !== 'function')
    throw new TypeError(`${what} must be callable (a function, or null to remove it)`);
}

/** Install `cb(prev, next)`, called on every real tasklet switch. Returns the previous one. */
export function setScheduleCallback(cb: ScheduleCallback | null): ScheduleCallback | null {
  checkCallable(cb, 'schedule callback');
  const prev = sched.scheduleCallback;
  sched.scheduleCallback = cb ?? null;
  return prev;
}

export function getScheduleCallback(): ScheduleCallback | null {
  return sched.scheduleCallback;
}

/** Install `cb(channel, tasklet, sending, willBlock)`, called before every channel action. */
export function setChannelCallback(cb: ChannelCallback | null): ChannelCallback | null {
  checkCallable(cb, 'channel callback');
  const prev = sched.channelCallback;
  sched.channelCallback = cb ?? null;
  return prev;
}

export function getChannelCallback(): ChannelCallback | null {
  return sched.channelCallback;
}

/**
 * Install `handler(error, tasklet)`, called in the dying tasklet (getCurrent() is it) for
 * every uncaught error of a non-main tasklet except TaskletExit. Returning normally marks the
 * error handled; throwing sends the new error to the watchdog/main as usual.
 */
export function setErrorHandler(handler: ErrorHandler | null): ErrorHandler | null {
  checkCallable(handler, 'error handler');
  const prev = sched.errorHandler;
  sched.errorHandler = handler ?? null;
  return prev;
}

export function getErrorHandler(): ErrorHandler | null {
  return sched.errorHandler;
}

/** Report an error nobody can receive (Python's "unraisable" hook). */
export function reportUnraisable(context: string, error: unknown): void {
  console.error(`stackless: ${context}:`, error);
}

/** Caller: ring.switchTo, before `current` changes. */
export function callScheduleCallback(prev: Tasklet | null, next: Tasklet): void {
  const s = sched;
  const cb = s.scheduleCallback!;
  s.inCallback = 'schedule';
  try {
    cb(prev, next);
  } catch (e) {
    reportUnraisable('Error in scheduling callback', e);
  } finally {
    s.inCallback = null;
  }
}

/** Caller: Channel actions, after the performer's tempval holds the outgoing value. */
export function callChannelCallback(
  channel: unknown,
  t: Tasklet,
  sending: boolean,
  willBlock: boolean,
): void {
  const s = sched;
  const cb = s.channelCallback!;
  s.inCallback = 'channel';
  try {
    cb(channel, t, sending, willBlock);
  } catch (e) {
    reportUnraisable('Error in channel callback', e);
  } finally {
    s.inCallback = null;
  }
}
