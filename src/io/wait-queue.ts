import type { WaitOwner, Waiter } from './waiter.js';

/**
 * A FIFO of waiters: what the synchronization primitives (Event, Queue, Semaphore, Lock,
 * AsyncResult, Pool) block on. Removal from the middle (timeout, kill) is O(1).
 *
 * Invariants:
 *  - `head`…`tail`, linked through `qNext`/`qPrev` (null at the ends), are exactly the
 *    waiters whose `queue` is this; `length` counts them.
 *  - every queued waiter is 'waiting'.
 */
export class WaitQueue implements WaitOwner {
  private head: Waiter | null = null;
  private tail: Waiter | null = null;
  length = 0;

  push(w: Waiter): void {
    w.queue = this;
    w.qNext = null;
    w.qPrev = this.tail;
    if (this.tail === null) this.head = w;
    else this.tail.qNext = w;
    this.tail = w;
    this.length++;
  }

  /** Queue `w` at the front (a woken waiter that must wait again keeps its turn). */
  unshift(w: Waiter): void {
    w.queue = this;
    w.qPrev = null;
    w.qNext = this.head;
    if (this.head === null) this.tail = w;
    else this.head.qPrev = w;
    this.head = w;
    this.length++;
  }

  /** Remove `w` if it is queued here. Caller: Waiter (timeout, kill) and wake paths. */
  detach(w: Waiter): void {
    if (w.queue !== this) return;
    const p = w.qPrev;
    const n = w.qNext;
    if (p === null) this.head = n;
    else p.qNext = n;
    if (n === null) this.tail = p;
    else n.qPrev = p;
    w.qPrev = null;
    w.qNext = null;
    w.queue = null;
    this.length--;
  }

  /** The first waiter, without removing it. */
  peek(): Waiter | null {
    return this.head;
  }

  /** Wake the first waiter with `value`; false if nobody waits. */
  wakeOne(value: unknown): boolean {
    const w = this.head;
    if (w === null) return false;
    this.detach(w);
    w.wake(value);
    return true;
  }

  /** Wake every waiter (in arrival order) with `value`; returns how many. */
  wakeAll(value: unknown): number {
    let n = 0;
    while (this.wakeOne(value)) n++;
    return n;
  }

  /** Waiting tasklets' waiters, in order (for inspection). */
  *[Symbol.iterator](): IterableIterator<Waiter> {
    for (let w = this.head; w !== null; w = w.qNext) yield w;
  }

  checkInvariants(): void {
    let n = 0;
    let prev: Waiter | null = null;
    for (let w = this.head; w !== null; w = w.qNext) {
      n++;
      if (w.qPrev !== prev || w.queue !== this) throw new Error('WaitQueue links broken');
      if (w.status !== 'waiting') throw new Error(`WaitQueue holds a ${w.status} waiter`);
      prev = w;
    }
    if (prev !== this.tail || n !== this.length) throw new Error('WaitQueue tail/length broken');
  }
}
