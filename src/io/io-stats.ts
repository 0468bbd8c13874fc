import { turnWaiterCount } from './hub.js';
import { liveTasklets } from './inspect.js';
import { stats, type IoStats } from './stats.js';

/** Resource counts for leak checks: `assert.deepEqual(ioStats(), before)`. */
export function ioStats(): IoStats {
  return {
    timers: stats.timers,
    waits: stats.waits,
    sockets: stats.sockets,
    servers: stats.servers,
    processes: stats.processes,
    turns: turnWaiterCount(),
    tasklets: liveTasklets().length,
  };
}
