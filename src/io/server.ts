import * as net from 'node:net';
import * as tls from 'node:tls';
import { Bomb } from '../core/bomb.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { sched } from '../core/scheduler.js';
import { fromNodeError, SocketClosedError } from './errors.js';
import { addResource, removeResource } from './resources.js';
import { Socket } from './socket.js';
import { stats } from './stats.js';
import { TimeoutError } from './timeout.js';
import { NOT_YET, READY, SyncOp, syncOp, timeoutOf, type SyncRequest } from './sync-op.js';
import { WaitQueue } from './wait-queue.js';
import { Waiter, type WaitOwner } from './waiter.js';

/** Where to listen: a TCP port (0 = any free port) and host, or a Unix socket path. */
export type ListenAddress = { port: number; host?: string; backlog?: number } | { path: string; backlog?: number };

/**
 * A listening socket. accept() blocks the calling tasklet until a connection arrives.
 * Connections that arrive while nobody accepts wait in a queue (already wrapped, so their
 * errors are handled); close() stops listening and closes the queued ones.
 *
 * Invariants:
 *  - status 'listening' → 'closed'; stats.servers counts listening servers.
 *  - acceptors wait only while `queue` is empty, or a woken acceptor has not run yet (it
 *    takes the connection itself when it runs, so a killed acceptor loses nothing).
 * Several tasklets may accept on one server; they are served FIFO.
 */
export class Server {
  status: 'listening' | 'closed' = 'listening';
  private readonly queue: Socket[] = [];
  private readonly acceptors = new WaitQueue();
  /** The accept() operation reused inside tasklets while it is not in flight (one request,
   * one waiter: nothing allocated per accepted connection). */
  private acceptOp: SyncOp<Socket> | null = null;
  /** @internal Writer: resources.ts. */
  _resourceSlot = -1;

  /** @internal Use listen()/listenTls(). */
  constructor(
    readonly raw: net.Server,
    readonly secure: boolean,
  ) {
    stats.servers++;
    addResource(this);
    raw.on(secure ? 'secureConnection' : 'connection', (s: net.Socket) => this.onConnection(s));
    raw.on('error', () => {});
    if (secure) raw.on('tlsClientError', () => {});
  }

  /** Wait for the next connection. `{ timeout }` raises TimeoutError. */
  accept(options?: { timeout?: number | null }): Op<Socket> {
    const ms = timeoutOf(options);
    if (sched.mode === 'running') {
      // plain code gets a fresh operation (its `value` stays readable); a second acceptor
      // while this one is in flight (parked, or woken and not run yet) too
      const c = this.acceptOp;
      if (c === null) return launch((this.acceptOp = new SyncOp(new AcceptRequest(this, ms))));
      if (c._opState !== 'waiting') {
        (c.req as AcceptRequest).timeoutMs = ms;
        return launch(c);
      }
    }
    return syncOp<Socket>(new AcceptRequest(this, ms));
  }

  /** @internal Caller: AcceptRequest. The next queued connection, or NOT_YET. */
  _take(): Socket | typeof NOT_YET {
    if (this.status === 'closed') throw new SocketClosedError(`accept() on ${this}: the server is closed`);
    return this.queue.shift() ?? NOT_YET;
  }

  /** @internal Caller: AcceptRequest (a woken acceptor gave up). */
  _passOn(): void {
    if (this.queue.length > 0 || this.status === 'closed') this.acceptors.wakeOne(READY);
  }

  /** @internal Caller: AcceptRequest (the queue acceptors wait in). */
  get _acceptors(): WaitQueue {
    return this.acceptors;
  }

  /** Stop listening; close queued connections; a waiting accept() raises SocketClosedError. */
  close(): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    stats.servers--;
    removeResource(this);
    this.raw.close();
    for (const s of this.queue.splice(0)) s.abort();
    this.acceptors.wakeAll(READY);
  }

  /** @internal Caller: main() when its body has ended (resources.ts). */
  closeNow(): void {
    this.close();
  }

  /** The bound address ({ port, address, family }) or the Unix socket path. */
  address(): net.AddressInfo | string | null {
    return this.raw.address();
  }

  /** The bound TCP port. */
  get port(): number {
    const a = this.raw.address();
    if (a === null || typeof a === 'string') throw new TypeError(`${this} is not a TCP server`);
    return a.port;
  }

  /** Connections accepted by the kernel and not yet taken with accept(). */
  get pending(): number {
    return this.queue.length;
  }

  toString(): string {
    const a = this.raw.address();
    return `Server(${a === null ? 'closed' : typeof a === 'string' ? a : `${a.address}:${a.port}`})`;
  }

  private onConnection(raw: net.Socket): void {
    if (this.status !== 'listening') {
      raw.destroy();
      return;
    }
    this.queue.push(new Socket(raw));
    this.acceptors.wakeOne(READY);
  }

  checkInvariants(): void {
    this.acceptors.checkInvariants();
    if (this.status === 'closed' && (this.queue.length > 0 || this.acceptors.length > 0))
      throw new Error(`${this}: closed with queued connections or acceptors`);
  }

  /** Tasklets waiting in accept(). */
  get accepting(): number {
    return this.acceptors.length;
  }
}

