import { sched } from './scheduler.js';
import type { Tasklet } from './tasklet.js';
import { callScheduleCallback } from './callbacks.js';

/**
 * The run ring (Stackless's runqueue): a circular doubly-linked list whose head is the
 * current tasklet. "Insert" links a tasklet just before the head, i.e. at the tail, so it
 * runs last. "Switch to X" makes X the head; everything keeps its ring position.
 *
 * These functions are the only writers of `_next`/`_prev` for the ring and of the
 * 'scheduled'/'current'/'paused' statuses that ring membership implies.
 */

/** Caller: anyone making an alive tasklet runnable. Requires: `t` is in no queue. */
export function append(t: Tasklet): void {
  const s = sched;
  const head = s.head;
  if (head === null) {
    t._next = t;
    t._prev = t;
    s.head = t;
  } else {
    const tail = head._prev!;
    t._prev = tail;
    t._next = head;
    tail._next = t;
    head._prev = t;
  }
  t._status = 'scheduled';
  s.runcount++;
  if (s.mode === 'idle' && s.wakeHook !== null) s.wakeHook();
}

/**
 * Caller: remove(), scheduleRemove(), run(), switch(), park(), death. Requires: `t` is in
 * the ring. Leaves `t` 'paused'; if it was the head, the head moves to its successor. The
 * caller must then switchTo() a new current if `t` was current.
 */
export function unlink(t: Tasklet): void {
  const s = sched;
  const next = t._next!;
  if (next === t) {
    s.head = null;
  } else {
    const prev = t._prev!;
    prev._next = next;
    next._prev = prev;
    if (s.head === t) s.head = next;
  }
  t._next = null;
  t._prev = null;
  t._status = 'paused';
  s.runcount--;
}

/**
 * Make `next` the running tasklet. Caller: an operation (after its switch-trap check) or
 * the death path. `next` must be alive; if it is paused it is appended first, if it is
 * blocked its wait is cancelled first. Calls the schedule callback (with `getCurrent()`
 * still returning the previous tasklet) unless `next` is already current.
 */
export function switchTo(next: Tasklet): void {
  const s = sched;
  const prev = s.current;
  if (next._status === 'blocked') {
    cancelWait(next);
    append(next);
  } else if (next._status === 'paused') {
    append(next);
  }
  if (prev !== next && s.scheduleCallback !== null) callScheduleCallback(prev, next);
  if (prev._status === 'current') prev._status = 'scheduled';
  s.head = next;
  s.current = next;
  next._status = 'current';
}

/**
 * Caller: switchTo() and kill/throw of a blocked tasklet. Detaches `t` from what it waits
 * on, leaving it 'paused'.
 */
export function cancelWait(t: Tasklet): void {
  const w = t._waitingOn!;
  w.cancelWait(t);
  if (w.external) sched.externalWaits--;
  t._waitingOn = null;
  t._next = null;
  t._prev = null;
  t._status = 'paused';
}
