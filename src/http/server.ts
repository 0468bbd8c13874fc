import { createServer, type Server, type Socket } from 'node:net';
import { Bomb } from '../core/bomb.js';
import { InternalError } from '../core/errors.js';
import type { Trap } from '../core/frame.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { park, unpark } from '../core/park.js';
import { sched } from '../core/scheduler.js';
import { Tasklet } from '../core/tasklet.js';
import type { Waitable } from '../core/waitable.js';
import { HttpConnection } from './connection.js';
import { ConnectionList } from './connection-list.js';
import { ClientGoneError } from './errors.js';
import { kickScheduler, requireAsyncMain } from './event-loop-bridge.js';
import { IoConnection } from './io-connection.js';
import { NetConnection } from './net-connection.js';
import type { HttpRequest } from './request.js';
import type { HeadLimits } from './request-head.js';
import type { HttpResponse } from './response.js';

/** A request handler: a tasklet function that reads `req` and writes `res` with yield*. */
export type Handler = (req: HttpRequest, res: HttpResponse) => Generator<Trap, unknown, unknown> | void;

/** Limits and timeouts (all in bytes / milliseconds). */
export interface Limits extends HeadLimits {
  /** Largest request body a handler may read (413 beyond). Default 1 MiB. */
  readonly maxBodySize: number;
  /** How long an idle keep-alive connection is kept between requests. Default 5 s. */
  readonly keepAliveTimeout: number;
  /** How long a request head may take from its first byte (slowloris). Default 10 s. */
  readonly headersTimeout: number;
  /** How long a body read may wait for the next bytes, and a write for a client that does not read. Default 10 s. */
  readonly bodyTimeout: number;
}

export interface ListenOptions extends Partial<Limits> {
  /** Default 0: a free port (read it from `server.port`). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Listen backlog. Default 511. */
  backlog?: number;
  /**
   * How connections are read and written: 'net' (default) parks tasklets on node:net
   * directly; 'io' uses stackless/io's Socket (its hub, installed when stackless/io is
   * loaded, restarts the scheduler for io's waits). See README.md.
   */
  transport?: 'net' | 'io';
  /** Called with errors of handlers (answered with 500) and of the server. Default: console.error. */
  onError?: (error: unknown, request: HttpRequest | null) => void;
}

export const DEFAULT_LIMITS: Limits = {
  maxHeaderSize: 16 * 1024,
  maxHeaders: 100,
  maxBodySize: 1024 * 1024,
  keepAliveTimeout: 5_000,
  headersTimeout: 10_000,
  bodyTimeout: 10_000,
};

/** Live counts, for monitoring and leak tests. */
export interface HttpServerStats {
  /** Open client connections. */
  connections: number;
  /** Connections waiting for their next request. */
  idleConnections: number;
  /** Requests whose handler is running. */
  activeRequests: number;
  /** Connection tasklets that are alive (one per connection). */
  tasklets: number;
  /** Requests handled since the server started. */
  requests: number;
}

/**
 * Start an HTTP/1.1 server; returns once it listens. Each connection is served by its own
 * tasklet running `handler` for each request. Needs a main tasklet that can wait for I/O
 * (`main()` from stackless/io or core's `runMainAsync`).
 */
export function listen(handler: Handler, options: ListenOptions = {}): Op<HttpServer> {
  if (typeof handler !== 'function') throw new TypeError('listen(handler, options) needs a handler function* (req, res) { ... }');
  return launch(new ListenOp(handler, options));
}

/**
 * A listening HTTP server.
 *
 * Invariants:
 *  - state 'starting' → 'listening' → 'draining' → 'closed' (or 'starting' → 'closed' when
 *    listening failed). Only 'listening' accepts connections.
 *  - `conns` holds exactly the connections whose tasklet has not finished; each has one
 *    tasklet, alive while it is in `conns` (a ConnectionList, not a Set: see there why).
 *  - `closeWaiters` holds tasklets blocked in closed(); empty once 'closed'.
 *  - the sweep timer runs iff state is 'listening' or 'draining'.
 */
export class HttpServer implements Waitable {
  readonly external = true;
  state: 'starting' | 'listening' | 'draining' | 'closed' = 'starting';
  port = 0;
  readonly host: string;
  readonly limits: Limits;
  /** @internal Writer: HttpConnection. */
  activeRequests = 0;
  private requestsBefore = 0;
  private readonly conns = new ConnectionList<HttpConnection>();
  private readonly net: Server;
  private starter: Tasklet | null = null;
  private closeWaiters: Tasklet[] = [];
  private sweepTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;
  private readonly onError: (error: unknown, request: HttpRequest | null) => void;

