import type { Trap } from '../core/frame.js';
import { GenOp, launch, type Op } from '../core/op.js';
import type { HttpConnection } from './connection.js';
import { HttpUsageError } from './errors.js';
import { httpDate } from './http-date.js';
import { checkHeader, chunkHeader, headerPairs, LAST_CHUNK, reasonPhrase, statusLine, type HeaderInit } from './response-head.js';
import { UpgradedStream } from './upgraded-stream.js';

/**
 * The response a handler writes with tasklet-blocking calls. The head is sent with the
 * first write (or end). Framing is chosen then: Content-Length when the whole body is given
 * to end() or the handler set it, else chunked for HTTP/1.1, else close-delimited (1.0).
 * Never more than a declared Content-Length is sent; sending less closes the connection.
 *
 * Invariants:
 *  - state 'head-pending' → 'streaming' → 'ended' (or straight to 'ended'); headers can only
 *    change while 'head-pending'.
 *  - framing is null iff the head was not sent; 'length' ⇒ `lengthLeft >= 0`.
 *  - `mustClose` only goes from false to true.
 */
export class HttpResponse {
  state: 'head-pending' | 'streaming' | 'ended' = 'head-pending';
  /** The status code sent with the head (default 200). */
  statusCode = 200;
  /** Reason phrase override (default: the standard one). */
  statusMessage: string | undefined = undefined;
  /** @internal True when the connection cannot carry another request after this response. */
  mustClose = false;
  /** @internal */
  framing: 'length' | 'chunked' | 'close' | 'none' | null = null;
  private lengthLeft = 0;
  private readonly fields: [string, string][] = [];

  constructor(/** @internal */ private readonly hc: HttpConnection) {}

