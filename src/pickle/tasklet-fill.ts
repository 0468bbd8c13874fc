import type { Channel } from '../core/channel.js';
import { InternalError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Tasklet } from '../core/tasklet.js';

/** What unpickle() knows about a tasklet once its contents are built. */
export interface TaskletFill {
  readonly status: 'new' | 'paused' | 'blocked' | 'dead';
  readonly frames: readonly Frame[];
  readonly tempval: unknown;
  readonly entry: { readonly fn: (...a: never[]) => unknown; readonly args: readonly unknown[] } | null;
  readonly atomic: boolean;
  readonly blockTrap: boolean;
  readonly name: string | null;
  readonly channel: Channel<unknown> | null;
}

/**
 * Give a tasklet shell (made by `restoreTasklet` with status 'new', so that references to it
 * from its own frames resolve while it is being read) its restored state. This is
 * `restoreTasklet`'s logic applied to an existing object: alive tasklets come back paused (a
 * blocked one is linked into its channel afterwards by `restoreChannel`). Core needs a
 * `restoreTasklet(st, into)` seam to make this unnecessary (see src/pickle/README.md).
 * Caller: the decoder, after the whole graph is built.
 */
export function fillTasklet(t: Tasklet, st: TaskletFill): void {
  if (t._status !== 'new' || t._frame !== null) throw new InternalError('fillTasklet needs a fresh shell');
  if (st.name !== null) t.name = st.name;
  if (st.status === 'new') {
    t._tempval = st.tempval;
    return;
  }
  if (st.status === 'dead') {
    t._status = 'dead';
    t._tempval = undefined;
    return;
  }
  if (st.frames.length > 0) {
    t._frame = st.frames[st.frames.length - 1]!;
    t._stack = st.frames.length > 1 ? st.frames.slice(0, -1) : null;
  } else if (st.entry !== null) {
    t._entry = { fn: st.entry.fn, args: [...st.entry.args] };
  } else {
    throw new InternalError('fillTasklet: an alive tasklet needs frames or an entry');
  }
  t._tempval = st.tempval;
  t.setAtomic(st.atomic);
  t.blockTrap = st.blockTrap;
  t._status = 'paused';
}
