import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, runMain } from 'stackless';
import { BodyTooLargeError, ClientGoneError, HttpTimeoutError, HttpUsageError, listen, type Handler } from 'stackless/http';
import { useCleanScheduler } from '../support/harness.js';
import { eventually, RawClient, useTransport, withServer } from './support.js';

const GET = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}\r\n`;

const echo: Handler = function* (req, res) {
  const body = yield* req.text();
  res.setHeader('Content-Type', 'text/plain');
  yield* res.end(`${req.method} ${req.url} [${body}]`);
};

/** The server's behaviour, on the given transport (server.test.ts: 'net', server-io.test.ts: 'io'). */
export function serverSuite(transport: 'net' | 'io'): void {
useTransport(transport);
describe(`http server (${transport})`, () => {
  useCleanScheduler();

  it('listen() outside an async main raises a UsageError that says what to do', () => {
    assert.throws(() => runMain(function* () {
      yield* listen(echo);
    }), /runMainAsync|main\(/);
  });

  it('serves requests on a keep-alive connection, with counts of connections and tasklets', async () => {
    await withServer(echo, {}, async ({ server, port }) => {
      const c = new RawClient(port);
      await c.send(GET('/a'));
      await c.until((d) => d.includes('[]'));
      assert.match(c.data, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(c.data, /\r\nContent-Length: 9\r\n/);
      assert.match(c.data, /\r\nDate: /);
      await eventually(() => server.stats().idleConnections === 1);
      assert.deepEqual(server.stats(), { connections: 1, idleConnections: 1, activeRequests: 0, tasklets: 1, requests: 1 });
      await c.send(`POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello`);
      await c.until((d) => d.includes('POST /b [hello]'));
      assert.equal(c.closed, false);
      assert.equal(server.stats().requests, 2);
      c.destroy();
      await eventually(() => server.stats().connections === 0);
      assert.equal(server.stats().tasklets, 0);
    });
  });

  it('pipelined requests are answered in order', async () => {
    await withServer(echo, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send(GET('/1') + `POST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc` + GET('/3', 'Connection: close\r\n'));
      const all = await c.untilClosed();
      const order = [...all.matchAll(/(GET|POST) (\/\d) \[([a-z]*)\]/g)].map((m) => `${m[2]}${m[3]}`);
      assert.deepEqual(order, ['/1', '/2abc', '/3']);
      assert.equal(c.responses(), 3);
    });
  });

  it('a flood of pipelined requests (more than one fairness burst) is answered in order', async () => {
    await withServer(echo, {}, async ({ port }) => {
      const c = new RawClient(port);
      let wire = '';
      for (let i = 0; i < 40; i++) wire += GET(`/${i}`);
      await c.send(wire + GET('/last', 'Connection: close\r\n'));
      const all = await c.untilClosed();
      const order = [...all.matchAll(/GET \/(\w+) \[\]/g)].map((m) => m[1]);
      assert.deepEqual(order, [...Array.from({ length: 40 }, (_, i) => String(i)), 'last']);
    });
  });

  it('a client flooding pipelined requests does not starve another connection', async () => {
    const handled: string[] = [];
    const handler: Handler = function* (req, res) {
      handled.push(req.url);
      yield* res.end(req.url);
    };
    await withServer(handler, {}, async ({ port }) => {
      const N = 40_000;
      const a = new RawClient(port);
      const b = new RawClient(port);
      await b.send(''); // connected and idle before the flood starts
      let wire = '';
      for (let i = 0; i < N - 1; i++) wire += GET(`/a${i}`);
      await a.send(wire + GET(`/a${N - 1}`, 'Connection: close\r\n'));
      await a.until(() => a.responses() > 0, 5000);
      const sentAt = handled.length;
      await b.send(GET('/b'));
      await b.until((d) => d.endsWith('/b'), 5000);
      const aAnswered = a.responses();
      const bAt = handled.indexOf('/b');
      assert.ok(aAnswered < N, `the second connection was answered only after all ${N} flooded requests`);
      assert.ok(sentAt < N / 2, `the flood was mostly handled (${sentAt} of ${N}) before the second request could be sent`);
      assert.ok(bAt - sentAt < N / 4, `${bAt - sentAt} flooded requests were handled while the second connection's request waited`);
      await a.untilClosed(20_000);
      assert.equal(a.responses(), N);
      assert.deepEqual(handled.filter((u) => u !== '/b'), Array.from({ length: N }, (_, i) => `/a${i}`));
    });
  });

  it('chunked request bodies are decoded; streamed responses are chunked', async () => {
    const handler: Handler = function* (req, res) {
      const parts: string[] = [];
      for (;;) {
        const p = yield* req.read();
        if (p === null) break;
        parts.push(p.toString());
      }
      yield* res.write('got:');
      yield* res.write(parts.join(''));
      yield* res.end();
    };
    await withServer(handler, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
      await new Promise((r) => setTimeout(r, 30));
      await c.send('4;x=y\r\ndefg\r\n0\r\nX-Trailer: 1\r\n\r\n');
      const d = await c.until((s) => s.endsWith('0\r\n\r\n'));
      assert.match(d, /Transfer-Encoding: chunked\r\n/);
      assert.ok(d.endsWith('\r\n\r\n4\r\ngot:\r\n7\r\nabcdefg\r\n0\r\n\r\n'), JSON.stringify(d));
    });
  });

  it('chunked request trailers reach the handler once the body is read; before, reading them is an error', async () => {
    const early: unknown[] = [];
    const handler: Handler = function* (req, res) {
      try {
        void req.trailers;
      } catch (e) {
        early.push(e);
      }
      const body = yield* req.text();
      yield* res.end(`${body} ${JSON.stringify(req.trailers)} ${JSON.stringify(req.rawTrailers)}`);
    };
    await withServer(handler, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 900\r\n');
      await new Promise((r) => setTimeout(r, 20));
      await c.send('x-sum:  1 \r\n\r\n' + GET('/plain'));
      await c.until(() => c.responses() === 2);
      assert.ok(
        c.data.includes('abc {"x-sum":"900, 1"} ["X-Sum","900","x-sum","1"]'),
        JSON.stringify(c.data),
      );
      assert.ok(c.data.includes(' {} []'), 'a request without a chunked body has no trailers');
      assert.equal(early.length, 1, 'only the chunked request had trailers still to come');
      assert.ok(early[0] instanceof HttpUsageError && /trailers are not available yet.*read it first/.test(early[0].message), String(early[0]));
    });
  });

  it('bad or too many request trailers are answered 400 / 431 and close', async () => {
    const handler: Handler = function* (req, res) {
      yield* res.end(yield* req.text());
    };
    await withServer(handler, { maxHeaders: 3 }, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-A : 1\r\n\r\n');
      assert.match(await c.untilClosed(), /^HTTP\/1\.1 400 Bad Request\r\n[^]*whitespace before colon in trailer field/);
      const d = new RawClient(port);
      await d.send('POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n');
      assert.match(await d.untilClosed(), /^HTTP\/1\.1 431 [^]*more than 3 trailer fields/);
    });
  });

  it('Expect: 100-continue sends 100 Continue when the handler reads the body', async () => {
    await withServer(echo, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
      await c.until((d) => d.includes('100 Continue'));
      assert.equal(c.data, 'HTTP/1.1 100 Continue\r\n\r\n');
      await c.send('data');
      await c.until((d) => d.includes('PUT /x [data]'));
    });
  });

  it('a handler that answers without reading an expected body closes the connection (no 100 Continue)', async () => {
    await withServer(function* (_req, res) {
      yield* res.send(401, 'no');
    }, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
      const d = await c.untilClosed();
      assert.match(d, /^HTTP\/1\.1 401 Unauthorized\r\n/);
      assert.match(d, /Connection: close/);
      assert.doesNotMatch(d, /100 Continue/);
    });
  });

  it('an unread body is drained so keep-alive continues', async () => {
    await withServer(function* (req, res) {
      yield* res.end(req.url);
    }, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send(`POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789${GET('/b')}`);
      await c.until(() => c.responses() === 2);
      assert.match(c.data, /\r\n\r\n\/a.*\r\n\r\n\/b$/s);
    });
  });

  it('HEAD gets headers with Content-Length and no body; HTTP/1.0 closes unless keep-alive', async () => {
    await withServer(echo, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n' + GET('/g'));
      await c.until((d) => d.includes('GET /g []'));
      const first = c.data.slice(0, c.data.indexOf('HTTP/1.1', 5));
      assert.match(first, /Content-Length: 10\r\n\r\n$/);
      const c10 = new RawClient(port);
      await c10.send('GET /old HTTP/1.0\r\n\r\n');
      const d = await c10.untilClosed();
      assert.match(d, /Connection: close/);
      const ka = new RawClient(port);
      await ka.send('GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
      await ka.until((s) => s.includes('[]'));
      assert.match(ka.data, /Connection: keep-alive/);
      assert.equal(ka.closed, false);
      ka.destroy();
    });
  });

  describe('bad input', () => {
    for (const [name, text, status] of [
      ['malformed request line', 'GET /\r\n\r\n', 400],
      ['obs-fold', 'GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n', 400],
      ['Content-Length with Transfer-Encoding (smuggling)', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
      ['duplicate Content-Length', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc', 400],
      ['bad chunk size', 'POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
      ['oversized headers', `GET / HTTP/1.1\r\nHost: t\r\nX: ${'a'.repeat(3000)}\r\n\r\n`, 431],
      ['oversized body (Content-Length)', 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n', 413],
      ['oversized chunked body', `POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n${'800\r\n' + 'x'.repeat(0x800) + '\r\n'}`, 413],
    ] as const) {
      it(`${name} → ${status} and close`, async () => {
        await withServer(echo, { maxHeaderSize: 2048, maxBodySize: 1024 }, async ({ server, port }) => {
          const c = new RawClient(port);
          await c.send(text);
          const d = await c.untilClosed();
          assert.match(d, new RegExp(`^HTTP/1\\.1 ${status} `));
          assert.match(d, /Connection: close/);
          await eventually(() => server.stats().connections === 0);
          assert.equal(server.stats().tasklets, 0);
        });
      });
    }

    it('the handler sees BodyTooLargeError from body({ limit })', async () => {
      const seen: unknown[] = [];
      await withServer(function* (req, res) {
        try {
          yield* req.body({ limit: 4 });
        } catch (e) {
          seen.push(e);
          throw e;
        }
        yield* res.end('unreachable');
      }, {}, async ({ port }) => {
        const c = new RawClient(port);
        await c.send('POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789');
        assert.match(await c.untilClosed(), /^HTTP\/1\.1 413 /);
      });
      assert.ok(seen[0] instanceof BodyTooLargeError);
    });

    it('a handler error is answered with 500 and reported to onError', async () => {
      await withServer(function* () {
        throw new Error('boom');
      }, {}, async ({ port, errors }) => {
        const c = new RawClient(port);
        await c.send(GET('/'));
        assert.match(await c.untilClosed(), /^HTTP\/1\.1 500 /);
        assert.equal((errors[0] as Error).message, 'boom');
      });
    });

    it('response splitting through a header value is refused (500), nothing of it is sent', async () => {
      await withServer(function* (_req, res) {
        res.setHeader('X-Evil', 'a\r\nSet-Cookie: pwned=1');
        yield* res.end('x');
      }, {}, async ({ port, errors }) => {
        const c = new RawClient(port);
        await c.send(GET('/'));
        const d = await c.untilClosed();
        assert.match(d, /^HTTP\/1\.1 500 /);
        assert.doesNotMatch(d, /pwned/);
        assert.match(String(errors[0]), /InvalidHeaderError/);
      });
    });

    it('misuse of the response raises HttpUsageError with a hint', async () => {
      const seen: unknown[] = [];
      await withServer(function* (_req, res) {
        yield* res.end('done');
        try {
          yield* res.write('more');
        } catch (e) {
          seen.push(e);
        }
        try {
          res.setHeader('X', '1');
        } catch (e) {
          seen.push(e);
        }
      }, {}, async ({ port }) => {
        const c = new RawClient(port);
        await c.send(GET('/'));
        await c.until((d) => d.endsWith('done'));
      });
      assert.ok(seen[0] instanceof HttpUsageError && /after response\.end/.test(seen[0].message));
      assert.ok(seen[1] instanceof HttpUsageError && /already sent/.test(seen[1].message));
    });
  });

  describe('upgrade (101 Switching Protocols)', () => {
    const UPGRADE = (proto: string) => `GET /chat HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, Upgrade\r\nUpgrade: ${proto}\r\n\r\n`;
    const shout: Handler = function* (req, res) {
      if (req.upgrade !== 'shout') return yield* res.end(`plain ${req.url}`);
      res.setHeader('X-Set-Before', 'yes');
      const s = yield* res.upgrade({ headers: { 'X-Proto': '1' } });
      for (;;) {
        const d = yield* s.read();
        if (d === null) break;
        yield* s.write(d.toString('latin1').toUpperCase());
      }
      yield* s.write('bye');
    };

    it('the handler takes over the byte stream after the 101: early bytes first, then both ways, closed when it returns', async () => {
      await withServer(shout, {}, async ({ server, port }) => {
        const c = new RawClient(port);
        await c.send(UPGRADE('shout') + 'hello ');
        await c.until((d) => d.endsWith('HELLO '));
        assert.match(c.data, /^HTTP\/1\.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: shout\r\nX-Set-Before: yes\r\nX-Proto: 1\r\n\r\nHELLO $/);
        assert.equal(server.stats().activeRequests, 1);
        await c.send('world');
        await c.until((d) => d.endsWith('WORLD'));
        c.sock.end(); // the client ends its side: read() returns null, the handler says bye and returns
        const all = await c.untilClosed();
        assert.ok(all.endsWith('HELLO WORLDbye'), JSON.stringify(all));
        await eventually(() => server.stats().connections === 0);
      });
    });

    it('a handler may ignore an upgrade request and answer normally (the connection stays HTTP)', async () => {
      await withServer(shout, {}, async ({ port }) => {
        const c = new RawClient(port);
        await c.send(UPGRADE('other') + GET('/next'));
        await c.until(() => c.responses() === 2);
        assert.match(c.data, /plain \/chat[^]*plain \/next$/);
        assert.doesNotMatch(c.data, /101/);
      });
    });

    it('misuse is an HttpUsageError: no upgrade asked, status 101 by hand, the stream after the handler returned', async () => {
      const seen: unknown[] = [];
      let kept: { read(): unknown } | null = null;
      await withServer(function* (req, res) {
        if (req.url === '/keep') {
          kept = yield* res.upgrade();
          return;
        }
        try {
          yield* res.upgrade();
        } catch (e) {
          seen.push(e);
        }
        res.statusCode = 101;
        try {
          yield* res.end();
        } catch (e) {
          seen.push(e);
        }
      }, {}, async ({ port }) => {
        const c = new RawClient(port);
        await c.send(GET('/'));
        await c.untilClosed();
        const d = new RawClient(port);
        await d.send(UPGRADE('x').replace('/chat', '/keep'));
        await d.untilClosed();
      });
      assert.ok(seen[0] instanceof HttpUsageError && /did not ask to switch protocols/.test(seen[0].message), String(seen[0]));
      assert.ok(seen[1] instanceof HttpUsageError && /res\.upgrade\(\)/.test(seen[1].message), String(seen[1]));
      assert.throws(() => kept!.read(), (e: unknown) => e instanceof HttpUsageError && /after the handler returned/.test(e.message));
    });

    it('readTimeout bounds each read of the upgraded stream: a silent client is dropped', async () => {
      await withServer(function* (_req, res) {
        const s = yield* res.upgrade({ readTimeout: 100 });
        yield* s.read();
      }, { bodyTimeout: 400 }, async ({ server, port }) => {
        const c = new RawClient(port);
        await c.send(UPGRADE('quiet'));
        const all = await c.untilClosed(3000);
        assert.match(all, /^HTTP\/1\.1 101 /);
        await eventually(() => server.stats().connections === 0);
      });
    });
  });

  describe('slow and vanishing clients', () => {
    it('slowloris: a head that does not complete within headersTimeout is dropped and frees its tasklet', async () => {
      await withServer(echo, { headersTimeout: 150 }, async ({ server, port }) => {
        const c = new RawClient(port);
        await c.send('GET / HTTP/1.1\r\n');
        await eventually(() => server.stats().connections === 1);
        for (let i = 0; i < 4 && !c.closed; i++) {
          await new Promise((r) => setTimeout(r, 60));
          if (!c.closed) await c.send('X-Slow: 1\r\n');
        }
        await c.untilClosed();
        await eventually(() => server.stats().connections === 0);
        assert.equal(server.stats().tasklets, 0);
      });
    });

    it('an idle keep-alive connection is closed after keepAliveTimeout', async () => {
      await withServer(echo, { keepAliveTimeout: 100 }, async ({ server, port }) => {
        const c = new RawClient(port);
        await c.send(GET('/'));
        await c.until((d) => d.includes('[]'));
        await c.untilClosed();
        await eventually(() => server.stats().connections === 0);
      });
    });

    it('a client that disconnects mid-body makes the handler read fail with ClientGoneError', async () => {
      const seen: unknown[] = [];
      await withServer(function* (req, res) {
        try {
          yield* req.body();
        } catch (e) {
          seen.push(e);
          throw e;
        }
        yield* res.end('x');
      }, {}, async ({ server, port }) => {
        const c = new RawClient(port);
        await c.send('POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part');
        await eventually(() => server.stats().activeRequests === 1);
        c.destroy();
        await eventually(() => seen.length === 1 && server.stats().connections === 0);
        assert.equal(server.stats().tasklets, 0);
      });
      assert.ok(seen[0] instanceof ClientGoneError, String(seen[0]));
    });

    it('a client that disconnects while the handler writes makes the next write fail with ClientGoneError', async () => {
      const seen: unknown[] = [];
      const chunk = Buffer.alloc(64 * 1024, 120);
      await withServer(function* (_req, res) {
        try {
          for (let i = 0; i < 10_000; i++) yield* res.write(chunk);
        } catch (e) {
          seen.push(e);
          throw e;
        }
      }, {}, async ({ server, port }) => {
        const c = new RawClient(port);
        c.sock.pause();
        await c.send(GET('/'));
        await eventually(() => server.stats().activeRequests === 1);
        await new Promise((r) => setTimeout(r, 50));
        c.destroy();
        await eventually(() => seen.length === 1 && server.stats().connections === 0, 3000);
        assert.equal(server.stats().tasklets, 0);
      });
      assert.ok(seen[0] instanceof ClientGoneError, String(seen[0]));
    });
    it('a client that stops reading makes a blocked write fail with HttpTimeoutError after bodyTimeout', async () => {
      const seen: unknown[] = [];
      const chunk = Buffer.alloc(64 * 1024, 120);
      await withServer(function* (_req, res) {
        try {
          for (let i = 0; i < 10_000; i++) yield* res.write(chunk);
        } catch (e) {
          seen.push(e);
          throw e;
        }
      }, { bodyTimeout: 150 }, async ({ server, port }) => {
        const c = new RawClient(port);
        c.sock.pause(); // never reads: the server's writes hit backpressure
        await c.send(GET('/'));
        await eventually(() => seen.length === 1 && server.stats().connections === 0, 3000);
        assert.equal(server.stats().tasklets, 0);
        c.destroy();
      });
      assert.ok(seen[0] instanceof HttpTimeoutError, String(seen[0]));
    });
  });

  describe('graceful shutdown', () => {
    it('stops accepting, closes idle connections, lets in-flight requests finish with Connection: close', async () => {
      await withServer(function* (req, res) {
        const body = yield* req.text();
        yield* res.end(`${req.url} ${body}`);
      }, {}, async ({ server, port }) => {
        const idle = new RawClient(port);
        await idle.send(GET('/fast'));
        await idle.until((d) => d.endsWith('/fast '));
        const busy = new RawClient(port);
        await busy.send('POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n');
        await eventually(() => server.stats().activeRequests === 1);
        server.close({ deadline: 2000 });
        await idle.untilClosed();
        assert.equal(server.state, 'draining');
        const late = new RawClient(port);
        await late.untilClosed().catch(() => undefined);
        assert.equal(late.responses(), 0, 'no new connection is served while draining');
        await busy.send('done');
        const d = await busy.untilClosed();
        assert.match(d, /Connection: close\r\n/);
        assert.ok(d.endsWith('/slow done'), JSON.stringify(d));
        await server.whenClosed();
      });
    });

    it('past the deadline, stuck connection tasklets are killed and their finally blocks run', async () => {
      const ch = new Channel<void>();
      let cleaned = 0;
      await withServer(function* () {
        try {
          yield* ch.receive(); // nobody ever sends
        } finally {
          cleaned++;
        }
      }, {}, async ({ server, port }) => {
        const c = new RawClient(port);
        await c.send(GET('/'));
        await eventually(() => server.stats().activeRequests === 1);
        server.close({ deadline: 100 });
        await c.untilClosed();
        await server.whenClosed();
        assert.equal(server.stats().tasklets, 0);
      });
      assert.equal(cleaned, 1);
    });
  });
});

describe(`http server, property (${transport})`, () => {
  useCleanScheduler();
  it('any pipelined mix of GET, Content-Length and chunked requests, sent in random fragments, is answered in order', async () => {
    const fc = (await import('fast-check')).default;
    const reqArb = fc.record({
      kind: fc.constantFrom('get', 'length', 'chunked'),
      body: fc.stringMatching(/^[a-z0-9]{0,40}$/),
      pieces: fc.integer({ min: 1, max: 4 }),
    });
    await withServer(echo, {}, async ({ server, port }) => {
      await fc.assert(
        fc.asyncProperty(fc.array(reqArb, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }), async (reqs, cuts) => {
          let wire = '';
          const expected: string[] = [];
          reqs.forEach((r, i) => {
            if (r.kind === 'get') {
              wire += GET(`/g${i}`);
              expected.push(`GET /g${i} []`);
            } else if (r.kind === 'length') {
              wire += `POST /l${i} HTTP/1.1\r\nHost: t\r\nContent-Length: ${r.body.length}\r\n\r\n${r.body}`;
              expected.push(`POST /l${i} [${r.body}]`);
            } else {
              let enc = '';
              const size = Math.ceil(r.body.length / r.pieces) || 1;
              for (let k = 0; k < r.body.length; k += size) enc += `${(Math.min(size, r.body.length - k)).toString(16)}\r\n${r.body.slice(k, k + size)}\r\n`;
              wire += `POST /c${i} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n${enc}0\r\n\r\n`;
              expected.push(`POST /c${i} [${r.body}]`);
            }
          });
          const c = new RawClient(port);
          let pos = 0;
          for (const cut of cuts) {
            if (pos >= wire.length) break;
            await c.send(wire.slice(pos, pos + cut));
            pos += cut;
            await new Promise((r) => setImmediate(r));
          }
          if (pos < wire.length) await c.send(wire.slice(pos));
          await c.until(() => c.responses() === reqs.length);
          const bodies = c.data.split(/HTTP\/1\.1 200 OK\r\n[^]*?\r\n\r\n/).slice(1);
          assert.deepEqual(bodies, expected);
          c.destroy();
        }),
        { numRuns: 25 },
      );
      await eventually(() => server.stats().connections === 0);
    });
  });
});
}
