import type { Socket as NetSocket } from 'node:net';
import type { Op } from '../core/op.js';
import { addResource, removeResource } from './resources.js';
import { stats } from './stats.js';
import { StreamReader, type ReadOptions } from './stream-reader.js';
import { StreamWriter, type WriteOptions } from './stream-writer.js';

/**
 * A connected TCP, Unix-domain or TLS socket for tasklets. Reads and writes block only the
 * calling tasklet. One tasklet may wait to read and others to write at the same time; a
 * second concurrent reader raises ConcurrentReadError. Timeouts: per call (`{ timeout }`)
 * or per socket (`socket.timeout = ms`, the default for every call; null = none).
 *
 * Errors: SocketClosedError after close(), WriteAfterShutdownError after shutdown(),
 * ConnectionResetError (code ECONNRESET/EPIPE) when the peer resets, TimeoutError.
 *
 * Invariants: `state` 'open' → 'closed' (close() or the connection went away; the
 * 'close' event decrements stats.sockets exactly once, tracked by `counted`).
 */
export class Socket {
  readonly raw: NetSocket;
  private readonly reader: StreamReader;
  private readonly writer: StreamWriter;
  private counted = true;
  private _label: string | null;

  /** Wrap a connected node:net (or node:tls) socket. The wrapper owns it from now on. */
  constructor(raw: NetSocket, label?: string) {
    this.raw = raw;
    this._label = label ?? null;
    // the label is computed only for messages: asking Node for the peer address costs a
    // syscall and ~100 bytes per connection
    const r = (this.reader = new StreamReader(raw, this, 'socket', false));
    const w = (this.writer = new StreamWriter(raw, this, 'socket', false));
    stats.sockets++;
    addResource(this);
    // one listener per event, shared by both directions (less memory per idle connection)
    raw.on('data', (d: Buffer) => r.onData(d));
    raw.on('end', () => r.onEnd());
    raw.on('drain', () => w.onDrain());
    raw.on('error', (e: unknown) => {
      r.onError(e);
      w.onError(e);
    });
    raw.on('close', () => {
      r.onEnd();
      w.onClose();
      this.uncount();
    });
  }

  // ---- reading ---------------------------------------------------------------------------

  /** What has arrived, up to `max` bytes (waits if nothing has). Empty Buffer: end of stream. */
  recv(max?: number, options?: ReadOptions): Op<Buffer> {
    return this.reader.recv(max, options);
  }
  /** Exactly `n` bytes, fewer only at end of stream. */
  read(n: number, options?: ReadOptions): Op<Buffer> {
    return this.reader.read(n, options);
  }
  /** A line including its delimiter (default "\n"); the rest at end of stream. */
  readline(options?: ReadOptions & { limit?: number; delimiter?: Buffer | string }): Op<Buffer> {
    return this.reader.readline(options);
  }
  /** Bytes up to and including `delimiter`; LimitExceededError past `limit`. */
  readUntil(delimiter: Buffer | string, options?: ReadOptions & { limit?: number }): Op<Buffer> {
    return this.reader.readUntil(delimiter, options);
  }
  /** Everything until the peer ends the stream. */
  readAll(options?: ReadOptions): Op<Buffer> {
    return this.reader.readAll(options);
  }
  /** Bytes received and not read yet. */
  get buffered(): number {
    return this.reader.buffer.length;
  }

  // ---- writing ---------------------------------------------------------------------------

  /** Send `data`; returns at once unless the kernel/Node buffer is full, then waits for drain. */
  write(data: Uint8Array | string, options?: WriteOptions): Op<void> {
    return this.writer.write(data, options);
  }
  /** Same as write(): every write sends all of `data`. */
  sendAll(data: Uint8Array | string, options?: WriteOptions): Op<void> {
    return this.writer.write(data, options);
  }

  /** Half-close: send FIN after pending data; reading continues until the peer ends. */
  shutdown(): void {
    this.writer.end();
  }

  /** Close both directions now; waiting readers/writers get SocketClosedError. Idempotent. */
  close(): void {
    if (this._label === null && !this.raw.destroyed) this._label = describePeer(this.raw); // for later messages
    this.reader.close();
    this.writer.close();
    this.raw.destroy();
    removeResource(this);
  }

  /** Close with a TCP reset (RST) instead of FIN, where supported. */
  reset(): void {
    if (this._label === null && !this.raw.destroyed) this._label = describePeer(this.raw);
    this.reader.close();
    this.writer.close();
    if (typeof this.raw.resetAndDestroy === 'function') this.raw.resetAndDestroy();
    else this.raw.destroy();
    removeResource(this);
  }

  // ---- attributes ------------------------------------------------------------------------

  /** Default timeout in ms for every read and write without a `timeout` option (null: none). */
  get timeout(): number | null {
    return this.reader.timeout;
  }
  set timeout(ms: number | null) {
    if (ms !== null && !(ms >= 0)) throw new RangeError(`socket.timeout must be null or >= 0 ms, got ${ms}`);
    this.reader.timeout = ms;
    this.writer.timeout = ms;
  }
  /** The peer's address (asked from the OS on first use, then cached by Node). */
  get remoteAddress(): string | undefined {
    return this.raw.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.raw.remotePort;
  }
  /** "host:port" of the peer (or the Unix socket path), or the label given to the constructor. */
  get label(): string {
    return this._label ?? describePeer(this.raw);
  }
  get localAddress(): string | undefined {
    return this.raw.localAddress;
  }
  get localPort(): number | undefined {
    return this.raw.localPort;
  }
  /** True once close() was called or the connection went away. */
  get closed(): boolean {
    return this.reader.status === 'closed' || this.raw.destroyed;
  }
  /** Disable Nagle's algorithm (send small writes at once). */
  setNoDelay(noDelay = true): this {
    this.raw.setNoDelay(noDelay);
    return this;
  }

  toString(): string {
    return this.label;
  }

  checkInvariants(): void {
    this.reader.checkInvariants();
    this.writer.checkInvariants();
  }

  private uncount(): void {
    if (!this.counted) return;
    this.counted = false;
    stats.sockets--;
    removeResource(this);
  }
}

function describePeer(raw: NetSocket): string {
  if (raw.remoteAddress !== undefined) return `${raw.remoteAddress}:${raw.remotePort}`;
  const addr = raw.address();
  if (typeof addr === 'string') return addr;
  return 'socket';
}
