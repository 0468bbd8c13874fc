import { HttpParseError } from './errors.js';
import { FIELD_VALUE_CHAR, TARGET_CHAR, TCHAR } from './tokens.js';

/** How the request body is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' };

/** Limits the head parser enforces. */
export interface HeadLimits {
  /** Maximum bytes of the request line plus header lines plus the blank line (431 beyond). */
  readonly maxHeaderSize: number;
  /** Maximum number of header fields (431 beyond). */
  readonly maxHeaders: number;
}

export const DEFAULT_HEAD_LIMITS: HeadLimits = { maxHeaderSize: 16 * 1024, maxHeaders: 100 };

const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });
const MAX_CONTENT_LENGTH_DIGITS = 15; // < 2^53: a safe integer

/** A parsed request line and header section. Immutable once parsed. */
export class RequestHead {
  constructor(
    readonly method: string,
    /** The request-target exactly as sent ("/path?query", "*", "host:port", absolute URI). */
    readonly target: string,
    readonly version: '1.0' | '1.1',
    /** Field names (as sent) and values (OWS trimmed), alternating: [name, value, ...]. */
    readonly rawHeaders: readonly string[],
    /** Bytes the head occupied in the input (including skipped leading blank lines). */
    readonly headLength: number,
    readonly body: BodyFraming,
    /** True when the connection may carry another request after this one. */
    readonly keepAlive: boolean,
    readonly expectContinue: boolean,
    /**
     * The protocols of the Upgrade header when the client asks to switch (HTTP/1.1 with
     * "upgrade" among the Connection options, RFC 9110 §7.8), else null.
     */
    readonly upgrade: string | null = null,
  ) {}

  /** The value of header `name` (case-insensitive); several fields are joined with ", ". */
  get(name: string): string | undefined {
    const want = name.toLowerCase();
    const h = this.rawHeaders;
    let out: string | undefined;
    for (let i = 0; i < h.length; i += 2) {
      if (h[i]!.length === want.length && h[i]!.toLowerCase() === want)
        out = out === undefined ? h[i + 1]! : `${out}, ${h[i + 1]!}`;
    }
    return out;
  }
}

function bad(message: string): never {
  throw new HttpParseError(400, message);
}

/**
 * Parse one request head at the start of `buf`. Returns null when `buf` does not yet hold a
 * complete head (read more and call again), the head otherwise. Throws HttpParseError for
 * input that must be rejected: the connection cannot be used after that.
 *
 * Strict on purpose (request smuggling): CRLF line endings only, no obs-fold, no whitespace
 * before the colon, tokens and values checked byte by byte, Content-Length exactly once and
 * all digits, Transfer-Encoding only "chunked" and never together with Content-Length,
 * exactly one Host in HTTP/1.1.
 */
