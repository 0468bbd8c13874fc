import { Channel } from '../core/channel.js';
import { sched } from '../core/scheduler.js';
import type { TaskletStatus } from '../core/status.js';
import type { Tasklet } from '../core/tasklet.js';
import { knownTasklets } from './registry.js';
import { Waiter, type WaitKind } from './waiter.js';

/** One line of tasklets(). */
export interface TaskletInfo {
  readonly tasklet: Tasklet;
  readonly id: number;
  readonly name: string;
  readonly status: TaskletStatus;
  /** What a blocked tasklet waits on ("socket: recv() from 127.0.0.1:5000"), else null. */
  readonly waitingOn: string | null;
  /** The kind of wait: 'channel', 'socket', 'timer', 'promise', ... or null when not blocked. */
  readonly kind: WaitKind | 'channel' | 'other' | null;
}

/**
 * Every live tasklet the runtime can reach: main, the run ring, run() watchdogs, tasklets
 * started with spawn() or parked on an I/O-layer wait, and the queues of every channel one
 * of those is blocked on. (A tasklet created with `new Tasklet` that only ever blocks on a
 * channel nobody else known waits on is invisible: the core keeps no registry.)
 */
export function liveTasklets(): Tasklet[] {
  const out = new Set<Tasklet>();
  const s = sched;
  out.add(s.main);
  if (s.head !== null) {
    let t = s.head;
    do {
      out.add(t);
      t = t._next!;
    } while (t !== s.head);
  }
  for (const w of s.watchdogs) out.add(w);
  if (s.current.alive) out.add(s.current);
  for (const t of knownTasklets()) out.add(t);
  const channels = new Set<Channel<unknown>>();
  for (const t of out) if (t._waitingOn instanceof Channel) channels.add(t._waitingOn);
  for (const ch of channels) for (let t = ch.queue; t !== null; t = t.next) out.add(t);
  return [...out].filter((t) => t.alive);
}

/** tasklets(): name, status and wait of every live tasklet (see liveTasklets). */
export function describeTasklets(): TaskletInfo[] {
  return liveTasklets().map((t) => {
    const w = t._waitingOn;
    const kind = w === null ? null : w instanceof Channel ? 'channel' : w instanceof Waiter ? w.kind : 'other';
    return { tasklet: t, id: t.id, name: t.name, status: t.status, waitingOn: w === null ? null : t.waitReason, kind };
  });
}

/** A printable table of tasklets() (one line each). */
export function formatTasklets(list: readonly TaskletInfo[] = describeTasklets()): string {
  return list.map((i) => `${i.tasklet} ${i.status}${i.waitingOn === null ? '' : ` — ${i.waitingOn}`}`).join('\n');
}
