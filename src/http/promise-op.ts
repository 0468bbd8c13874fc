import { Bomb } from '../core/bomb.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { park, unpark } from '../core/park.js';
import { sched } from '../core/scheduler.js';
import type { Tasklet } from '../core/tasklet.js';
import type { Waitable } from '../core/waitable.js';
import { kickScheduler } from './event-loop-bridge.js';

/**
 * Block the tasklet until a promise settles (the fetch-style adapter awaits user handlers
 * and Response bodies). Works under core's runMainAsync as well as io's main(): it restarts
 * the scheduler itself through kickScheduler(). A killed waiter drops the late result.
 */
export function awaitPromise<T>(p: PromiseLike<T>): Op<T> {
  return launch(new PromiseOp<T>(p));
}

class PromiseOp<T> extends Op<T> implements Waitable {
  readonly external = true;
  /** The parked tasklet; null once woken or cancelled. */
  private waiter: Tasklet | null = null;
  constructor(private readonly p: PromiseLike<T>) {
    super();
  }
  protected start(): typeof SUSPEND {
    const t = sched.current;
    park(t, this);
    this.waiter = t;
    Promise.resolve(this.p).then(
      (v) => this.settle(v),
      (e: unknown) => this.settle(new Bomb(e)),
    );
    return SUSPEND;
  }
  private settle(v: unknown): void {
    const t = this.waiter;
    if (t === null) return;
    this.waiter = null;
    unpark(t, v);
    kickScheduler();
  }
  cancelWait(): void {
    this.waiter = null;
  }
  describeWait(): string {
    return 'waiting for a promise (fetch handler)';
  }
  toString(): string {
    return 'awaitPromise()';
  }
}