  /** Set a header (replacing fields of the same name). Throws InvalidHeaderError for CR/LF or a bad name. */
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.checkPending(`setHeader(${name})`);
    this.removeHeader(name);
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    for (const v of values) {
      checkHeader(name, v);
      this.fields.push([name, v]);
    }
    return this;
  }

  /** Add a field without replacing existing ones (Set-Cookie). */
  appendHeader(name: string, value: string): this {
    this.checkPending(`appendHeader(${name})`);
    checkHeader(name, value);
    this.fields.push([name, value]);
    return this;
  }

  getHeader(name: string): string | undefined {
    const k = name.toLowerCase();
    return this.fields.find(([n]) => n.toLowerCase() === k)?.[1];
  }

  removeHeader(name: string): this {
    this.checkPending(`removeHeader(${name})`);
    const k = name.toLowerCase();
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]![0].toLowerCase() === k) this.fields.splice(i, 1);
    return this;
  }

  /** Set status and headers at once (still sent with the first write). */
  writeHead(status: number, headers?: HeaderInit): this {
    this.checkPending('writeHead()');
    this.statusCode = status;
    for (const [n, v] of headerPairs(headers)) this.appendHeader(n, v);
    return this;
  }

  /** True once the head went out. */
  get headersSent(): boolean {
    return this.state !== 'head-pending';
  }

  /** Send a piece of the body (the head first, if not sent yet). Blocks only under backpressure. */
  write(chunk: string | Uint8Array): Op<void> {
    return launch(new GenOp('response.write()', () => this.writeChunk(chunk)));
  }

  /** Finish the response, optionally with a last piece of body. */
  end(chunk?: string | Uint8Array): Op<void> {
    return launch(new GenOp('response.end()', () => this.finish(chunk)));
  }

  /** Status, headers and the whole body in one call. */
  send(status: number, body?: string | Uint8Array, headers?: HeaderInit): Op<void> {
    this.writeHead(status, headers);
    return launch(new GenOp('response.send()', () => this.finish(body)));
  }

  /**
   * Answer `101 Switching Protocols` to a request that asked for an upgrade (`req.upgrade`
   * is not null) and take over the connection's byte stream: the returned UpgradedStream
   * reads and writes raw bytes with tasklet-blocking calls. The connection closes when the
   * handler returns. `protocol` (default: the Upgrade header the client sent) goes in the
   * 101's Upgrade header, `headers` are added (Sec-WebSocket-Accept, ...), as are those set
   * with setHeader(); `readTimeout` (ms, default none) bounds each read().
   */
  upgrade(options: { protocol?: string; headers?: HeaderInit; readTimeout?: number } = {}): Op<UpgradedStream> {
    const hc = this.hc;
    const req = hc.request;
    if (req.head.upgrade === null)
      throw new HttpUsageError('res.upgrade(): the request did not ask to switch protocols (it needs "Connection: upgrade" and an Upgrade header)');
    this.checkPending('res.upgrade()');
    if (req.hasUnreadBody) throw new HttpUsageError('res.upgrade(): read the request body first (the new protocol starts after it)');
    const protocol = options.protocol ?? req.head.upgrade;
    const readTimeout = options.readTimeout ?? 0;
    if (!(readTimeout >= 0)) throw new RangeError(`res.upgrade(): readTimeout must be >= 0 ms, got ${String(readTimeout)}`);
    checkHeader('Upgrade', protocol);
    let head = `${statusLine('1.1', 101)}Connection: Upgrade\r\nUpgrade: ${protocol}\r\n`;
    for (const [name, value] of [...this.fields, ...headerPairs(options.headers)]) {
      checkHeader(name, value);
      const k = name.toLowerCase();
      if (k === 'connection' || k === 'upgrade' || k === 'content-length' || k === 'transfer-encoding') continue;
      head += `${name}: ${value}\r\n`;
    }
    head += '\r\n';
    this.statusCode = 101;
    this.state = 'ended';
    this.framing = 'none';
    this.mustClose = true;
    const stream = new UpgradedStream(hc, protocol, readTimeout);
    hc.upgraded = stream;
    const conn = hc.conn;
    return launch(
      new GenOp('response.upgrade()', function* () {
        yield* conn.write(head);
        return stream;
      }),
    );
  }

  /** @internal Caller: write(), and the fetch adapter. */
  *writeChunk(chunk: string | Uint8Array): Generator<Trap, void, unknown> {
    if (this.state === 'ended') throw new HttpUsageError('response.write() after response.end(): the response is complete');
    const len = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (this.state === 'head-pending') {
      const head = this.buildHead(null);
      this.state = 'streaming';
      if (len === 0) return yield* this.hc.conn.write(head);
      return yield* this.emit(head, chunk, len);
    }
    if (len === 0) return;
    return yield* this.emit('', chunk, len);
  }

  /** @internal Caller: end(), send(), the connection loop (auto-end) and error responses. */
  *finish(chunk?: string | Uint8Array): Generator<Trap, void, unknown> {
    if (this.state === 'ended') throw new HttpUsageError('response.end() called twice');
    const conn = this.hc.conn;
    if (this.state === 'head-pending') {
      const body = chunk ?? '';
      const len = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      const head = this.buildHead(len);
      if (this.framing === 'length' && len > this.lengthLeft) {
        this.framing = null;
        this.mustClose = true;
        throw new HttpUsageError(`response body of ${len} bytes exceeds the Content-Length of ${this.lengthLeft}`);
      }
      this.state = 'ended';
      if (this.framing === 'none' || len === 0) return yield* conn.write(head);
      if (this.framing === 'length' && len < this.lengthLeft) this.mustClose = true;
      if (typeof body === 'string') return yield* conn.write(head + body);
      return yield* conn.write2(head, body);
    }
    if (chunk !== undefined) yield* this.writeChunk(chunk);
    this.state = 'ended';
    if (this.framing === 'chunked') yield* conn.write(LAST_CHUNK);
    else if (this.framing === 'length' && this.lengthLeft > 0) this.mustClose = true;
  }

  private *emit(prefix: string, chunk: string | Uint8Array, len: number): Generator<Trap, void, unknown> {
    const conn = this.hc.conn;
    switch (this.framing) {
      case 'none':
        return prefix.length > 0 ? yield* conn.write(prefix) : undefined;
      case 'length':
        if (len > this.lengthLeft) {
          this.mustClose = true;
          throw new HttpUsageError(`response body exceeds the Content-Length: ${len} more bytes, ${this.lengthLeft} left`);
        }
        this.lengthLeft -= len;
        break;
      case 'chunked':
        prefix += chunkHeader(len);
        if (typeof chunk === 'string') return yield* conn.write(`${prefix}${chunk}\r\n`);
        yield* conn.write2(prefix, chunk);
        return yield* conn.write('\r\n');
      case 'close':
        break;
      case null:
        throw new HttpUsageError('internal: body before head');
    }
    if (typeof chunk === 'string') return yield* conn.write(prefix + chunk);
    if (prefix.length === 0) return yield* conn.write(chunk);
    return yield* conn.write2(prefix, chunk);
  }

  /**
   * Decide the framing and serialize the head. `bodyLength` is the whole body's length
   * when end() is given it with the head still pending, else null (streaming).
   */
  private buildHead(bodyLength: number | null): string {
    const hc = this.hc;
    const req = hc.request;
    const status = this.statusCode;
    if (status === 101) throw new HttpUsageError('status 101: switch protocols with res.upgrade(), which hands over the connection');
    const noBody = req.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
    let declared = -1;
    let userClose = false;
    let s = statusLine('1.1', status, this.statusMessage ?? reasonPhrase(status));
    let hasDate = false;
    for (const [name, value] of this.fields) {
      const k = name.length;
      if (k === 14 && name.toLowerCase() === 'content-length') {
        if (!/^[0-9]{1,15}$/.test(value)) throw new HttpUsageError(`invalid Content-Length ${JSON.stringify(value)}`);
        declared = Number(value);
        continue;
      } else if (k === 17 && name.toLowerCase() === 'transfer-encoding') {
        throw new HttpUsageError('do not set Transfer-Encoding: the server chooses chunked framing when no Content-Length is set');
      } else if (k === 10 && name.toLowerCase() === 'connection') {
        if (/\bclose\b/i.test(value)) userClose = true;
        continue;
      } else if (k === 4 && name.toLowerCase() === 'date') hasDate = true;
      s += `${name}: ${value}\r\n`;
    }
    if (!hasDate) s += `Date: ${httpDate()}\r\n`;
    if (noBody) {
      this.framing = 'none';
      if (declared >= 0) s += `Content-Length: ${declared}\r\n`;
      else if (bodyLength !== null && req.method === 'HEAD') s += `Content-Length: ${bodyLength}\r\n`;
    } else if (declared >= 0) {
      this.framing = 'length';
      this.lengthLeft = declared;
      s += `Content-Length: ${declared}\r\n`;
    } else if (bodyLength !== null) {
      this.framing = 'length';
      this.lengthLeft = bodyLength;
      s += `Content-Length: ${bodyLength}\r\n`;
    } else if (req.httpVersion === '1.1') {
      this.framing = 'chunked';
      s += 'Transfer-Encoding: chunked\r\n';
    } else {
      this.framing = 'close';
      this.mustClose = true;
    }
    if (userClose || !req.head.keepAlive || hc.server.state !== 'listening' || req.hasUnreadBody && !req.continueSent) this.mustClose = true;
    if (this.mustClose) s += 'Connection: close\r\n';
    else if (req.httpVersion === '1.0') s += 'Connection: keep-alive\r\n';
    return `${s}\r\n`;
  }

  private checkPending(what: string): void {
    if (this.state !== 'head-pending')
      throw new HttpUsageError(`${what}: the response head was already sent; set headers before the first write()`);
  }

  toString(): string {
    return `HttpResponse(${this.statusCode}, ${this.state})`;
  }
}