  /** @internal Use listen(). */
  constructor(
    /** @internal */ readonly handler: Handler,
    private readonly options: ListenOptions,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.limits = { ...DEFAULT_LIMITS };
    for (const k of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
      const v = options[k];
      if (v !== undefined) {
        if (!(typeof v === 'number' && v > 0)) throw new RangeError(`listen(): option ${k} must be a positive number, got ${String(v)}`);
        (this.limits as { -readonly [K in keyof Limits]: number })[k] = v;
      }
    }
    this.onError = options.onError ?? ((e, req) => console.error(`stackless/http: ${req === null ? 'server' : String(req)} failed:`, e));
    this.closedPromise = new Promise((r) => (this.resolveClosed = r));
    this.net = createServer({ noDelay: true, allowHalfOpen: true }, (s) => this.onConnection(s));
  }

  /** Live counts: connections, idle connections, active requests, live connection tasklets. */
  stats(): HttpServerStats {
    let idle = 0;
    let tasklets = 0;
    let requests = this.requestsBefore;
    for (const hc of this.conns.toArray()) {
      if (hc.state === 'idle') idle++;
      if (hc.tasklet !== null && hc.tasklet.alive) tasklets++;
      requests += hc.requests;
    }
    return { connections: this.conns.size, idleConnections: idle, activeRequests: this.activeRequests, tasklets, requests };
  }

  /**
   * Graceful shutdown: stop accepting, close idle keep-alive connections, let requests in
   * flight finish (their responses say Connection: close); after `deadline` ms (default
   * 5000) drop the connections that are left and kill their tasklets. Callable from a
   * tasklet or from plain code; returns at once (wait with closed() or whenClosed()).
   */
  close(options?: { deadline?: number }): void {
    if (this.state === 'draining' || this.state === 'closed') return;
    if (this.state === 'starting') {
      this.finish();
      return;
    }
    this.state = 'draining';
    this.net.close();
    let woke = false;
    for (const hc of this.conns.toArray()) if (hc.state === 'idle' && hc.conn.endReader()) woke = true;
    const ms = options?.deadline ?? 5_000;
    this.deadlineTimer = setTimeout(() => this.forceClose(), ms);
    this.checkClosed();
    if (woke) kickScheduler();
  }

  /** Block the tasklet until the server has closed (after close() and the drain). */
  closed(): Op<void> {
    return launch(new ClosedOp(this));
  }

  /** A promise settled when the server has closed, for plain code. */
  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** @internal Caller: HttpConnection, once its tasklet is about to end. */
  forget(hc: HttpConnection): void {
    if (!this.conns.remove(hc)) return;
    this.requestsBefore += hc.requests;
    if (this.state === 'draining') this.checkClosed();
  }

  /** @internal Caller: HttpConnection. */
  reportError(e: unknown, req: HttpRequest | null): void {
    try {
      this.onError(e, req);
    } catch {
      // an onError that throws must not take the connection tasklet down
    }
  }

  private onConnection(sock: Socket): void {
    if (this.state !== 'listening' || sched.main._frame === null) {
      sock.destroy();
      return;
    }
    const nc = this.options.transport === 'io' ? new IoConnection(sock) : new NetConnection(sock);
    nc.writeTimeoutMs = this.limits.bodyTimeout;
    const hc = new HttpConnection(this, nc);
    this.conns.add(hc);
    const t = new Tasklet(serveConnection);
    hc.tasklet = t;
    t.setup(hc);
    kickScheduler();
  }

  /** @internal Caller: ListenOp. */
  start(t: Tasklet): void {
    this.starter = t;
    this.net.once('error', (e: Error) => {
      const s = this.starter;
      this.starter = null;
      this.finish();
      if (s !== null) {
        unpark(s, new Bomb(e));
        kickScheduler();
      }
    });
    this.net.listen({ port: this.options.port ?? 0, host: this.host, backlog: this.options.backlog ?? 511 }, () => {
      this.net.on('error', (e: Error) => this.reportError(e, null));
      this.port = (this.net.address() as { port: number }).port;
      this.state = 'listening';
      const every = Math.min(1000, Math.max(10, Math.min(this.limits.keepAliveTimeout, this.limits.headersTimeout, this.limits.bodyTimeout) / 4));
      this.sweepTimer = setInterval(() => this.sweep(), every);
      this.sweepTimer.unref();
      const s = this.starter;
      this.starter = null;
      if (s !== null) {
        unpark(s, this);
        kickScheduler();
      }
    });
  }

