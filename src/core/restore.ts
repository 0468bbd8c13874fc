import { InternalError } from './errors.js';
import type { Frame } from './frame.js';
import { sched } from './scheduler.js';
import { Tasklet } from './tasklet.js';
import type { Channel } from './channel.js';

/**
 * Seams for the pickler: read a tasklet's or channel's state, and rebuild them. Restored
 * tasklets come back alive and paused (Stackless's rule), or blocked in a restored channel's
 * queue in their original order. Caller: src/pickle only.
 */

export interface TaskletState {
  readonly status: 'new' | 'paused' | 'blocked' | 'dead';
  /** Frames bottom first (empty when not started). */
  readonly frames: readonly Frame[];
  readonly tempval: unknown;
  /** Function and arguments of a tasklet that has not started yet. */
  readonly entry: { readonly fn: (...a: never[]) => unknown; readonly args: readonly unknown[] } | null;
  readonly atomic: boolean;
  readonly blockTrap: boolean;
  readonly name: string | null;
}

/** Snapshot a tasklet's state. Refuses the current tasklet (Stackless's rule). */
export function taskletState(t: Tasklet): TaskletState {
  if (t._status === 'current')
    throw new Error('You cannot __reduce__ the tasklet which is current. (pickle it from another tasklet)');
  const frames: Frame[] = t._frame === null ? [] : [...(t._stack ?? []), t._frame];
  const st = t._status;
  return {
    status: st === 'scheduled' ? 'paused' : st === 'blocked' ? 'blocked' : st === 'new' ? 'new' : st === 'dead' ? 'dead' : 'paused',
    frames,
    tempval: t._tempval,
    entry: typeof t._entry === 'function' ? { fn: t._entry, args: [] } : t._entry,
    atomic: t.atomic,
    blockTrap: t.blockTrap,
    name: t._label,
  };
}

/**
 * Build a tasklet from a snapshot, or fill `into` (a fresh tasklet made earlier, e.g. so that
 * references to it from its own frames could resolve while they were read). A 'blocked'
 * snapshot is returned paused: put it in its channel with `restoreChannel`. Scheduled
 * tasklets come back paused (insert() them).
 */
export function restoreTasklet(st: TaskletState, into?: Tasklet): Tasklet {
  let t: Tasklet;
  if (into === undefined) {
    t = new Tasklet(null, undefined, st.name === null ? undefined : { name: st.name });
  } else {
    t = into;
    if (t._status !== 'new' || t._frame !== null || t._entry !== null)
      throw new InternalError(`restoreTasklet: ${t} is not a fresh tasklet`);
    if (st.name !== null) t._label = st.name;
  }
  if (st.status === 'new' || st.status === 'dead') {
    t._status = st.status;
    t._tempval = st.status === 'new' ? st.tempval : undefined;
    return t;
  }
  if (st.frames.length > 0) {
    t._frame = st.frames[st.frames.length - 1]!;
    t._stack = st.frames.length > 1 ? st.frames.slice(0, -1) : null;
  } else if (st.entry !== null) {
    t._entry = { fn: st.entry.fn, args: [...st.entry.args] };
  } else {
    throw new InternalError('restoreTasklet: an alive tasklet needs frames or an entry');
  }
  t._tempval = st.tempval;
  t.setAtomic(st.atomic);
  t.blockTrap = st.blockTrap;
  t._status = 'paused';
  return t;
}

export interface ChannelState {
  readonly balance: number;
  readonly preference: -1 | 0 | 1;
  readonly scheduleAll: boolean;
  readonly closing: boolean;
  readonly name: string | null;
  /** Blocked tasklets in FIFO order (senders if balance > 0, receivers if < 0). */
  readonly queue: readonly Tasklet[];
}

export function channelState(ch: Channel<unknown>): ChannelState {
  const queue: Tasklet[] = [];
  for (let t = ch._head; t !== null; t = t._next) queue.push(t);
  return {
    balance: ch._balance,
    preference: ch._preference,
    scheduleAll: ch._scheduleAll,
    closing: ch._closing,
    name: ch.name,
    queue,
  };
}

/**
 * Fill an empty channel with restored state; each queued tasklet (restored, paused) is
 * linked in as blocked, in order, keeping its tempval (a sender's value in flight).
 */
export function restoreChannel(ch: Channel<unknown>, st: ChannelState): void {
  if (ch._head !== null || ch._balance !== 0) throw new InternalError('restoreChannel needs an empty channel');
  if (Math.abs(st.balance) !== st.queue.length) throw new InternalError('restoreChannel: balance does not match the queue');
  ch._preference = st.preference;
  ch._scheduleAll = st.scheduleAll;
  ch._closing = st.closing;
  ch.name = st.name;
  const dir = st.balance > 0 ? 1 : -1;
  let prev: Tasklet | null = null;
  for (const t of st.queue) {
    if (t._status !== 'paused') throw new InternalError(`restoreChannel: ${t} is ${t._status}, expected paused`);
    t._status = 'blocked';
    t._waitingOn = ch;
    t._prev = prev;
    t._next = null;
    if (prev === null) ch._head = t;
    else prev._next = t;
    prev = t;
    ch._balance += dir;
  }
  ch._tail = prev;
  void sched;
}
