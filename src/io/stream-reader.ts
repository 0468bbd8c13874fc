import type { Readable } from 'node:stream';
import { Bomb } from '../core/bomb.js';
import { DONE_ITER, launch, Op, SUSPEND } from '../core/op.js';
import { sched } from '../core/scheduler.js';
import type { Trap } from '../core/frame.js';
import { getClock } from './clock.js';
import { ConcurrentReadError, fromNodeError, LimitExceededError, SocketClosedError, type IoError } from './errors.js';
import { ReadBuffer } from './read-buffer.js';
import { TimeoutError } from './timeout.js';
import { Waiter, type WaitKind, type WaitOwner } from './waiter.js';

/** Options of every read: `timeout` in ms (null: wait forever; default: the reader's `timeout`). */
export interface ReadOptions {
  timeout?: number | null;
}

/** The token a reader is woken with: "your request can be served, look again". */
const READY = Symbol('ready');

/** plan() results besides a byte count. */
const WAIT = -1;
const FAIL = -2;
const OVER_LIMIT = -3;

type ReadKind = 'recv' | 'exact' | 'line' | 'until' | 'all';

/**
 * Tasklet-blocking reads over a Node Readable (a socket, a child's stdout, a file stream):
 * recv/read/readline/readUntil/readAll. Chunks are kept as delivered (ReadBuffer) and sliced
 * only when returned. One tasklet may wait to read at a time; a second one gets
 * ConcurrentReadError. The stream is paused while `highWater` bytes are buffered and nobody
 * waits for more, so a slow reader applies backpressure to the peer.
 *
 * Invariants:
 *  - status 'open' → 'eof' (peer ended) | 'failed' (error; `error` set) | 'closed' (close()).
 *  - `waiter !== null` ⇔ `want !== null` ⇔ a tasklet is parked reading; it is woken as soon
 *    as `want` can be served (plan() !== WAIT).
 *  - `pausedByUs` ⇒ the stream is paused and `waiter === null`.
 */
export class StreamReader implements WaitOwner {
  status: 'open' | 'eof' | 'failed' | 'closed' = 'open';
  error: IoError | null = null;
  /** Default timeout (ms) for reads without a `timeout` option; null = none. */
  timeout: number | null = null;
  /** Buffered bytes above which the stream is paused. */
  highWater = 64 * 1024;
  readonly buffer = new ReadBuffer();
  private waiter: Waiter | null = null;
  private want: ReadOp | null = null;
  /** The one Waiter reused for every read (only one reader waits at a time). */
  private readWaiter: Waiter | null = null;
  /** The one ReadOp reused for reads inside tasklets while it is not in flight (see read()). */
  private readOp: ReadOp | null = null;
  private pausedByUs = false;

  constructor(
    private readonly stream: Readable,
    /** For messages; an object's toString() is called only when a message is built. */
    readonly label: string | { toString(): string },
    private readonly kind: WaitKind = 'stream',
    /** false: the owner (Socket) forwards the stream's events itself (fewer listeners). */
    listen = true,
  ) {
    if (listen) {
      stream.on('data', (chunk: Buffer | string) => this.onData(chunk));
      stream.on('end', () => this.onEnd());
      stream.on('error', (e: unknown) => this.onError(e));
      stream.on('close', () => this.onEnd());
    }
  }

  /** What is buffered, up to `max` bytes; waits if nothing is. An empty Buffer means end of stream. */
  recv(max = 65536, options?: ReadOptions): Op<Buffer> {
    if (!(max > 0)) throw new RangeError(`recv(max) needs max > 0, got ${max}`);
    return this.op('recv', max, null, Infinity, options?.timeout);
  }

