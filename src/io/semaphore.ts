import type { Trap } from '../core/frame.js';
import { GenOp, launch, type Op } from '../core/op.js';
import { SyncUsageError } from './errors.js';
import { NOT_YET, READY, syncOp, timeoutOf } from './sync-op.js';
import { WaitQueue } from './wait-queue.js';

/**
 * A counting semaphore (gevent.lock.Semaphore). acquire() takes a permit or waits (FIFO);
 * release() returns one and wakes the first waiter.
 *
 * Invariants: `value >= 0`; waiters exist only while `value === 0` or a woken waiter has
 * not run yet.
 */
export class Semaphore {
  protected readonly waiters = new WaitQueue();
  constructor(public value = 1) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`Semaphore(value) needs an integer >= 0, got ${value}`);
  }

  /** Take a permit; true, or false after `timeout` ms without one. */
  acquire(options?: { timeout?: number | null }): Op<boolean> {
    return syncOp<boolean>({
      label: `${this.constructor.name}.acquire()`,
      attempt: (retry) => {
        if (this.value > 0 && (retry || this.waiters.length === 0)) {
          this.value--;
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

  /** Take a permit without waiting; false if none is free. */
  tryAcquire(): boolean {
    if (this.value > 0 && this.waiters.length === 0) {
      this.value--;
      return true;
    }
    return false;
  }

  /** Return a permit. */
  release(): void {
    this.value++;
    this.passOn();
  }

  /** Run `body` holding a permit (released even if it raises). */
  run<R>(body: () => Generator<Trap, R, unknown>, options?: { timeout?: number | null }): Op<R> {
    const self = this;
    return launch(
      new GenOp<R>(`${this.constructor.name}.run()`, function* () {
        if (!(yield* self.acquire(options))) throw new SyncUsageError(`${self.constructor.name}.run(): no permit within the timeout`);
        try {
          return yield* body();
        } finally {
          self.release();
        }
      }),
    );
  }

  get locked(): boolean {
    return this.value === 0;
  }
  get waiting(): number {
    return this.waiters.length;
  }

  private passOn(): void {
    if (this.value > 0) this.waiters.wakeOne(READY);
  }

  checkInvariants(): void {
    this.waiters.checkInvariants();
    if (this.value < 0) throw new Error('Semaphore: negative value');
  }
}

/** A Semaphore that refuses to be released more often than acquired. */
export class BoundedSemaphore extends Semaphore {
  readonly initial: number;
  constructor(value = 1) {
    super(value);
    this.initial = value;
  }
  override release(): void {
    if (this.value >= this.initial)
      throw new SyncUsageError(`BoundedSemaphore released too many times (value is already ${this.initial}): release only what you acquired`);
    super.release();
  }
}
