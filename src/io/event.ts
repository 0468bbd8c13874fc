import type { Op } from '../core/op.js';
import { NOT_YET, syncOp, timeoutOf } from './sync-op.js';
import { WaitQueue } from './wait-queue.js';

/**
 * A flag tasklets can wait for (gevent.event.Event). set() wakes every waiter; they return
 * true even if the flag is cleared again before they run.
 *
 * Invariants: `status === 'set'` ⇒ nobody waits.
 */
export class Event {
  status: 'clear' | 'set' = 'clear';
  private readonly waiters = new WaitQueue();

  set(): void {
    this.status = 'set';
    this.waiters.wakeAll(true);
  }
  clear(): void {
    this.status = 'clear';
  }
  get isSet(): boolean {
    return this.status === 'set';
  }
  /** Wait until set; returns true, or false after `timeout` ms. */
  wait(options?: { timeout?: number | null }): Op<boolean> {
    const ms = timeoutOf(options);
    return syncOp<boolean>({
      label: 'Event.wait()',
      attempt: () => (this.status === 'set' ? true : NOT_YET),
      queue: this.waiters,
      timeoutMs: ms,
      onTimeout: () => false,
      passOn: () => {},
    });
  }
  get waiting(): number {
    return this.waiters.length;
  }
  checkInvariants(): void {
    this.waiters.checkInvariants();
    if (this.status === 'set' && this.waiters.length > 0) throw new Error('Event: set with waiters');
  }
}