  /** Exactly `n` bytes; fewer only at end of stream. */
  read(n: number, options?: ReadOptions): Op<Buffer> {
    if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`read(n) needs a non-negative integer, got ${n}`);
    return this.op('exact', n, null, Infinity, options?.timeout);
  }

  /**
   * One line including its delimiter (default "\n"). At end of stream: the rest (maybe
   * empty). With `limit`: at most `limit` bytes, so a line longer than that comes back in
   * pieces (Python's readline(limit)).
   */
  readline(options?: ReadOptions & { limit?: number; delimiter?: Buffer | string }): Op<Buffer> {
    const d = options === undefined ? NEWLINE : toDelimiter(options.delimiter ?? '\n');
    return this.op('line', 0, d, options?.limit ?? Infinity, options?.timeout);
  }

  /**
   * Bytes up to and including `delimiter`. At end of stream: the rest. With `limit`: if no
   * delimiter ends within the first `limit` bytes, raises LimitExceededError and leaves the
   * data buffered (asyncio's readuntil).
   */
  readUntil(delimiter: Buffer | string, options?: ReadOptions & { limit?: number }): Op<Buffer> {
    return this.op('until', 0, toDelimiter(delimiter), options?.limit ?? Infinity, options?.timeout);
  }

  /** Everything until end of stream. */
  readAll(options?: ReadOptions): Op<Buffer> {
    return this.op('all', 0, null, Infinity, options?.timeout);
  }

  /**
   * The read operation. Inside a tasklet the reader's one ReadOp is reused unless it is in
   * flight (parked, or woken and not yet run: then a second reader gets a fresh one, which
   * raises ConcurrentReadError): a read costs no allocation, and one served from the buffer
   * completes in `[Symbol.iterator]()` without starting (see ReadOp). Plain code gets a fresh
   * operation, whose `value` stays readable.
   */
  private op(kind: ReadKind, n: number, delim: Buffer | null, limit: number, timeout: number | null | undefined): Op<Buffer> {
    const ms = timeout === undefined ? this.timeout : timeout;
    if (sched.mode === 'running') {
      const c = this.readOp;
      if (c === null) return launch((this.readOp = new ReadOp(this, kind, n, delim, limit, ms)));
      if (c._opState !== 'waiting') return launch(c.reset(kind, n, delim, limit, ms));
    }
    return launch(new ReadOp(this, kind, n, delim, limit, ms));
  }

  /** What the reader waits for ("readline() on 127.0.0.1:5000"): the reader's Waiter
   * describes itself with this, so no closure is kept per reader. */
  toString(): string {
    return `${this.want ?? 'read'} on ${this.label}`;
  }

  /** A tasklet is waiting to read. */
  get waiting(): boolean {
    return this.waiter !== null;
  }

  /** Discard buffered data and stop reading; blocked and later reads raise SocketClosedError. */
  close(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    this.buffer.clear();
    this.wakeReader();
  }

  // ---- Node events ---------------------------------------------------------------------

  /** @internal Caller: the stream's 'data' event. */
  onData(chunk: Buffer | string): void {
    if (this.status !== 'open') return;
    this.buffer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (this.want !== null) {
      if (this.want.plan() !== WAIT) this.wakeReader();
    } else if (this.buffer.length >= this.highWater && !this.pausedByUs) {
      this.pausedByUs = true;
      this.stream.pause();
    }
  }

  /** @internal Caller: the stream's 'end' and 'close' events. */
  onEnd(): void {
    if (this.status === 'open') this.status = 'eof';
    this.wakeReader();
  }

  /** @internal Caller: the stream's 'error' event. */
  onError(e: unknown): void {
    if (this.status === 'open' || this.status === 'eof') {
      this.status = 'failed';
      this.error = fromNodeError(e, String(this.label));
    }
    this.wakeReader();
  }

  private wakeReader(): void {
    const w = this.waiter;
    if (w === null) return;
    this.waiter = null;
    this.want = null;
    w.wake(READY);
  }

  /** @internal Caller: the reader's Waiter (timeout, kill). */
  detach(w: Waiter): void {
    if (this.waiter !== w) return;
    this.waiter = null;
    this.want = null;
  }

  checkInvariants(): void {
    this.buffer.checkInvariants();
    if ((this.waiter === null) !== (this.want === null)) throw new Error(`${this.label}: waiter ⇔ want broken`);
    if (this.waiter !== null && this.waiter.status !== 'waiting') throw new Error(`${this.label}: stale reader waiter`);
    if (this.pausedByUs && this.waiter !== null) throw new Error(`${this.label}: paused while a reader waits`);
    if (this.status === 'closed' && this.buffer.length !== 0) throw new Error(`${this.label}: closed with buffered data`);
    if ((this.status === 'failed') !== (this.error !== null)) throw new Error(`${this.label}: failed ⇔ error broken`);
  }

  // ---- the read protocol (Caller: ReadOp) ------------------------------------------------

  /** @internal */
  _attempt(op: ReadOp): Buffer | null {
    if (this.waiter !== null && this.want !== op)
      throw new ConcurrentReadError(
        `${op} on ${this.label}: another tasklet (${this.waiter.tasklet}) is already waiting to read; ` +
          'read from one tasklet and hand the data to others over a channel',
      );
    const p = op.plan();
    if (p >= 0) {
      const out = this.buffer.take(p);
      op.consumed(p);
      if (this.pausedByUs && this.buffer.length < this.highWater) {
        this.pausedByUs = false;
        this.stream.resume();
      }
      return out;
    }
    if (p === WAIT) return null;
    if (p === OVER_LIMIT)
      throw new LimitExceededError(
        `${op} on ${this.label}: no delimiter within the first ${op.limit} bytes; read them with read(n) or raise the limit`,
      );
    throw this.status === 'closed'
      ? new SocketClosedError(`${op} on ${this.label}: it was closed; open a new connection`)
      : this.error!;
  }

  /** @internal Park the current tasklet until `op` can be served. */
  _park(op: ReadOp, timeoutMs: number | null): void {
    const w = (this.readWaiter ??= new Waiter(this.kind, this, true, this));
    w.parkCurrent(
      timeoutMs,
      timeoutMs === null ? null : () => new Bomb(new TimeoutError(`${op} on ${this.label} timed out after ${op.timeoutMs} ms`, op.timeoutMs)),
    );
    this.waiter = w;
    this.want = op;
    if (this.pausedByUs) {
      this.pausedByUs = false;
      this.stream.resume();
    }
  }
}

