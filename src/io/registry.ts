import type { Tasklet } from '../core/tasklet.js';

/**
 * The tasklets the I/O layer knows: those started with spawn() and every tasklet that
 * parked on an I/O-layer wait. The core keeps no registry (it would keep dead tasklets
 * alive); this one is a plain array (a push per spawned tasklet: a Set insert costs ~5x more,
 * mostly hashing a new object, on a connection-per-request server), pruned of dead tasklets
 * and duplicates whenever it has doubled since the last sweep, so it costs O(1) amortized
 * per insert and holds at most ~2x the live ones.
 * Writers: track() (spawn, Waiter). Reader: inspect.ts, hub shutdown.
 */
let known: Tasklet[] = [];
let sweepAt = 1024;
/** Incremented by every sweep (a tasklet remembered as tracked before it may be gone). */
let epoch = 0;

/** Caller: spawn() and Waiter.begin(). A tasklet may be added twice (the sweep dedups). */
export function track(t: Tasklet): void {
  known.push(t);
  if (known.length >= sweepAt) {
    prune();
    sweepAt = Math.max(1024, known.length * 2);
  }
}

/** The sweep count: a tasklet tracked in the same epoch is still known (a live tasklet is
 * never swept). Caller: Waiter.begin, to skip tracking the tasklet it tracked last time. */
export function trackEpoch(): number {
  return epoch;
}

/** Drop dead tasklets; return the live ones. */
export function knownTasklets(): Tasklet[] {
  prune();
  return known.slice();
}

function prune(): void {
  const seen = new Set<Tasklet>();
  const live: Tasklet[] = [];
  for (const t of known)
    if (t.status !== 'dead' && t.status !== 'new' && !seen.has(t)) {
      seen.add(t);
      live.push(t);
    }
  known = live;
  epoch++;
}
