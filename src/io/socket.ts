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
  /** @internal Read by the shared event listeners below. */
  readonly reader: StreamReader;
  /** @internal */
  readonly writer: StreamWriter;
  private counted = true;
  private _label: string | null;
  /** @internal Writer: resources.ts. */
  _resourceSlot = -1;

  /** Wrap a connected node:net (or node:tls) socket. The wrapper owns it from now on. */
  constructor(raw: NetSocket, label?: string) {
    this.raw = raw;
    this._label = label ?? null;
    // the label is computed only for messages: asking Node for the peer address costs a
    // syscall and ~100 bytes per connection
    this.reader = new StreamReader(raw, this, 'socket', false);
    this.writer = new StreamWriter(raw, this, 'socket', false);
    stats.sockets++;
    addResource(this);
    // One shared listener per event, finding this wrapper through the raw socket (`this` of
    // a listener is the emitter): no closures per connection.
    (raw as OwnedSocket)[OWNER] = this;
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('drain', onDrain);
    raw.on('error', onError);
    raw.on('close', onClose);
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

  /**
   * Close gracefully, like node:net's `end()`: reading stops at once (buffered input is
   * discarded; a blocked read and later calls raise SocketClosedError), data already written
   * is still delivered, then FIN, then the handle is released. If the peer does not take
   * the pending data within LINGER_MS (5 s) the connection is aborted. Idempotent.
   */
  close(): void {
    const raw = this.raw;
    const again = this.reader.status === 'closed';
    this.stop();
    if (raw.destroyed) return removeResource(this);
    if (again) return; // closing already
    if (!raw.writableEnded) raw.end();
    if (raw.writableFinished) {
      raw.destroy();
      return;
    }
    // stays a resource (main() aborts it when it ends) until 'close'
    raw.on('finish', destroyAfterFinish);
    if (raw.writableLength > 0) raw.setTimeout(LINGER_MS, destroyAfterFinish);
  }

  /** Close now (hard): unsent data is discarded; blocked and later calls raise SocketClosedError. Idempotent. */
  abort(): void {
    this.stop();
    this.raw.destroy();
    removeResource(this);
  }

  /** Close with a TCP reset (RST) instead of FIN, where supported; unsent data is discarded. */
  reset(): void {
    this.stop();
    if (typeof this.raw.resetAndDestroy === 'function') this.raw.resetAndDestroy();
    else this.raw.destroy();
    removeResource(this);
  }

  /** @internal Caller: main() when its body has ended (resources.ts). */
  closeNow(): void {
    this.abort();
  }

  /** Stop both directions for tasklets (waiting ones raise SocketClosedError). */
  private stop(): void {
    // the peer's address for the messages of waiting calls, which are built after the handle
    // is gone (asked only then: it costs a syscall)
    if (this._label === null && !this.raw.destroyed && (this.reader.waiting || this.writer.waiting > 0))
      this._label = describePeer(this.raw);
    this.reader.close();
    this.writer.close();
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
  /** True once close()/abort()/reset() was called or the connection went away. */
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

  /** @internal Caller: the 'close' listener. */
  uncount(): void {
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

/** How long close() lets unsent data drain before aborting the connection. */
const LINGER_MS = 5_000;

const OWNER = Symbol('stackless/io Socket');
type OwnedSocket = NetSocket & { [OWNER]: Socket };

// The raw socket's listeners, shared by every Socket (`this` is the raw socket).
function onData(this: OwnedSocket, d: Buffer): void {
  this[OWNER].reader.onData(d);
}
function onEnd(this: OwnedSocket): void {
  this[OWNER].reader.onEnd();
}
function onDrain(this: OwnedSocket): void {
  this[OWNER].writer.onDrain();
}
function onError(this: OwnedSocket, e: unknown): void {
  const s = this[OWNER];
  s.reader.onError(e);
  s.writer.onError(e);
}
function onClose(this: OwnedSocket): void {
  const s = this[OWNER];
  s.reader.onEnd();
  s.writer.onClose();
  s.uncount();
}
/** close(): the pending data is out (or the linger timeout passed). */
function destroyAfterFinish(this: NetSocket): void {
  this.destroy();
}
