import { Bomb } from '../core/bomb.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { TimeoutError } from './timeout.js';
import { Waiter } from './waiter.js';

/**
 * Block the current tasklet until `promise` settles: returns its value, or raises its
 * rejection in the tasklet. `{ timeout }` raises TimeoutError after that many ms (the
 * promise itself keeps running; its late result is dropped). Killing the waiting tasklet
 * drops the result too.
 */
export function wait<T>(promise: PromiseLike<T> | T, options?: { timeout?: number | null }): Op<Awaited<T>> {
  return launch(new PromiseOp<Awaited<T>>(promise, options?.timeout ?? null));
}

class PromiseOp<T> extends Op<T> {
  constructor(
    private readonly promise: unknown,
    private readonly timeout: number | null,
  ) {
    super();
  }
  protected start(): typeof SUSPEND {
    const w = new Waiter('promise', 'a promise', true, null);
    const ms = this.timeout;
    w.parkCurrent(ms, () => new Bomb(new TimeoutError(`wait(promise) timed out after ${ms} ms`, ms)));
    Promise.resolve(this.promise).then(
      (v) => w.wake(v),
      (e: unknown) => w.fail(e),
    );
    return SUSPEND;
  }
  toString(): string {
    return 'wait(promise)';
  }
}
