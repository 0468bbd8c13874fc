import type { Tasklet } from '../core/tasklet.js';

/**
 * The tasklets the I/O layer knows: those started with spawn() and every tasklet that
 * parked on an I/O-layer wait. The core keeps no registry (it would keep dead tasklets
 * alive); this one is pruned of dead tasklets whenever it has doubled since the last
 * sweep, so it costs O(1) amortized per insert and holds at most ~2x the live ones.
 * Writers: track() (spawn, Waiter). Reader: inspect.ts, hub shutdown.
 */
const known = new Set<Tasklet>();
let sweepAt = 1024;

/** Caller: spawn() and Waiter.begin(). */
export function track(t: Tasklet): void {
  if (known.has(t)) return;
  known.add(t);
  if (known.size >= sweepAt) {
    prune();
    sweepAt = Math.max(1024, known.size * 2);
  }
}

/** Drop dead tasklets; return the live ones. */
export function knownTasklets(): Tasklet[] {
  prune();
  return [...known];
}

function prune(): void {
  for (const t of known) if (t.status === 'dead' || t.status === 'new') known.delete(t);
}
