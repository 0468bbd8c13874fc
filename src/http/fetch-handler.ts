import type { Trap } from '../core/frame.js';
import { HttpUsageError } from './errors.js';
import { awaitPromise } from './promise-op.js';
import type { HttpRequest } from './request.js';
import type { HttpResponse } from './response.js';
import type { Handler } from './server.js';

/** A fetch-style handler: the global Request in, a Response out (directly, as a Promise, or from a tasklet generator). */
export type FetchHandler = (request: Request) => Response | PromiseLike<Response> | Generator<Trap, Response, unknown>;

/** Response header fields the server owns (framing and connection management). */
const HOP_BY_HOP = new Set(['connection', 'transfer-encoding', 'keep-alive']);

/**
 * Adapt a fetch-style handler (Request → Response, as in Deno, Bun, Cloudflare Workers,
 * Hono) to a tasklet handler, so existing handlers port unchanged:
 * `yield* listen(fetchHandler((req) => new Response('hi')))`. The request body is read
 * whole (within the server's maxBodySize) before the handler runs; the response body is
 * streamed out chunk by chunk as its ReadableStream produces them.
 */
export function fetchHandler(fn: FetchHandler): Handler {
  if (typeof fn !== 'function') throw new TypeError('fetchHandler(fn) needs a function (request: Request) => Response');
  return function* fetchAdapter(req: HttpRequest, res: HttpResponse): Generator<Trap, void, unknown> {
    const request = yield* toRequest(req);
    let r: unknown = fn(request);
    if (isGenerator(r)) r = yield* r;
    else if (isPromiseLike(r)) r = yield* awaitPromise(r);
    if (!(r instanceof Response))
      throw new HttpUsageError(`a fetch handler must return a Response (or a Promise/generator of one), got ${describe(r)}`);
    yield* writeResponse(r, res);
  };
}

function* toRequest(req: HttpRequest): Generator<Trap, Request, unknown> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const host = req.header('host') ?? 'localhost';
  const url = /^https?:\/\//i.test(req.url) ? req.url : `http://${host}${req.url.startsWith('/') ? req.url : `/${req.url}`}`;
  const init: RequestInit = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = yield* req.readAll();
    if (body.length > 0) init.body = body;
  }
  return new Request(url, init);
}

function* writeResponse(r: Response, res: HttpResponse): Generator<Trap, void, unknown> {
  res.statusCode = r.status;
  if (r.statusText !== '') res.statusMessage = r.statusText;
  const cookies = r.headers.getSetCookie();
  r.headers.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || name === 'set-cookie') return;
    res.appendHeader(name, value);
  });
  for (const c of cookies) res.appendHeader('set-cookie', c);
  if (r.body === null) return yield* res.finish();
  const reader = r.body.getReader();
  try {
    const first = yield* awaitPromise(reader.read());
    if (first.done) return yield* res.finish();
    const second = yield* awaitPromise(reader.read());
    if (second.done) return yield* res.finish(first.value); // one chunk: sent with Content-Length
    yield* res.writeChunk(first.value);
    yield* res.writeChunk(second.value);
    for (;;) {
      const next = yield* awaitPromise(reader.read());
      if (next.done) break;
      yield* res.writeChunk(next.value);
    }
    yield* res.finish();
  } finally {
    reader.releaseLock();
  }
}

function isGenerator(x: unknown): x is Generator<Trap, unknown, unknown> {
  return x !== null && typeof x === 'object' && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}

function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as PromiseLike<unknown>).then === 'function';
}

function describe(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x);
  return (x as object).constructor?.name ?? 'object';
}
