/**
 * A tasklet's life-cycle status: one field, one of these values, and it says where the
 * tasklet is. Only the scheduler's ring, park and life-cycle functions assign it
 * (src/core/ring.ts, src/core/park.ts, src/core/lifecycle.ts, Tasklet.bind).
 *
 *  - 'new'       not alive; no frames. `tempval` may hold a bound function. In no queue.
 *  - 'paused'    alive, in no queue: bound with arguments, removed, switched away from,
 *                `scheduleRemove()`d, or waiting in `run()` as a watchdog.
 *  - 'scheduled' alive, linked in the run ring, not running.
 *  - 'current'   alive, the running tasklet: head of the run ring.
 *  - 'blocked'   alive, waiting on a Waitable (a channel queue, or an I/O wait); not in the
 *                ring. `waitingOn` names what it waits for.
 *  - 'dead'      finished, killed or died of an error; no frames; `tempval` undefined.
 */
export type TaskletStatus = 'new' | 'paused' | 'scheduled' | 'current' | 'blocked' | 'dead';

/** Whether a status counts as alive (has, or is about to have, a frame). */
export function isAliveStatus(s: TaskletStatus): boolean {
  return s !== 'new' && s !== 'dead';
}
