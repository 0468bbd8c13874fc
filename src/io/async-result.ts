import { Bomb } from '../core/bomb.js';
import { UsageError } from '../core/errors.js';
import type { Op } from '../core/op.js';
import { NOT_YET, READY as READY_TOKEN, syncOp, timeoutOf } from './sync-op.js';
import { TimeoutError } from './timeout.js';
import { WaitQueue } from './wait-queue.js';

/**
 * A value that will be available later (gevent.event.AsyncResult; also exported as Future):
 * one set() or setException(), any number of get()s.
 *
 * Invariants: status 'pending' → 'done' | 'failed', once; nobody waits unless 'pending'.
 */
export class AsyncResult<T> {
  status: 'pending' | 'done' | 'failed' = 'pending';
  private _value: T | undefined = undefined;
  private _error: unknown = undefined;
  private readonly waiters = new WaitQueue();
  private readonly external: boolean;

  /** `external`: it is settled from event-loop callbacks (I/O), so waiting on it is pending
   * I/O for deadlock detection, not a deadlock. */
  constructor(options?: { external?: boolean }) {
    this.external = options?.external === true;
  }

  set(value: T): void {
    this.settle('done', value, undefined);
  }
  setException(error: unknown): void {
    this.settle('failed', undefined, error);
  }
  get ready(): boolean {
    return this.status !== 'pending';
  }
  get successful(): boolean {
    return this.status === 'done';
  }
  /** The value if done, else undefined. */
  get value(): T | undefined {
    return this._value;
  }
  /** The error if failed, else undefined. */
  get exception(): unknown {
    return this._error;
  }

  /** The value (waits until available); raises the error if it failed; TimeoutError after `timeout`. */
  get(options?: { timeout?: number | null }): Op<T> {
    const ms = timeoutOf(options);
    return syncOp<T>({
      label: 'AsyncResult.get()',
      attempt: () => {
        if (this.status === 'done') return this._value as T;
        if (this.status === 'failed') throw this._error;
        return NOT_YET;
      },
      queue: this.waiters,
      timeoutMs: ms,
      external: this.external,
      onTimeout: () => new Bomb(new TimeoutError(`AsyncResult.get() timed out after ${ms} ms`, ms)),
      passOn: () => {},
    });
  }

  /** Wait until ready without raising; true if ready, false after `timeout`. */
  wait(options?: { timeout?: number | null }): Op<boolean> {
    return syncOp<boolean>({
      label: 'AsyncResult.wait()',
      attempt: () => (this.status === 'pending' ? NOT_YET : true),
      queue: this.waiters,
      timeoutMs: timeoutOf(options),
      external: this.external,
      onTimeout: () => false,
      passOn: () => {},
    });
  }

  checkInvariants(): void {
    this.waiters.checkInvariants();
    if (this.status !== 'pending' && this.waiters.length > 0) throw new Error(`AsyncResult ${this.status} with waiters`);
  }

  private settle(status: 'done' | 'failed', value: T | undefined, error: unknown): void {
    if (this.status !== 'pending')
      throw new UsageError(`AsyncResult is already ${this.status}: set()/setException() may be called once`);
    this.status = status;
    this._value = value;
    this._error = error;
    this.waiters.wakeAll(READY_TOKEN);
  }
}

/** gevent's name for the same thing. */
export { AsyncResult as Future };
