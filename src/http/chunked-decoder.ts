import { InternalError } from '../core/errors.js';
import { HttpParseError } from './errors.js';
import { FIELD_VALUE_CHAR, HEX_VALUE, TCHAR } from './tokens.js';

/**
 * Where the decoder is inside a chunked body (RFC 9112 §7.1):
 *  size       reading chunk-size hex digits
 *  size-ws    whitespace after the size: only a chunk extension may follow
 *  ext        inside chunk extensions, up to CR
 *  size-lf    CR seen after the size line, LF must follow
 *  data       inside chunk data, `remaining` bytes left
 *  data-cr    after the data, CR must follow
 *  data-lf    after the data's CR, LF must follow
 *  trailer    at the start of a trailer line (or the final CRLF)
 *  trailer-line inside a trailer field line, up to CR
 *  trailer-lf CR seen in the trailer section, LF must follow
 *  done       the last chunk and trailers were consumed; bytes after belong to the next request
 */
export type ChunkedStatus =
  | 'size'
  | 'size-ws'
  | 'ext'
  | 'size-lf'
  | 'data'
  | 'data-cr'
  | 'data-lf'
  | 'trailer'
  | 'trailer-line'
  | 'trailer-lf'
  | 'done';

const MAX_SIZE_DIGITS = 13; // 16^13 = 2^52 < 2^53
const MAX_EXT_BYTES = 4096;

function bad(message: string): never {
  throw new HttpParseError(400, message);
}

/**
 * An incremental decoder for `Transfer-Encoding: chunked` request bodies. The trailer
 * section is validated like a header section (field names are tokens, no whitespace before
 * the colon, no obs-fold, values without CR/LF/NUL/controls) and kept in `trailers`.
 *
 * Invariants:
 *  - `remaining > 0` iff status is 'data'; `digits` counts the hex digits of the current size.
 *  - `extBytes` <= MAX_EXT_BYTES, `trailerBytes` <= maxTrailerSize,
 *    `trailers.length` <= 2 * maxTrailerFields.
 *  - `line` (the trailer line read so far) is empty unless status is 'trailer-line' or 'trailer-lf'.
 *  - once 'done', decode() consumes nothing more.
 */
export class ChunkedDecoder {
  status: ChunkedStatus = 'size';
  /** Trailer fields received: [name, value, name, value, ...] (values OWS-trimmed). Complete once 'done'. */
  readonly trailers: string[] = [];
  private remaining = 0;
  private size = 0;
  private digits = 0;
  private extBytes = 0;
  private trailerBytes = 0;
  private lineStart = true;
  private sawColon = false;
  /** The current trailer line, across buffers (latin1). */
  private line = '';

  constructor(
    private readonly maxTrailerSize = 16 * 1024,
    private readonly maxTrailerFields = 100,
  ) {}

