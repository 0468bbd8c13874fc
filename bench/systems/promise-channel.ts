/**
 * The rendezvous channel a Node user would write with promises: `send` resolves when a
 * receiver took the value, `receive` resolves with a sender's value. Used by the async/await
 * baseline and by co (which has no channel of its own).
 *
 * Invariants: at most one of the two wait queues is non-empty; each queue is a FIFO kept as
 * an array with a moving head index (compacted when half of it is consumed).
 */
interface Sender<T> {
  value: T;
  resolve: () => void;
}

class Fifo<E> {
  private items: E[] = [];
  private headIndex = 0;
  get size(): number {
    return this.items.length - this.headIndex;
  }
  push(e: E): void {
    this.items.push(e);
  }
  shift(): E {
    const e = this.items[this.headIndex]!;
    this.items[this.headIndex++] = undefined as E;
    if (this.headIndex > 1024 && this.headIndex * 2 > this.items.length) {
      this.items = this.items.slice(this.headIndex);
      this.headIndex = 0;
    }
    return e;
  }
}

const RESOLVED = Promise.resolve();

export class PromiseChannel<T> {
  private readonly senders = new Fifo<Sender<T>>();
  private readonly receivers = new Fifo<(v: T) => void>();

  get waitingReceivers(): number {
    return this.receivers.size;
  }

  send(value: T): Promise<void> {
    if (this.receivers.size > 0) {
      this.receivers.shift()(value);
      return RESOLVED;
    }
    return new Promise<void>((resolve) => this.senders.push({ value, resolve }));
  }

  receive(): Promise<T> {
    if (this.senders.size > 0) {
      const s = this.senders.shift();
      s.resolve();
      return Promise.resolve(s.value);
    }
    return new Promise<T>((resolve) => this.receivers.push(resolve));
  }
}