/** One accept(): a class rather than closures. `timeoutMs` is rewritten when the server
 * reuses its operation (Writer: Server.accept, only while the operation is not in flight). */
class AcceptRequest implements SyncRequest<Socket> {
  readonly kind = 'server';
  readonly external = true;
  readonly queue: WaitQueue;
  constructor(
    private readonly server: Server,
    public timeoutMs: number | null,
  ) {
    this.queue = server._acceptors;
  }
  /** For tasklets() and errors, built only when needed. */
  get label(): this {
    return this;
  }
  toString(): string {
    return `accept() on ${this.server}`;
  }
  attempt(): Socket | typeof NOT_YET {
    return this.server._take();
  }
  onTimeout(): unknown {
    return new Bomb(new TimeoutError(`accept() on ${this.server} timed out after ${this.timeoutMs} ms`, this.timeoutMs));
  }
  passOn(): void {
    this.server._passOn();
  }
}

/**
 * Listen on `port` (0: any free port; read it from server.port) and `host` (default
 * 127.0.0.1), or on a Unix socket `{ path }`. Blocks the tasklet until bound; raises a typed
 * IoError (code EADDRINUSE, EACCES...) if binding fails. Connections are half-open capable:
 * after the peer's shutdown() you can still write.
 */
export function listen(port: number, host?: string, options?: { backlog?: number }): Op<Server>;
export function listen(address: ListenAddress): Op<Server>;
export function listen(a: number | ListenAddress, host?: string, options?: { backlog?: number }): Op<Server> {
  const addr = normalize(a, host, options);
  return launch(new ListenOp(net.createServer({ allowHalfOpen: true }), addr, false));
}

/** Like listen(), with TLS (node:tls options: key, cert, ca, requestCert...). accept() returns after the handshake. */
export function listenTls(port: number, host: string | undefined, tlsOptions: tls.TlsOptions & { backlog?: number }): Op<Server>;
export function listenTls(address: ListenAddress, tlsOptions: tls.TlsOptions): Op<Server>;
export function listenTls(
  a: number | ListenAddress,
  b?: string | tls.TlsOptions,
  c?: tls.TlsOptions & { backlog?: number },
): Op<Server> {
  const opts = (typeof a === 'number' ? c : b) as tls.TlsOptions & { backlog?: number };
  const addr = normalize(a, typeof b === 'string' ? b : undefined, opts);
  return launch(new ListenOp(tls.createServer({ ...opts, allowHalfOpen: true }), addr, true));
}

function normalize(a: number | ListenAddress, host?: string, options?: { backlog?: number }): ListenAddress {
  if (typeof a === 'number') return { port: a, host: host ?? '127.0.0.1', backlog: options?.backlog ?? 511 };
  if ('path' in a) return a;
  return { port: a.port, host: a.host ?? '127.0.0.1', backlog: a.backlog ?? 511 };
}

class ListenOp extends Op<Server> implements WaitOwner {
  constructor(
    private readonly raw: net.Server,
    private readonly addr: ListenAddress,
    private readonly secure: boolean,
  ) {
    super();
  }
  protected start(): typeof SUSPEND {
    const w = new Waiter('server', `listen(${describe(this.addr)})`, true, this);
    w.parkCurrent();
    const onError = (e: unknown): void => {
      this.raw.off('listening', onListening);
      w.fail(fromNodeError(e, `listen(${describe(this.addr)})`));
    };
    const onListening = (): void => {
      this.raw.off('error', onError);
      w.wake(new Server(this.raw, this.secure));
    };
    this.raw.once('error', onError);
    this.raw.once('listening', onListening);
    this.raw.listen(this.addr);
    return SUSPEND;
  }
  /** Killed while binding: close the half-made server. */
  detach(): void {
    this.raw.removeAllListeners('listening');
    this.raw.removeAllListeners('error');
    this.raw.on('error', () => {});
    this.raw.close();
  }
  toString(): string {
    return `listen(${describe(this.addr)})`;
  }
}

function describe(a: ListenAddress): string {
  return 'path' in a ? a.path : `${a.host}:${a.port}`;
}