  /**
   * Consume bytes of `buf` from `start`; append the data slices (views into `buf`) to `out`.
   * Returns the index after the last consumed byte: all of `buf` unless the body ended
   * ('done'), when the rest belongs to the next request. Throws HttpParseError (400) on
   * malformed input. Caller: the request body reader.
   */
  decode(buf: Buffer, start: number, out: Buffer[]): number {
    let i = start;
    const n = buf.length;
    /** Where the part of a trailer line inside `buf` starts (-1: not in a trailer line). */
    let lineFrom = this.status === 'trailer-line' ? start : -1;
    while (i < n) {
      const c = buf[i]!;
      switch (this.status) {
        case 'size': {
          const h = HEX_VALUE[c]!;
          if (h !== 255) {
            if (++this.digits > MAX_SIZE_DIGITS) bad('chunk size too large');
            this.size = this.size * 16 + h;
            i++;
            break;
          }
          if (this.digits === 0) bad('invalid chunk size');
          if (c === 0x0d) this.status = 'size-lf';
          else if (c === 0x3b) this.status = 'ext';
          else if (c === 0x20 || c === 0x09) this.status = 'size-ws';
          else bad('invalid character after chunk size');
          i++;
          break;
        }
        case 'size-ws':
          if (c === 0x3b) this.status = 'ext';
          else if (c !== 0x20 && c !== 0x09) bad('invalid whitespace after chunk size');
          i++;
          break;
        case 'ext':
          if (c === 0x0d) this.status = 'size-lf';
          else if (c !== 0x09 && (c < 0x20 || c === 0x7f)) bad('invalid character in chunk extension');
          else if (++this.extBytes > MAX_EXT_BYTES) bad('chunk extensions too long');
          i++;
          break;
        case 'size-lf':
          if (c !== 0x0a) bad('chunk size line not terminated by CRLF');
          i++;
          this.digits = 0;
          if (this.size === 0) {
            this.status = 'trailer';
            this.lineStart = true;
          } else {
            this.remaining = this.size;
            this.size = 0;
            this.status = 'data';
          }
          break;
        case 'data': {
          const take = Math.min(this.remaining, n - i);
          out.push(buf.subarray(i, i + take));
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.status = 'data-cr';
          break;
        }
        case 'data-cr':
          if (c !== 0x0d) bad('chunk data not followed by CRLF');
          this.status = 'data-lf';
          i++;
          break;
        case 'data-lf':
          if (c !== 0x0a) bad('chunk data not followed by CRLF');
          this.status = 'size';
          i++;
          break;
        case 'trailer':
          if (c === 0x0d) {
            this.status = 'trailer-lf';
            this.lineStart = true;
          } else {
            if (c === 0x20 || c === 0x09) bad('obsolete line folding in trailer section');
            if (TCHAR[c] === 0) bad('invalid character in trailer field name');
            this.status = 'trailer-line';
            this.sawColon = false;
            this.lineStart = false;
            lineFrom = i;
          }
          this.countTrailer();
          i++;
          break;
        case 'trailer-line':
          if (c === 0x0d) {
            if (!this.sawColon) bad('trailer field without colon');
            this.status = 'trailer-lf';
            this.line += buf.toString('latin1', lineFrom, i);
            lineFrom = -1;
          } else if (!this.sawColon) {
            if (c === 0x3a) this.sawColon = true;
            else if (c === 0x20 || c === 0x09) bad('whitespace before colon in trailer field');
            else if (TCHAR[c] === 0) bad('invalid character in trailer field name');
          } else if (FIELD_VALUE_CHAR[c] === 0) bad('invalid character in trailer field value');
          this.countTrailer();
          i++;
          break;
        case 'trailer-lf':
          if (c !== 0x0a) bad('trailer line not terminated by CRLF');
          i++;
          if (this.lineStart) {
            this.status = 'done';
            return i;
          }
          this.addTrailer();
          this.status = 'trailer';
          break;
        case 'done':
          return i;
        default:
          throw new InternalError(`chunked decoder in status ${String(this.status satisfies never)}`);
      }
    }
    if (lineFrom >= 0) this.line += buf.toString('latin1', lineFrom, n);
    return i;
  }

  /** The trailer line in `line` is complete: split it into name and OWS-trimmed value. */
  private addTrailer(): void {
    const line = this.line;
    this.line = '';
    if (this.trailers.length >= 2 * this.maxTrailerFields)
      throw new HttpParseError(431, `more than ${this.maxTrailerFields} trailer fields`);
    const colon = line.indexOf(':');
    let vs = colon + 1;
    let ve = line.length;
    while (vs < ve && (line.charCodeAt(vs) === 0x20 || line.charCodeAt(vs) === 0x09)) vs++;
    while (ve > vs && (line.charCodeAt(ve - 1) === 0x20 || line.charCodeAt(ve - 1) === 0x09)) ve--;
    this.trailers.push(line.slice(0, colon), line.slice(vs, ve));
  }

  private countTrailer(): void {
    if (++this.trailerBytes > this.maxTrailerSize) throw new HttpParseError(431, 'trailer section too large');
  }

  /** Assert the invariants (tests). */
  checkInvariants(): void {
    if ((this.remaining > 0) !== (this.status === 'data'))
      throw new InternalError(`chunked decoder: remaining ${this.remaining} in status ${this.status}`);
    if (this.extBytes > MAX_EXT_BYTES || this.trailerBytes > this.maxTrailerSize || this.trailers.length > 2 * this.maxTrailerFields)
      throw new InternalError('chunked decoder: limits exceeded without an error');
    if (this.line !== '' && this.status !== 'trailer-line' && this.status !== 'trailer-lf')
      throw new InternalError(`chunked decoder: a partial trailer line in status ${this.status}`);
  }
}
