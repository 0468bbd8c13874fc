/**
 * The Date header value (RFC 9110 §6.6.1), formatted at most once per second: every
 * response carries it, and formatting a date costs more than the rest of a small head.
 */
let cached = '';
let cachedSecond = -1;

export function httpDate(): string {
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  if (sec !== cachedSecond) {
    cachedSecond = sec;
    cached = new Date(now).toUTCString();
  }
  return cached;
}
