import type { Trap } from '../core/frame.js';
import { GenOp, launch, type Op } from '../core/op.js';
import { sched } from '../core/scheduler.js';
import type { Tasklet } from '../core/tasklet.js';
import { SyncUsageError } from './errors.js';
import { NOT_YET, READY, syncOp, timeoutOf } from './sync-op.js';
import { WaitQueue } from './wait-queue.js';

/**
 * A mutual-exclusion lock owned by the tasklet that acquired it. Not reentrant: acquiring
 * it again from the owner raises SyncUsageError (instead of waiting forever); release by
 * another tasklet raises too. Waiters are served FIFO.
 *
 * Invariants: `owner === null` ⇔ unlocked; the owner is never in the wait queue.
 */
export class Lock {
  owner: Tasklet | null = null;
  private readonly waiters = new WaitQueue();

  /** Take the lock; true, or false after `timeout` ms. */
  acquire(options?: { timeout?: number | null }): Op<boolean> {
    if (this.owner !== null && this.owner === sched.current)
      throw new SyncUsageError(`Lock.acquire(): ${this.owner} already holds this lock (Lock is not reentrant)`);
    return syncOp<boolean>({
      label: 'Lock.acquire()',
      attempt: (retry) => {
        if (this.owner === null && (retry || this.waiters.length === 0)) {
          this.owner = sched.current;
          return true;
        }
        return NOT_YET;
      },
      queue: this.waiters,
      timeoutMs: timeoutOf(options),
      onTimeout: () => false,
      passOn: () => this.passOn(),
    });
  }

  /** Release; only the owner may. */
  release(): void {
    if (this.owner === null) throw new SyncUsageError('Lock.release(): the lock is not held');
    if (this.owner !== sched.current)
      throw new SyncUsageError(`Lock.release(): held by ${this.owner}, not by ${sched.current}; release from the owner`);
    this.owner = null;
    this.passOn();
  }

  /** Run `body` holding the lock. */
  run<R>(body: () => Generator<Trap, R, unknown>): Op<R> {
    const self = this;
    return launch(
      new GenOp<R>('Lock.run()', function* () {
        yield* self.acquire();
        try {
          return yield* body();
        } finally {
          self.release();
        }
      }),
    );
  }

  get locked(): boolean {
    return this.owner !== null;
  }

  private passOn(): void {
    if (this.owner === null) this.waiters.wakeOne(READY);
  }

  checkInvariants(): void {
    this.waiters.checkInvariants();
    for (const w of this.waiters) if (w.tasklet === this.owner) throw new Error('Lock: owner waits on its own lock');
  }
}
