/**
 * The Syncless benchmark workload (research/coroutine-io.md §c.3): `/` answers a fixed
 * 44-byte page, `/N` a link to the next value of the LCG
 * seed = (1664525*seed + 1013904223) mod 2^32. Shared by every server so that all of them
 * send byte-identical bodies.
 */

/** The page for `/`: 44 bytes. */
export const ROOT_PAGE = '<a href="/0">start at 0</a><p>Hello, World!\n';

/** The LCG step. 1664525 * (2^32 - 1) + 1013904223 < 2^53, so doubles are exact. */
export function nextLcg(n: number): number {
  return (1664525 * n + 1013904223) % 4294967296;
}

/** 10,000 steps from 0 (checked by the sequential run). */
export const SEQUENTIAL_FINAL = 2845218640;

/** The body for a request path: the root page, or a link to the next LCG value. */
export function bodyFor(path: string): string {
  if (path === '/') return ROOT_PAGE;
  const n = Number(path.slice(1));
  if (!Number.isInteger(n) || n < 0 || n >= 4294967296) return ROOT_PAGE;
  const next = nextLcg(n);
  return `<a href="/${next}">continue at ${next}</a>\n`;
}

/**
 * The response a raw-TCP server writes before closing: HTTP/1.0 with Content-Length (wrk
 * counts close-delimited bodies as read errors, so the length is sent although the
 * connection closes anyway).
 */
export function rawResponse(path: string): string {
  const body = bodyFor(path);
  return `HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

/** The path of a request line "GET /N HTTP/1.x" (or "/" when it cannot be parsed). */
export function pathOfRequestLine(line: string): string {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  return a > 0 && b > a ? line.slice(a + 1, b) : '/';
}
