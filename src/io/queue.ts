import { Bomb } from '../core/bomb.js';
import type { Op } from '../core/op.js';
import { QueueEmptyError, QueueFullError, SyncUsageError } from './errors.js';
import { NOT_YET, READY, syncOp, timeoutOf } from './sync-op.js';
import { TimeoutError } from './timeout.js';
import { WaitQueue } from './wait-queue.js';

export type QueueOrder = 'fifo' | 'lifo' | 'priority';

export interface QueueOptions<T> {
  /** Capacity; put() waits while full. Default Infinity (unbounded). */
  maxsize?: number;
  /** 'fifo' (default), 'lifo', or 'priority' (smallest first by `compare`, FIFO among equals). */
  order?: QueueOrder;
  /** For 'priority': negative when a comes first. Default: numbers/strings ascending. */
  compare?: (a: T, b: T) => number;
}

interface Entry<T> {
  item: T;
  seq: number;
}

/**
 * A queue between tasklets (gevent.queue.Queue / LifoQueue / PriorityQueue, JoinableQueue):
 * bounded or unbounded, with put/get that wait, nowait variants, and join()/taskDone() to
 * wait until every item put has been processed.
 *
 * Invariants:
 *  - 0 <= size <= maxsize; getters wait only while empty (or a woken getter has not run);
 *    putters only while full (likewise).
 *  - `unfinished` >= size: items put and not yet taskDone()'d.
 *  - for 'priority', `items` is a binary min-heap by (compare, seq).
 */
export class Queue<T> {
  readonly maxsize: number;
  readonly order: QueueOrder;
  private readonly compare: (a: T, b: T) => number;
  private items: Entry<T>[] = [];
  private head = 0;
  private seq = 0;
  private readonly getters = new WaitQueue();
  private readonly putters = new WaitQueue();
  private readonly joiners = new WaitQueue();
  /** Items put and not yet marked done with taskDone(). */
  unfinished = 0;

  constructor(options?: QueueOptions<T>) {
    this.maxsize = options?.maxsize ?? Infinity;
    if (!(this.maxsize > 0)) throw new RangeError(`Queue maxsize must be > 0 (or Infinity), got ${this.maxsize}`);
    this.order = options?.order ?? 'fifo';
    this.compare = options?.compare ?? defaultCompare;
  }

  get size(): number {
    return this.items.length - this.head;
  }
  get empty(): boolean {
    return this.size === 0;
  }
  get full(): boolean {
    return this.size >= this.maxsize;
  }

  /** Add `item`; waits while the queue is full (TimeoutError after `timeout` ms). */
  put(item: T, options?: { timeout?: number | null }): Op<void> {
    const ms = timeoutOf(options);
    return syncOp<void>({
      label: 'Queue.put()',
      attempt: (retry) => {
        if (this.size < this.maxsize && (retry || this.putters.length === 0)) {
          this.add(item);
          return undefined;
        }
        return NOT_YET;
      },
      queue: this.putters,
      timeoutMs: ms,
      onTimeout: () => new Bomb(new TimeoutError(`Queue.put() timed out after ${ms} ms (queue full)`, ms)),
      passOn: () => this.passOn(),
    });
  }

  /** Remove and return the next item; waits while empty (TimeoutError after `timeout` ms). */
  get(options?: { timeout?: number | null }): Op<T> {
    const ms = timeoutOf(options);
    return syncOp<T>({
      label: 'Queue.get()',
      attempt: (retry) => (this.size > 0 && (retry || this.getters.length === 0) ? this.remove() : NOT_YET),
      queue: this.getters,
      timeoutMs: ms,
      onTimeout: () => new Bomb(new TimeoutError(`Queue.get() timed out after ${ms} ms (queue empty)`, ms)),
      passOn: () => this.passOn(),
    });
  }

  putNowait(item: T): void {
    if (this.size >= this.maxsize) throw new QueueFullError(`Queue.putNowait(): the queue is full (maxsize ${this.maxsize}); use put() to wait`);
    this.add(item);
  }

  getNowait(): T {
    if (this.size === 0) throw new QueueEmptyError('Queue.getNowait(): the queue is empty; use get() to wait');
    return this.remove();
  }

  /** The next item without removing it (undefined if empty). */
  peek(): T | undefined {
    if (this.size === 0) return undefined;
    return this.order === 'lifo' ? this.items[this.items.length - 1]!.item : this.items[this.head]!.item;
  }

  /** Mark one item got earlier as processed (for join()). */
  taskDone(): void {
    if (this.unfinished <= 0) throw new SyncUsageError('Queue.taskDone() called more times than there were items put');
    this.unfinished--;
    if (this.unfinished === 0) this.joiners.wakeAll(true);
  }

  /** Wait until every item put has been marked done; false after `timeout` ms. */
  join(options?: { timeout?: number | null }): Op<boolean> {
    return syncOp<boolean>({
      label: 'Queue.join()',
      attempt: () => (this.unfinished === 0 ? true : NOT_YET),
      queue: this.joiners,
      timeoutMs: timeoutOf(options),
      onTimeout: () => false,
      passOn: () => {},
    });
  }

  private add(item: T): void {
    const e = { item, seq: this.seq++ };
    this.unfinished++;
    if (this.order === 'priority') this.heapPush(e);
    else this.items.push(e);
    this.getters.wakeOne(READY);
  }

  private remove(): T {
    let e: Entry<T>;
    if (this.order === 'fifo') {
      e = this.items[this.head]!;
      this.items[this.head] = undefined as unknown as Entry<T>;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    } else if (this.order === 'lifo') e = this.items.pop()!;
    else e = this.heapPop();
    this.putters.wakeOne(READY);
    return e.item;
  }

  private passOn(): void {
    if (this.size > 0) this.getters.wakeOne(READY);
    if (this.size < this.maxsize) this.putters.wakeOne(READY);
  }

  private less(a: Entry<T>, b: Entry<T>): boolean {
    const c = this.compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
  }
  private heapPush(e: Entry<T>): void {
    const h = this.items;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  private heapPop(): Entry<T> {
    const h = this.items;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  checkInvariants(): void {
    this.getters.checkInvariants();
    this.putters.checkInvariants();
    if (this.size > this.maxsize) throw new Error('Queue: over capacity');
    if (this.unfinished < this.size) throw new Error('Queue: unfinished < size');
    if (this.order === 'priority')
      for (let i = 1; i < this.items.length; i++)
        if (this.less(this.items[i]!, this.items[(i - 1) >> 1]!)) throw new Error('Queue: heap order broken');
  }
}

function defaultCompare(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
