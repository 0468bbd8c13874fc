import type { Socket } from 'node:net';
import { Bomb } from '../core/bomb.js';
import { InternalError } from '../core/errors.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { park, unpark } from '../core/park.js';
import { sched } from '../core/scheduler.js';
import type { Tasklet } from '../core/tasklet.js';
import type { Waitable } from '../core/waitable.js';
import { ClientGoneError, HttpTimeoutError } from './errors.js';
import { kickScheduler } from './event-loop-bridge.js';
import type { Transport } from './transport.js';

/**
 * The server's side of one TCP connection, as tasklet-blocking operations: `recv()` parks
 * the calling tasklet until bytes arrive, `write()` parks only under backpressure.
 *
 * This is the thin adapter the issue allows while `stackless/io` has no Socket yet: it
 * parks tasklets on a node:net socket through core's park/unpark seam (the connection
 * itself is the external Waitable, so no object is allocated per wait). It does exactly
 * what the HTTP server needs and no more; see README.md "Rejected" for why it is not
 * (yet) io's Socket.
 *
 * Timeouts are deadlines, not timers: the owner sets `deadline` (performance.now() ms, 0 =
 * none) and the server's sweep calls expire() once it has passed. One coarse interval
 * timer per server instead of a timer per wait.
 *
 * Invariants:
 *  - status 'open' → 'eof' (peer sent FIN; writes still allowed) → 'closed', or straight
 *    'open' → 'closed'. 'closed' ⇔ the socket was destroyed or failed ⇔ `failMessage` set.
 *  - `reader` / `writer` are the tasklets parked in recv() / write(), blocked on this.
 *  - `reader !== null` ⇒ nothing is buffered (data goes straight to the parked reader).
 *  - `bufferedBytes` is the total length of `chunks`; the socket is paused iff it is above
 *    HIGH_WATER (and resumed when a recv() takes the chunks).
 */