const NEWLINE = Buffer.from('\n');

function toDelimiter(d: Buffer | string): Buffer {
  if (d === '\n') return NEWLINE;
  const b = typeof d === 'string' ? Buffer.from(d) : d;
  if (b.length === 0) throw new RangeError('the delimiter must not be empty');
  return b;
}

/**
 * One read request; a StreamReader reuses one for its reads inside tasklets (reset()).
 * `yield*` calls `[Symbol.iterator]()` first: a read the buffer serves completes there (the
 * op is never started, nothing parks); otherwise the op itself is returned and start()
 * parks. Writer of the request fields: the constructor and reset() (Caller: StreamReader).
 */
class ReadOp extends Op<Buffer> {
  /** Bytes already scanned without finding the delimiter (so waits do not rescan). */
  private scanned = 0;
  private deadline = 0;

  constructor(
    private readonly r: StreamReader,
    private kind: ReadKind,
    private n: number,
    private delim: Buffer | null,
    public limit: number,
    public timeoutMs: number | null,
  ) {
    super();
  }

  /** Make this the next request. Requires: not in flight. Caller: StreamReader.op(). */
  reset(kind: ReadKind, n: number, delim: Buffer | null, limit: number, timeoutMs: number | null): this {
    this.kind = kind;
    this.n = n;
    this.delim = delim;
    this.limit = limit;
    this.timeoutMs = timeoutMs;
    this.scanned = 0;
    this.deadline = 0;
    return this;
  }

  override [Symbol.iterator](): Iterator<Trap, Buffer, unknown> {
    if (this._opState !== 'created' || sched.unstarted !== this) return this;
    sched.unstarted = null;
    const got = this.r._attempt(this);
    if (got === null) return this; // next() starts it: it parks
    this._opState = 'done';
    DONE_ITER.value = got;
    return DONE_ITER as Iterator<Trap, Buffer, unknown>;
  }

  /** Bytes to take now (>= 0), or WAIT / FAIL / OVER_LIMIT. Pure: consumes nothing. */
  plan(): number {
    const r = this.r;
    if (r.status === 'closed') return FAIL;
    const len = r.buffer.length;
    const ended = r.status !== 'open';
    switch (this.kind) {
      case 'recv':
        if (len > 0) return Math.min(len, this.n);
        return r.status === 'failed' ? FAIL : ended ? 0 : WAIT;
      case 'exact':
        if (len >= this.n) return this.n;
        return r.status === 'failed' ? FAIL : ended ? len : WAIT;
      case 'all':
        return r.status === 'failed' ? FAIL : ended ? len : WAIT;
      case 'line':
      case 'until': {
        const d = this.delim!;
        const i = r.buffer.indexOf(d, Math.max(0, this.scanned - d.length + 1));
        if (i >= 0 && i + d.length <= this.limit) return i + d.length;
        if (len >= this.limit || (i >= 0 && i + d.length > this.limit))
          return this.kind === 'line' ? this.limit : OVER_LIMIT;
        this.scanned = len;
        return r.status === 'failed' ? FAIL : ended ? len : WAIT;
      }
    }
  }

  consumed(k: number): void {
    this.scanned = Math.max(0, this.scanned - k);
  }

  protected start(): Buffer | typeof SUSPEND {
    const got = this.r._attempt(this);
    if (got !== null) return got;
    if (this.timeoutMs !== null) this.deadline = getClock().now() + this.timeoutMs;
    this.r._park(this, this.timeoutMs);
    return SUSPEND;
  }

  protected override resume(): Buffer | typeof SUSPEND {
    let got: Buffer | null;
    try {
      got = this.r._attempt(this);
    } catch (e) {
      this._opState = 'done'; // no longer in flight: the reader may reuse it
      throw e;
    }
    if (got !== null) return got;
    this.r._park(this, this.timeoutMs === null ? null : Math.max(0, this.deadline - getClock().now()));
    return SUSPEND;
  }

  toString(): string {
    switch (this.kind) {
      case 'recv':
        return 'recv()';
      case 'exact':
        return `read(${this.n})`;
      case 'all':
        return 'readAll()';
      case 'line':
        return 'readline()';
      case 'until':
        return 'readUntil()';
    }
  }
}