  /** Expire connections whose deadline passed (idle keep-alive, slow heads, stalled bodies). */
  private sweep(): void {
    const now = performance.now();
    let expired = false;
    for (const hc of this.conns.toArray()) {
      const d = hc.conn.deadline;
      if (d !== 0 && now >= d) {
        hc.conn.expire(hc.state === 'idle' ? 'keep-alive connection idle' : 'client too slow');
        expired = true;
      }
    }
    if (expired) kickScheduler();
  }

  private forceClose(): void {
    this.deadlineTimer = null;
    if (this.state !== 'draining') return;
    const stuck: Tasklet[] = [];
    for (const hc of this.conns.toArray()) {
      hc.conn.destroy(new ClientGoneError('the server shut down: the shutdown deadline passed'));
      const t = hc.tasklet;
      if (t !== null && t.alive && t.status !== 'scheduled') stuck.push(t);
    }
    if (stuck.length > 0)
      new Tasklet(function* killStuck(): Generator<Trap, void, unknown> {
        for (const t of stuck) if (t.alive && t.status !== 'scheduled') yield* t.kill();
      }).setup();
    kickScheduler();
  }

  private checkClosed(): void {
    if (this.state === 'draining' && this.conns.size === 0) this.finish();
  }

  private finish(): void {
    this.state = 'closed';
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.sweepTimer = null;
    this.deadlineTimer = null;
    this.net.close();
    const ws = this.closeWaiters;
    this.closeWaiters = [];
    for (const t of ws) unpark(t, undefined);
    this.resolveClosed();
    if (ws.length > 0) kickScheduler();
  }

  /** @internal Caller: ClosedOp. */
  addCloseWaiter(t: Tasklet): void {
    park(t, this);
    this.closeWaiters.push(t);
  }

  /** @internal Caller: the scheduler. */
  cancelWait(t: Tasklet): void {
    if (this.starter === t) this.starter = null;
    const i = this.closeWaiters.indexOf(t);
    if (i >= 0) this.closeWaiters.splice(i, 1);
  }

  describeWait(t: Tasklet): string {
    return t === this.starter ? `starting http server on ${this.host}` : `waiting for http server ${this.host}:${this.port} to close`;
  }

  toString(): string {
    return `HttpServer(${this.host}:${this.port}, ${this.state})`;
  }

  checkInvariants(): void {
    const fail = (what: string): never => {
      throw new InternalError(`${this}: ${what}`);
    };
    this.conns.checkInvariants();
    for (const hc of this.conns.toArray()) {
      if (hc.state === 'closed') fail('a closed connection is still registered');
      if (hc.tasklet === null || !hc.tasklet.alive) fail('a registered connection has no live tasklet');
      hc.conn.checkInvariants();
      hc.upgraded?.checkInvariants();
    }
    if (this.state === 'closed' && this.closeWaiters.length > 0) fail('close waiters left after close');
    if ((this.sweepTimer !== null) !== (this.state === 'listening' || this.state === 'draining')) fail('sweep timer state');
    if (this.activeRequests < 0) fail('activeRequests < 0');
  }
}

function serveConnection(hc: HttpConnection): Generator<Trap, void, unknown> {
  return hc.serve();
}

class ListenOp extends Op<HttpServer> {
  constructor(
    private readonly handler: Handler,
    private readonly options: ListenOptions,
  ) {
    super();
  }
  protected start(): typeof SUSPEND {
    requireAsyncMain('listen()');
    const server = new HttpServer(this.handler, this.options);
    const t = sched.current;
    park(t, server);
    server.start(t);
    return SUSPEND;
  }
  toString(): string {
    return 'http listen()';
  }
}

class ClosedOp extends Op<void> {
  constructor(private readonly server: HttpServer) {
    super();
  }
  protected start(): void | typeof SUSPEND {
    if (this.server.state === 'closed') return;
    this.server.addCloseWaiter(sched.current);
    return SUSPEND;
  }
  toString(): string {
    return `${this.server}.closed()`;
  }
}
