import type { Writable } from 'node:stream';
import { Bomb } from '../core/bomb.js';
import { ImmediateOp, launch, type Op, SUSPEND } from '../core/op.js';
import { fromNodeError, SocketClosedError, WriteAfterShutdownError, type IoError } from './errors.js';
import { TimeoutError } from './timeout.js';
import { WaitQueue } from './wait-queue.js';
import { Waiter, type WaitKind } from './waiter.js';

/** Options of every write: `timeout` in ms (null: wait forever; default: the writer's `timeout`). */
export interface WriteOptions {
  timeout?: number | null;
}

/**
 * Tasklet-blocking writes over a Node Writable with backpressure: write() hands the data to
 * Node and returns at once while the stream's buffer is below its high-water mark; when it
 * is full the tasklet waits for 'drain'. Each write is atomic with respect to other writers
 * (Node queues whole buffers), so several tasklets may write; all waiting writers resume on
 * 'drain'.
 *
 * Invariants:
 *  - status 'open' → 'ended' (end()/shutdown) | 'failed' (`error` set) | 'closed'.
 *  - `writers` holds exactly the tasklets waiting for 'drain'; it is empty unless 'open' or
 *    'ended' (a failure or close wakes them all with the error).
 */
export class StreamWriter {
  status: 'open' | 'ended' | 'failed' | 'closed' = 'open';
  error: IoError | null = null;
  timeout: number | null = null;
  /** Created on the first wait for 'drain' (most streams never wait: less memory per idle socket). */
  private writers: WaitQueue | null = null;
  /** The write operation, reused by every write() (created on the first). */
  private writeOp: WriteOp | null = null;

  constructor(
    private readonly stream: Writable,
    /** For messages; an object's toString() is called only when a message is built. */
    readonly label: string | { toString(): string },
    private readonly kind: WaitKind = 'stream',
    /** false: the owner (Socket) forwards the stream's events itself (fewer listeners). */
    listen = true,
  ) {
    if (listen) {
      stream.on('drain', () => this.onDrain());
      stream.on('error', (e: unknown) => this.onError(e));
      stream.on('close', () => this.onClose());
    }
  }

  /** @internal Caller: the stream's 'drain' event. */
  onDrain(): void {
    if (this.writers !== null && this.writers.length > 0) this.writers.wakeAll(undefined);
  }

  /** Write `data`; blocks only while Node's buffer for this stream is full. */
  write(data: Uint8Array | string, options?: WriteOptions): Op<void> {
    const ms = options?.timeout === undefined ? this.timeout : options.timeout;
    return launch((this.writeOp ??= new WriteOp(this)).set(data, ms));
  }

  /** Finish the stream (half-close a socket): later writes raise WriteAfterShutdownError. */
  end(): void {
    if (this.status !== 'open') return;
    this.status = 'ended';
    this.stream.end();
  }

  /** Stop writing: blocked and later writes raise SocketClosedError. */
  close(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    if (this.waiting > 0) this.writers!.wakeAll(new Bomb(new SocketClosedError(`write() on ${this.label}: it was closed`)));
  }

  /** Tasklets waiting for 'drain'. */
  get waiting(): number {
    return this.writers === null ? 0 : this.writers.length;
  }

  /** @internal Caller: the stream's 'error' event. */
  onError(e: unknown): void {
    if (this.status === 'open' || this.status === 'ended') {
      this.status = 'failed';
      this.error = fromNodeError(e, String(this.label));
    }
    if (this.error !== null && this.waiting > 0) this.writers!.wakeAll(new Bomb(this.error));
  }

  /** @internal Caller: the stream's 'close' event. */
  onClose(): void {
    if (this.status === 'open' || this.status === 'ended') this.status = 'closed';
    if (this.waiting > 0)
      this.writers!.wakeAll(new Bomb(this.error ?? new SocketClosedError(`write() on ${this.label}: the connection was closed`)));
  }

  checkInvariants(): void {
    this.writers?.checkInvariants();
    if ((this.status === 'failed' || this.status === 'closed') && this.waiting > 0)
      throw new Error(`${this.label}: writers wait on a ${this.status} stream`);
  }

  /** @internal Caller: WriteOp. Throws if writing is not possible. */
  _check(): void {
    switch (this.status) {
      case 'open':
        return;
      case 'ended':
        throw new WriteAfterShutdownError(
          `write() on ${this.label} after shutdown()/end(): the write side is half-closed; write before shutting down`,
        );
      case 'failed':
        throw this.error!;
      case 'closed':
        throw new SocketClosedError(`write() on ${this.label}: it is closed; open a new connection`);
    }
  }

  /** @internal Caller: WriteOp. Returns true when Node's buffer is below its high-water mark. */
  _write(data: Uint8Array | string): boolean {
    return this.stream.write(data);
  }

  /** @internal */
  _park(timeoutMs: number | null): void {
    const q = (this.writers ??= new WaitQueue());
    const w = new Waiter(this.kind, () => `write() to ${this.label} (waiting for drain)`, true, q);
    w.parkCurrent(
      timeoutMs,
      timeoutMs === null ? null : () => new Bomb(new TimeoutError(`write() to ${this.label} timed out after ${timeoutMs} ms`, timeoutMs)),
    );
    q.push(w);
  }

  /** @internal */
  get _needsDrain(): boolean {
    return this.stream.writableNeedDrain;
  }
}

/**
 * The write operation: acts in `[Symbol.iterator]()` (ImmediateOp) and keeps nothing once it
 * has acted (a writer parked on 'drain' is finished by the shared RESUME_ITER with the wake
 * value), so each StreamWriter reuses one for all its writes, even while other writers wait.
 * Writer of `data`/`timeoutMs`: set() (Caller: StreamWriter.write) and act().
 */
class WriteOp extends ImmediateOp<void> {
  private data: Uint8Array | string | null = null;
  private timeoutMs: number | null = null;
  constructor(private readonly w: StreamWriter) {
    super();
  }
  set(data: Uint8Array | string, timeoutMs: number | null): this {
    this.data = data;
    this.timeoutMs = timeoutMs;
    return this;
  }
  protected act(): void | typeof SUSPEND {
    const data = this.data!;
    this.data = null;
    this.w._check();
    if (this.w._write(data)) return;
    this.w._park(this.timeoutMs);
    return SUSPEND;
  }
  override get _resumeKind(): 'void' {
    return 'void';
  }
  toString(): string {
    return `write() to ${this.w.label}`;
  }
}
