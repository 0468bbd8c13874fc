import type { Trap } from '../core/frame.js';
import { GenOp, launch, type Op } from '../core/op.js';
import { ChunkedDecoder } from './chunked-decoder.js';
import type { HttpConnection } from './connection.js';
import { BodyTooLargeError, ClientGoneError, HttpUsageError } from './errors.js';
import type { RequestHead } from './request-head.js';

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
const NO_FIELDS: readonly string[] = Object.freeze([]);

/** [name, value, ...] → a record with lower-cased names, repeated fields joined with ", ". */
function joinFields(h: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < h.length; i += 2) {
    const k = h[i]!.toLowerCase();
    const prev = out[k];
    out[k] = prev === undefined ? h[i + 1]! : `${prev}, ${h[i + 1]!}`;
  }
  return out;
}

/**
 * One request as the handler sees it: the parsed head, and the body read with
 * tasklet-blocking calls, all at once (`body()`, `text()`, `json()`) or as a stream
 * (`read()` until null), never more than `maxBodySize` bytes (BodyTooLargeError, answered
 * with 413 if the handler lets it propagate).
 *
 * Invariants:
 *  - bodyState 'unread' → 'reading' → 'done' | 'failed'; 'done' ⇔ the whole body (and, for
 *    chunked, the trailers) was consumed from the connection.
 *  - `bytesRead <= maxBodySize` unless bodyState is 'failed'.
 *  - `remaining` counts the bytes left of a Content-Length body; `decoder` is set iff chunked.
 */
export class HttpRequest {
  readonly method: string;
  /** The request-target as sent: "/path?query". */
  readonly url: string;
  readonly httpVersion: '1.0' | '1.1';
  bodyState: 'unread' | 'reading' | 'done' | 'failed';
  /** Body bytes delivered to the handler so far. */
  bytesRead = 0;
  /** The most body bytes this request accepts; set it before reading to raise or lower the server's limit. */
  maxBodySize: number;
  /** @internal True once "100 Continue" was sent (or was not needed). */
  continueSent: boolean;
  private remaining: number;
  private readonly decoder: ChunkedDecoder | null;
  private headerCache: Record<string, string> | null = null;

  constructor(
    /** @internal */ readonly head: RequestHead,
    private readonly hc: HttpConnection,
  ) {
    this.method = head.method;
    this.url = head.target;
    this.httpVersion = head.version;
    this.maxBodySize = hc.server.limits.maxBodySize;
    this.continueSent = !head.expectContinue;
    const f = head.body;
    this.remaining = f.kind === 'length' ? f.length : 0;
    const limits = hc.server.limits;
    this.decoder = f.kind === 'chunked' ? new ChunkedDecoder(limits.maxHeaderSize, limits.maxHeaders) : null;
    this.bodyState = f.kind === 'none' ? 'done' : 'unread';
  }

  /** Header fields, names lower-cased, repeated fields joined with ", ". */
  get headers(): Readonly<Record<string, string>> {
    if (this.headerCache === null) this.headerCache = joinFields(this.head.rawHeaders);
    return this.headerCache;
  }

  /** One header (case-insensitive), or undefined. */
  header(name: string): string | undefined {
    return this.head.get(name);
  }

  /** [name, value, name, value, ...] exactly as received. */
  get rawHeaders(): readonly string[] {
    return this.head.rawHeaders;
  }

  /**
   * The trailer fields of a chunked body (names lower-cased, repeated fields joined with
   * ", "), validated like headers and within maxHeaderSize / maxHeaders (431 beyond). They
   * follow the body, so they exist once it was read to its end: reading them earlier
   * throws HttpUsageError. Empty for a body that is not chunked. Never merged into headers.
   */
  get trailers(): Readonly<Record<string, string>> {
    return joinFields(this.rawTrailers);
  }

  /** The trailer fields as received: [name, value, ...] (see `trailers`). */
  get rawTrailers(): readonly string[] {
    if (this.bodyState !== 'done')
      throw new HttpUsageError(
        `request trailers are not available yet: they follow the body, which is ${this.bodyState === 'failed' ? 'failed' : 'not read to its end'} (read it first)`,
      );
    return this.decoder === null ? NO_FIELDS : this.decoder.trailers;
  }

  /**
   * The protocols the client asks to switch to (its Upgrade header, e.g. "websocket") when
   * it sent `Connection: upgrade` (HTTP/1.1), else null. Answer with `res.upgrade()`, or
   * ignore it and respond normally.
   */
  get upgrade(): string | null {
    return this.head.upgrade;
  }