export function parseRequestHead(buf: Buffer, limits: HeadLimits = DEFAULT_HEAD_LIMITS): RequestHead | null {
  let start = 0;
  // RFC 9112 §2.2: ignore empty lines received before the request line.
  while (start + 1 < buf.length && buf[start] === 0x0d && buf[start + 1] === 0x0a) start += 2;
  const end = buf.indexOf('\r\n\r\n', start, 'latin1');
  if (end < 0) {
    if (buf.length - start > limits.maxHeaderSize)
      throw new HttpParseError(431, `request head larger than ${limits.maxHeaderSize} bytes`);
    if (buf.length === start + 1 && buf[start] === 0x0d) return null;
    if (buf.length > start && buf[start] !== 0x0d && TCHAR[buf[start]!] === 0)
      bad('malformed request line');
    return null;
  }
  if (end + 4 - start > limits.maxHeaderSize)
    throw new HttpParseError(431, `request head larger than ${limits.maxHeaderSize} bytes`);
  const text = buf.toString('latin1', start, end + 2);
  let lineEnd = text.indexOf('\r\n');
  const { method, target, version } = parseRequestLine(text, lineEnd);

  const raw: string[] = [];
  let contentLength = -1;
  let clCount = 0;
  let te: string | null = null;
  let hostCount = 0;
  let connection: string | null = null;
  let expect: string | null = null;
  let upgrade: string | null = null;
  let pos = lineEnd + 2;
  while (pos < text.length) {
    lineEnd = text.indexOf('\r\n', pos);
    const first = text.charCodeAt(pos);
    if (first === 0x20 || first === 0x09) bad('obsolete line folding (obs-fold) in header section');
    let colon = -1;
    for (let i = pos; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x3a) {
        colon = i;
        break;
      }
      if (TCHAR[c] === 0) bad(c === 0x20 || c === 0x09 ? 'whitespace before colon in header field' : 'invalid character in header field name');
    }
    if (colon <= pos) bad(colon < 0 ? 'header field without colon' : 'empty header field name');
    let vs = colon + 1;
    let ve = lineEnd;
    while (vs < ve && (text.charCodeAt(vs) === 0x20 || text.charCodeAt(vs) === 0x09)) vs++;
    while (ve > vs && (text.charCodeAt(ve - 1) === 0x20 || text.charCodeAt(ve - 1) === 0x09)) ve--;
    for (let i = vs; i < ve; i++) if (FIELD_VALUE_CHAR[text.charCodeAt(i)] === 0) bad('invalid character in header field value');
    if (raw.length >= limits.maxHeaders * 2) throw new HttpParseError(431, `more than ${limits.maxHeaders} header fields`);
    const name = text.slice(pos, colon);
    const value = text.slice(vs, ve);
    raw.push(name, value);
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') hostCount++;
        break;
      case 7:
        if (name.toLowerCase() === 'upgrade') upgrade = upgrade === null ? value : `${upgrade}, ${value}`;
        break;
      case 6:
        if (name.toLowerCase() === 'expect') expect = expect === null ? value : `${expect}, ${value}`;
        break;
      case 10:
        if (name.toLowerCase() === 'connection') connection = connection === null ? value : `${connection}, ${value}`;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') {
          clCount++;
          contentLength = parseContentLength(value);
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') te = te === null ? value : `${te}, ${value}`;
        break;
    }
    pos = lineEnd + 2;
  }

  if (clCount > 1) bad('duplicate Content-Length header');
  let body: BodyFraming = NO_BODY;
  if (te !== null) {
    if (clCount > 0) bad('both Transfer-Encoding and Content-Length (request smuggling)');
    if (version === '1.0') bad('Transfer-Encoding in an HTTP/1.0 request');
    body = parseTransferEncoding(te);
  } else if (contentLength > 0) {
    body = { kind: 'length', length: contentLength };
  }
  if (version === '1.1' && hostCount !== 1) bad(hostCount === 0 ? 'missing Host header' : 'duplicate Host header');

  let keepAlive = version === '1.1';
  let upgradeAsked = false;
  if (connection !== null) {
    let closeSeen = false;
    for (const opt of connection.split(',')) {
      const o = opt.trim().toLowerCase();
      if (o === 'close') closeSeen = true;
      else if (o === 'keep-alive') keepAlive = true;
      else if (o === 'upgrade') upgradeAsked = true;
    }
    if (closeSeen) keepAlive = false;
  }
  let expectContinue = false;
  if (expect !== null) {
    if (expect.trim().toLowerCase() !== '100-continue') throw new HttpParseError(417, `unsupported expectation: ${expect}`);
    expectContinue = version === '1.1';
  }
  const upgradeTo = upgradeAsked && upgrade !== null && upgrade.length > 0 && version === '1.1' ? upgrade : null;
  return new RequestHead(method, target, version, raw, end + 4, body, keepAlive, expectContinue, upgradeTo);
}

function parseRequestLine(text: string, lineEnd: number): { method: string; target: string; version: '1.0' | '1.1' } {
  const sp1 = text.indexOf(' ');
  if (sp1 <= 0 || sp1 > lineEnd) bad('malformed request line');
  for (let i = 0; i < sp1; i++) if (TCHAR[text.charCodeAt(i)] === 0) bad('invalid character in method');
  const sp2 = text.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || sp2 > lineEnd || sp2 === sp1 + 1) bad('malformed request line');
  for (let i = sp1 + 1; i < sp2; i++) if (TARGET_CHAR[text.charCodeAt(i)] === 0) bad('invalid character in request target');
  if (lineEnd - sp2 - 1 !== 8 || !text.startsWith('HTTP/', sp2 + 1)) bad('malformed HTTP version in request line');
  const major = text.charCodeAt(sp2 + 6);
  const dot = text.charCodeAt(sp2 + 7);
  const minor = text.charCodeAt(sp2 + 8);
  if (major < 0x30 || major > 0x39 || dot !== 0x2e || minor < 0x30 || minor > 0x39) bad('malformed HTTP version in request line');
  let version: '1.0' | '1.1';
  if (major === 0x31 && minor === 0x31) version = '1.1';
  else if (major === 0x31 && minor === 0x30) version = '1.0';
  else throw new HttpParseError(505, `HTTP version ${text.slice(sp2 + 6, sp2 + 9)} not supported`);
  return { method: text.slice(0, sp1), target: text.slice(sp1 + 1, sp2), version };
}

function parseContentLength(value: string): number {
  if (value.length === 0 || value.length > MAX_CONTENT_LENGTH_DIGITS) bad(`invalid Content-Length: ${JSON.stringify(value)}`);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) bad(`invalid Content-Length: ${JSON.stringify(value)}`);
    n = n * 10 + d;
  }
  return n;
}

function parseTransferEncoding(te: string): BodyFraming {
  const codings = te.split(',').map((s) => s.trim().toLowerCase());
  if (codings.some((c) => c.length === 0)) bad('empty element in Transfer-Encoding');
  const chunkedAt = codings.indexOf('chunked');
  if (chunkedAt >= 0 && chunkedAt !== codings.length - 1) bad('Transfer-Encoding: chunked is not the final coding');
  if (chunkedAt < 0) bad('Transfer-Encoding without chunked as the final coding: the body length is unknown');
  if (codings.length > 1) throw new HttpParseError(501, `unsupported transfer coding ${codings[0]}`);
  return CHUNKED;
}
