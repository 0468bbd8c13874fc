import { isTaskletExit } from '../core/errors.js';
import { schedule } from '../core/scheduling.js';
import type { Trap } from '../core/frame.js';
import type { Tasklet } from '../core/tasklet.js';
import { BodyTooLargeError, ClientGoneError, HttpParseError, HttpTimeoutError } from './errors.js';
import type { Linked } from './connection-list.js';
import type { Transport } from './transport.js';
import type { UpgradedStream } from './upgraded-stream.js';
import { HttpRequest } from './request.js';
import { parseRequestHead, type RequestHead } from './request-head.js';
import { HttpResponse } from './response.js';
import { reasonPhrase } from './response-head.js';
import type { HttpServer } from './server.js';

const EMPTY = Buffer.alloc(0);
/** An unread request body up to this size is read and dropped to keep the connection; a larger one closes it. */
const DRAIN_LIMIT = 64 * 1024;
/** Pipelined requests answered back to back before the connection's tasklet yields. */
const PIPELINE_BURST = 16;

/**
 * One client connection and the tasklet that serves it.
 *
 * Invariants:
 *  - state 'idle' (waiting for the first byte of a request head, nothing pending) →
 *    'active' (reading a head, or a request is being handled) → 'idle' … → 'closed'.
 *  - `pending` holds the bytes received and not consumed yet (the start of the next head,
 *    or body bytes); it is empty while 'idle'.
 *  - request/response belong to the current or last request (null before the first).
 *  - 'closed' ⇔ the server forgot this connection.
 */
export class HttpConnection implements Linked<HttpConnection> {
  state: 'idle' | 'active' | 'closed' = 'active';
  pending: Buffer = EMPTY;
  requests = 0;
  /** @internal The serving tasklet. Writer: HttpServer when it starts it. */
  tasklet: Tasklet | null = null;
  private req: HttpRequest | null = null;
  private res: HttpResponse | null = null;
  /** @internal The stream handed over by res.upgrade() (null unless upgraded). Writer: HttpResponse.upgrade(). */
  upgraded: UpgradedStream | null = null;
  /** @internal The server's list of open connections. Writer: ConnectionList. */
  listPrev: HttpConnection | null = null;
  /** @internal Writer: ConnectionList. */
  listNext: HttpConnection | null = null;
  /** @internal Writer: ConnectionList. */
  listed = false;

  constructor(
    readonly server: HttpServer,
    readonly conn: Transport,
  ) {}

  /** The request being handled. Caller: HttpResponse, HttpRequest (only during a request). */
  get request(): HttpRequest {
    return this.req!;
  }
  get response(): HttpResponse {
    return this.res!;
  }

  /**
   * The connection's tasklet: read a head, run the handler, repeat while keep-alive.
   * Never raises (but for TaskletExit): protocol errors get their status code and close,
   * handler errors a 500 if the head was not sent, a vanished client just ends the loop.
   */
  *serve(): Generator<Trap, void, unknown> {
    const server = this.server;
    const conn = this.conn;
    let burst = 0;
    try {
      for (;;) {
        const head = yield* this.readHead();
        if (head === null) return;
        this.pending = this.pending.subarray(head.headLength);
        this.requests++;
        const req = new HttpRequest(head, this);
        const res = new HttpResponse(this);
        this.req = req;
        this.res = res;
        server.activeRequests++;
        try {
          yield* this.runHandler(req, res);
        } finally {
          server.activeRequests--;
        }
        if (res.mustClose || server.state !== 'listening') return;
        if (req.hasUnreadBody && !(yield* this.drainBody(req))) return;
        // Fairness (Syncless schedules between keep-alive requests): a client pipelining a
        // flood of requests lets the other tasklets run every PIPELINE_BURST requests.
        if (this.pending.length === 0) burst = 0;
        else if (++burst % PIPELINE_BURST === 0) yield* schedule();
      }
    } catch (e) {
      if (isTaskletExit(e)) throw e;
      if (e instanceof HttpParseError) yield* this.sendError(e.status, e.message);
      else if (!(e instanceof ClientGoneError || e instanceof HttpTimeoutError)) server.reportError(e, this.req);
    } finally {
      if (this.upgraded !== null) this.upgraded.detach();
      conn.deadline = 0;
      this.state = 'closed';
      conn.closeSoon();
      server.forget(this);
    }
  }

  /** The next request head, or null when the client closed (or the server drains) between requests. */
  private *readHead(): Generator<Trap, RequestHead | null, unknown> {
    const conn = this.conn;
    const server = this.server;
    const limits = server.limits;
    let started = this.pending.length > 0;
    this.state = started ? 'active' : 'idle';
    conn.deadline = performance.now() + (started || this.requests === 0 ? limits.headersTimeout : limits.keepAliveTimeout);
    for (;;) {
      if (this.pending.length > 0) {
        const head = parseRequestHead(this.pending, limits);
        if (head !== null) {
          conn.deadline = 0;
          this.state = 'active';
          return head;
        }
        if (!started) {
          // Slowloris: the whole head must arrive within headersTimeout of its first byte.
          started = true;
          this.state = 'active';
          conn.deadline = performance.now() + limits.headersTimeout;
        }
      } else if (server.state !== 'listening') {
        return null;
      }
      const d = yield* conn.recv();
      if (d.length === 0) return null;
      this.pending = this.pending.length === 0 ? d : Buffer.concat([this.pending, d]);
    }
  }

  private *runHandler(req: HttpRequest, res: HttpResponse): Generator<Trap, void, unknown> {
    try {
      const r = this.server.handler(req, res);
      if (r !== null && typeof r === 'object' && typeof (r as Iterator<Trap>).next === 'function')
        yield* r as Generator<Trap, unknown, unknown>;
      if (res.state !== 'ended') yield* res.finish();
    } catch (e) {
      if (isTaskletExit(e) || e instanceof ClientGoneError || e instanceof HttpTimeoutError) throw e;
      res.mustClose = true;
      let status = 500;
      if (e instanceof BodyTooLargeError) status = 413;
      else if (e instanceof HttpParseError) status = e.status;
      else this.server.reportError(e, req);
      if (res.state === 'head-pending') yield* this.sendError(status, status === 500 ? 'the request handler failed' : (e as Error).message);
    }
  }

  /** Read and drop an unread request body so the connection can carry the next request. */
  private *drainBody(req: HttpRequest): Generator<Trap, boolean, unknown> {
    if (!req.continueSent) return false; // the client waits for 100 Continue: it may never send the body
    req.maxBodySize = req.bytesRead + DRAIN_LIMIT;
    try {
      while ((yield* req.readPiece(true)) !== null);
      return true;
    } catch (e) {
      if (isTaskletExit(e)) throw e;
      return false;
    }
  }

  /** A minimal error response with Connection: close (best effort: the client may be gone). */
  private *sendError(status: number, message: string): Generator<Trap, void, unknown> {
    if (this.conn.status === 'closed') return;
    const body = `${status} ${reasonPhrase(status)}: ${message}\n`;
    const text =
      `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    try {
      yield* this.conn.write(text);
    } catch (e) {
      if (isTaskletExit(e)) throw e;
    }
    if (this.res !== null && this.res.state === 'head-pending') this.res.state = 'ended';
  }

  toString(): string {
    return `HttpConnection(${this.conn}, ${this.state}, ${this.requests} requests)`;
  }
}
