import type { Channel } from '../core/channel.js';
import { restoreTasklet, type TaskletState } from '../core/restore.js';
import type { Tasklet } from '../core/tasklet.js';

/** What unpickle() knows about a tasklet once its contents are built: core's snapshot plus its channel. */
export interface TaskletFill extends TaskletState {
  readonly channel: Channel<unknown> | null;
}

/**
 * Give a tasklet shell (made with status 'new', so that references to it from its own frames
 * resolve while it is being read) its restored state through core's restore seam: alive
 * tasklets come back paused (a blocked one is linked into its channel afterwards by
 * `restoreChannel`). Caller: the decoder, after the whole graph is built.
 */
export function fillTasklet(t: Tasklet, st: TaskletFill): void {
  restoreTasklet(st, t);
}