  /** The path part of the URL (before "?"). */
  get path(): string {
    const q = this.url.indexOf('?');
    return q < 0 ? this.url : this.url.slice(0, q);
  }

  /** True when the request has a body that was not fully read yet. */
  get hasUnreadBody(): boolean {
    return this.bodyState === 'unread' || this.bodyState === 'reading';
  }

  /** The next piece of the body, or null at its end. Blocks the tasklet until data arrives. */
  read(): Op<Buffer | null> {
    return launch(new GenOp('request.read()', () => this.readPiece()));
  }

  /** The whole body (at most `limit` bytes, default maxBodySize). */
  body(options?: { limit?: number }): Op<Buffer> {
    return launch(new GenOp('request.body()', () => this.readAll(options?.limit)));
  }

  /** The whole body decoded as UTF-8. */
  text(options?: { limit?: number }): Op<string> {
    const self = this;
    return launch(
      new GenOp('request.text()', function* () {
        return (yield* self.readAll(options?.limit)).toString('utf8');
      }),
    );
  }

  /** The whole body parsed as JSON (SyntaxError if it is not JSON). */
  json<T = unknown>(options?: { limit?: number }): Op<T> {
    const self = this;
    return launch(
      new GenOp('request.json()', function* () {
        return JSON.parse((yield* self.readAll(options?.limit)).toString('utf8')) as T;
      }),
    );
  }

  /** @internal Caller: body(), text(), json(). */
  *readAll(limit?: number): Generator<Trap, Buffer, unknown> {
    if (limit !== undefined) this.maxBodySize = limit;
    const parts: Buffer[] = [];
    for (;;) {
      const p = yield* this.readPiece();
      if (p === null) break;
      parts.push(p);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /**
   * @internal Caller: read(), readAll(), and the connection loop when it drains an unread
   * body (`draining`: after the response ended).
   */
  *readPiece(draining = false): Generator<Trap, Buffer | null, unknown> {
    if (this.bodyState === 'done') return null;
    if (this.bodyState === 'failed') throw new HttpUsageError('the request body cannot be read: an earlier read failed');
    const hc = this.hc;
    if (this.bodyState === 'unread') {
      if (hc.response.state === 'ended' && !draining)
        throw new HttpUsageError('read the request body before ending the response (the connection moves on to the next request)');
      if (this.head.body.kind === 'length' && this.head.body.length > this.maxBodySize) {
        this.bodyState = 'failed';
        throw new BodyTooLargeError(`request body of ${this.head.body.length} bytes is larger than the limit of ${this.maxBodySize} bytes`);
      }
      this.bodyState = 'reading';
      if (!this.continueSent) {
        this.continueSent = true;
        if (hc.response.state === 'head-pending') yield* hc.conn.write(CONTINUE);
      }
    }
    try {
      for (;;) {
        if (hc.pending.length > 0) {
          const piece = this.consume();
          if (piece !== null) {
            this.bytesRead += piece.length;
            if (this.bytesRead > this.maxBodySize)
              throw new BodyTooLargeError(`request body is larger than the limit of ${this.maxBodySize} bytes`);
            return piece;
          }
          if (!this.hasUnreadBody) return null;
        }
        hc.conn.deadline = performance.now() + hc.server.limits.bodyTimeout;
        const d = yield* hc.conn.recv();
        hc.conn.deadline = 0;
        if (d.length === 0) throw new ClientGoneError('the client closed the connection before sending the whole request body');
        hc.pending = d;
      }
    } catch (e) {
      this.bodyState = 'failed';
      hc.conn.deadline = 0;
      throw e;
    }
  }

  /** Take body bytes out of the connection's pending buffer; null if none were produced. */
  private consume(): Buffer | null {
    const hc = this.hc;
    const buf = hc.pending;
    if (this.decoder === null) {
      const take = Math.min(this.remaining, buf.length);
      const piece = buf.subarray(0, take);
      hc.pending = buf.subarray(take);
      this.remaining -= take;
      if (this.remaining === 0) this.bodyState = 'done';
      return take > 0 ? piece : null;
    }
    const out: Buffer[] = [];
    const used = this.decoder.decode(buf, 0, out);
    hc.pending = buf.subarray(used);
    if (this.decoder.status === 'done') this.bodyState = 'done';
    if (out.length === 0) return null;
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  toString(): string {
    return `HttpRequest(${this.method} ${this.url})`;
  }
}