export class NetConnection implements Waitable, Transport {
  readonly external = true;
  status: 'open' | 'eof' | 'closed' = 'open';
  /** Why the connection closed; built lazily (an Error's stack trace costs more than a whole
   * request), so a normal close creates none unless someone reads it. */
  private failMessage: string | null = null;
  private failCause: unknown = undefined;
  private failError: Error | null = null;
  /** performance.now() after which the current wait fails with HttpTimeoutError; 0 = none. */
  deadline = 0;
  /** How long a write may stay blocked on backpressure (a client that does not read); 0 = no limit. */
  writeTimeoutMs = 0;
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private paused = false;
  /** @internal Writer: RecvOp, the socket handlers, cancelWait. */
  reader: Tasklet | null = null;
  /** @internal Writer: WriteOp, the socket handlers, cancelWait. */
  writer: Tasklet | null = null;

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => this.onEnd());
    socket.on('error', (e: Error) => this.fail(null, `connection failed: ${e.message}`, e));
    socket.on('close', () => this.fail(null, 'the client closed the connection', undefined));
    socket.on('drain', () => this.onDrain());
  }

  /** Next bytes from the peer; an empty Buffer at end of stream. Raises ClientGoneError, HttpTimeoutError. */
  recv(): Op<Buffer> {
    return launch(new RecvOp(this));
  }

  /** Write `data`; blocks the tasklet only while the socket's buffer is above its high-water mark. */
  write(data: string | Uint8Array): Op<void> {
    return launch(new WriteOp(this, data, null));
  }

  /** Write a head string and a body buffer in one syscall (corked). */
  write2(head: string, body: Uint8Array): Op<void> {
    return launch(new WriteOp(this, head, body));
  }

  /** Bytes received and not taken by recv() yet. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /**
   * Make a tasklet parked in recv() return end-of-stream now (graceful shutdown of an idle
   * keep-alive connection). Returns false if no reader waits. Caller: HttpServer.close().
   */
  endReader(): boolean {
    const r = this.reader;
    if (r === null) return false;
    this.reader = null;
    unpark(r, EMPTY);
    return true;
  }

  /** Flush what was written, send FIN, and destroy the socket once the data is out. */
  closeSoon(): void {
    if (this.status === 'closed') return;
    const s = this.socket;
    if (s.destroyed) return;
    s.end(() => s.destroy());
    // Data still queued in user space flushes only if the peer reads: do not wait for ever.
    if (s.writableLength > 0) s.setTimeout(LINGER_MS, () => s.destroy());
  }

  /** Destroy the socket now; tasklets waiting on it get `error`. Caller: server shutdown, timeouts. */
  destroy(error: Error): void {
    this.fail(error, error.message, undefined);
    this.socket.destroy();
  }

  /** The error waiting tasklets get once the connection is closed (null while open). */
  get failure(): Error | null {
    if (this.failError === null && this.failMessage !== null)
      this.failError = new ClientGoneError(this.failMessage, this.failCause === undefined ? undefined : { cause: this.failCause });
    return this.failError;
  }

  /** The deadline passed: fail the waiting tasklet with a timeout and drop the connection. Caller: server sweep. */
  expire(what: string): void {
    this.deadline = 0;
    this.destroy(new HttpTimeoutError(`${what}: timed out`));
  }

  private onData(d: Buffer): void {
    const r = this.reader;
    if (r !== null) {
      this.reader = null;
      unpark(r, d);
      kickScheduler();
      return;
    }
    this.chunks.push(d);
    this.bufferedBytes += d.length;
    if (this.bufferedBytes > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private onEnd(): void {
    if (this.status !== 'open') return;
    this.status = 'eof';
    const r = this.reader;
    if (r !== null) {
      this.reader = null;
      unpark(r, EMPTY);
      kickScheduler();
    }
  }

  private onDrain(): void {
    const w = this.writer;
    if (w === null) return;
    this.writer = null;
    this.deadline = 0;
    unpark(w, undefined);
    kickScheduler();
  }

  private fail(error: Error | null, message: string, cause: unknown): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    this.failError = error;
    this.failMessage = message;
    this.failCause = cause;
    const r = this.reader;
    const w = this.writer;
    this.reader = null;
    this.writer = null;
    if (r !== null) unpark(r, new Bomb(this.failure));
    if (w !== null) unpark(w, new Bomb(this.failure));
    if (r !== null || w !== null) kickScheduler();
  }

  /** @internal Caller: RecvOp. Everything buffered as one Buffer, or null. */
  takeBuffered(): Buffer | null {
    const c = this.chunks;
    if (c.length === 0) return null;
    const out = c.length === 1 ? c[0]! : Buffer.concat(c, this.bufferedBytes);
    this.chunks = [];
    this.bufferedBytes = 0;
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    return out;
  }

  /** @internal Caller: the scheduler (kill/throw of a waiting tasklet). */
  cancelWait(t: Tasklet): void {
    if (this.reader === t) this.reader = null;
    if (this.writer === t) this.writer = null;
  }

  describeWait(t: Tasklet): string {
    const peer = `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
    return t === this.writer ? `writing to http client ${peer}` : `reading from http client ${peer}`;
  }

  toString(): string {
    return `NetConnection(${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}, ${this.status})`;
  }

  checkInvariants(): void {
    const fail = (what: string): never => {
      throw new InternalError(`${this}: ${what}`);
    };
    if ((this.status === 'closed') !== (this.failMessage !== null)) fail('closed ⇔ failure');
    if (this.reader !== null && this.chunks.length > 0) fail('a reader waits while data is buffered');
    if (this.reader !== null && this.reader._waitingOn !== this) fail('reader not parked here');
    if (this.writer !== null && this.writer._waitingOn !== this) fail('writer not parked here');
    let n = 0;
    for (const c of this.chunks) n += c.length;
    if (n !== this.bufferedBytes) fail('bufferedBytes');
  }
}

const HIGH_WATER = 256 * 1024;
/** How long closeSoon() waits for unsent response data to drain before destroying the socket. */
const LINGER_MS = 5_000;
const EMPTY = Buffer.alloc(0);

class RecvOp extends Op<Buffer> {
  constructor(private readonly c: NetConnection) {
    super();
  }
  protected start(): Buffer | typeof SUSPEND {
    const c = this.c;
    const got = c.takeBuffered();
    if (got !== null) return got;
    if (c.status === 'eof') return EMPTY;
    if (c.status === 'closed') throw c.failure!;
    const t = sched.current;
    park(t, c);
    c.reader = t;
    return SUSPEND;
  }
  toString(): string {
    return 'http recv';
  }
}

class WriteOp extends Op<void> {
  constructor(
    private readonly c: NetConnection,
    private readonly data: string | Uint8Array,
    private readonly body: Uint8Array | null,
  ) {
    super();
  }
  protected start(): void | typeof SUSPEND {
    const c = this.c;
    if (c.status === 'closed') throw c.failure!;
    const s = c.socket;
    let ok: boolean;
    if (this.body === null) ok = s.write(this.data);
    else {
      s.cork();
      s.write(this.data);
      ok = s.write(this.body);
      s.uncork();
    }
    if (ok) return;
    const t = sched.current;
    park(t, c);
    c.writer = t;
    if (c.writeTimeoutMs > 0) c.deadline = performance.now() + c.writeTimeoutMs;
    return SUSPEND;
  }
  toString(): string {
    return 'http write';
  }
}
