import { STATUS_CODES } from 'node:http';
import { InvalidHeaderError } from './errors.js';
import { isFieldValue, isToken } from './tokens.js';

/** Response header fields: a record (array values repeat the field) or [name, value] pairs. */
export type HeaderInit = Record<string, string | number | readonly string[]> | Iterable<readonly [string, string]>;

/** The reason phrase for `status` ("OK", "Not Found"), or "Unknown". */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

/**
 * The status line "HTTP/1.1 200 OK\r\n". Throws InvalidHeaderError for a status outside
 * 100..999 or a reason phrase with CR, LF or control characters.
 * Caller: HttpResponse when it sends the head, and tests.
 */
export function statusLine(version: '1.0' | '1.1', status: number, reason?: string): string {
  if (!Number.isInteger(status) || status < 100 || status > 999)
    throw new InvalidHeaderError(`invalid status code ${String(status)}: use an integer from 100 to 999`);
  const r = reason ?? reasonPhrase(status);
  if (!isFieldValue(r)) throw new InvalidHeaderError(`invalid reason phrase ${JSON.stringify(r)}: no CR, LF or control characters`);
  return `HTTP/${version} ${status} ${r}\r\n`;
}

/** Caller: HttpResponse.setHeader and serializeHeaders. Throws InvalidHeaderError. */
export function checkHeader(name: string, value: string): void {
  if (!isToken(name)) throw new InvalidHeaderError(`invalid header name ${JSON.stringify(name)}: it must be a token (RFC 9110 §5.1)`);
  if (!isFieldValue(value))
    throw new InvalidHeaderError(
      `invalid value for header ${name}: ${JSON.stringify(value)} contains CR, LF, NUL or a control character`,
    );
}

/**
 * One "Name: value\r\n" line per field. Throws InvalidHeaderError for a name that is not a
 * token or a value with CR, LF, NUL or other control characters (response splitting).
 */
export function serializeHeaders(fields: readonly (readonly [string, string])[]): string {
  let s = '';
  for (const [name, value] of fields) {
    checkHeader(name, value);
    s += `${name}: ${value}\r\n`;
  }
  return s;
}

/** Normalize a HeaderInit into [name, value] pairs (values stringified, arrays repeated). */
export function headerPairs(init: HeaderInit | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (init === undefined) return out;
  if (Symbol.iterator in init) {
    for (const [k, v] of init as Iterable<readonly [string, string]>) out.push([k, String(v)]);
    return out;
  }
  for (const k of Object.keys(init)) {
    const v = (init as Record<string, string | number | readonly string[]>)[k]!;
    if (Array.isArray(v)) for (const x of v as readonly string[]) out.push([k, String(x)]);
    else out.push([k, String(v)]);
  }
  return out;
}

/** The framing line of one chunk of a chunked response body: hex size and CRLF. */
export function chunkHeader(size: number): string {
  return `${size.toString(16)}\r\n`;
}

/** The last chunk and the empty trailer section. */
export const LAST_CHUNK = '0\r\n\r\n';
