import type { Trap } from '../core/frame.js';
import { InternalError } from '../core/errors.js';
import { GenOp, launch, type Op } from '../core/op.js';
import type { HttpConnection } from './connection.js';
import { HttpUsageError } from './errors.js';

const EMPTY = Buffer.alloc(0);

/**
 * The connection's byte stream after `res.upgrade()` answered 101 Switching Protocols: the
 * handler (or tasklets it starts and waits for) speaks the new protocol with tasklet-blocking
 * `read()` and `write()`. Bytes the client sent right after its request head come first.
 * The connection is closed when the handler returns; from then on the stream is 'detached'
 * and using it is an HttpUsageError.
 *
 * Invariants:
 *  - status 'open' → 'detached' (once, when the handler returned). Nothing is read or
 *    written while 'detached'.
 *  - at most one tasklet is in read() (`reading`) and one in write() (`writing`) at a time:
 *    the transport parks a single reader and a single writer.
 */
export class UpgradedStream {
  status: 'open' | 'detached' = 'open';
  private reading = false;
  private writing = false;

  /** @internal Use res.upgrade(). */
  constructor(
    private readonly hc: HttpConnection,
    /** The protocol switched to (the Upgrade header sent with the 101). */
    readonly protocol: string,
    private readonly readTimeoutMs: number,
  ) {}

  /**
   * The next bytes from the client, or null once it closed its side. Waits without a time
   * limit unless `res.upgrade({ readTimeout })` set one (HttpTimeoutError, and the connection
   * is dropped). Raises ClientGoneError if the connection failed.
   */
  read(): Op<Buffer | null> {
    this.check('read()');
    if (this.reading) throw new HttpUsageError('upgraded stream: another tasklet is already in read()');
    return launch(new GenOp('upgraded.read()', () => this.readPiece()));
  }

  /** Send bytes to the client; blocks only under backpressure. Raises ClientGoneError. */
  write(data: string | Uint8Array): Op<void> {
    this.check('write()');
    if (this.writing) throw new HttpUsageError('upgraded stream: another tasklet is already in write()');
    return launch(new GenOp('upgraded.write()', () => this.writePiece(data)));
  }

  /** @internal Caller: the connection loop, once the handler returned. */
  detach(): void {
    this.status = 'detached';
  }

  private *readPiece(): Generator<Trap, Buffer | null, unknown> {
    const hc = this.hc;
    if (hc.pending.length > 0) {
      const p = hc.pending;
      hc.pending = EMPTY;
      return p;
    }
    const conn = hc.conn;
    this.reading = true;
    if (this.readTimeoutMs > 0) conn.deadline = performance.now() + this.readTimeoutMs;
    try {
      const d = yield* conn.recv();
      return d.length === 0 ? null : d;
    } finally {
      conn.deadline = 0;
      this.reading = false;
    }
  }

  private *writePiece(data: string | Uint8Array): Generator<Trap, void, unknown> {
    this.writing = true;
    try {
      yield* this.hc.conn.write(data);
    } finally {
      this.writing = false;
    }
  }

  private check(what: string): void {
    if (this.status === 'detached')
      throw new HttpUsageError(`upgraded stream: ${what} after the handler returned (the connection is closed then; keep the handler running while the new protocol is spoken)`);
  }

  toString(): string {
    return `UpgradedStream(${this.protocol}, ${this.status})`;
  }

  checkInvariants(): void {
    if (this.status === 'detached' && (this.reading || this.writing))
      throw new InternalError(`${this}: a read or write is in progress on a detached stream`);
  }
}
