import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchHandler, HttpUsageError } from 'stackless/http';
import { useCleanScheduler } from '../support/harness.js';
import { RawClient, withServer } from './support.js';

describe('fetch-style handlers', () => {
  useCleanScheduler();

  it('a plain (request) => Response handler, with status, headers and several Set-Cookie', async () => {
    const h = fetchHandler((request) => {
      const u = new URL(request.url);
      const headers = new Headers({ 'content-type': 'text/plain', 'x-path': u.pathname });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(`hi ${u.searchParams.get('name')}`, { status: 201, statusText: 'Made', headers });
    });
    await withServer(h, {}, async ({ port }) => {
      const r = await fetch(`http://127.0.0.1:${port}/p?name=ann`);
      assert.equal(r.status, 201);
      assert.equal(r.statusText, 'Made');
      assert.equal(r.headers.get('x-path'), '/p');
      assert.deepEqual(r.headers.getSetCookie(), ['a=1', 'b=2']);
      assert.equal(await r.text(), 'hi ann');
    });
  });

  it('an async handler reading the JSON body', async () => {
    const h = fetchHandler(async (request) => Response.json({ method: request.method, got: await request.json() }));
    await withServer(h, {}, async ({ port }) => {
      const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ x: [1, 2] }) });
      assert.deepEqual(await r.json(), { method: 'POST', got: { x: [1, 2] } });
    });
  });

  it('a generator handler and a streamed (chunked) response body', async () => {
    const h = fetchHandler(function* () {
      const enc = new TextEncoder();
      const parts = ['one ', 'two ', 'three'];
      const body = new ReadableStream<Uint8Array>({
        pull(ctrl) {
          const p = parts.shift();
          if (p === undefined) ctrl.close();
          else ctrl.enqueue(enc.encode(p));
        },
      });
      return new Response(body);
    });
    await withServer(h, {}, async ({ port }) => {
      const c = new RawClient(port);
      await c.send('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
      const d = await c.until((s) => s.endsWith('0\r\n\r\n'));
      assert.match(d, /Transfer-Encoding: chunked/);
      assert.ok(d.endsWith('4\r\none \r\n4\r\ntwo \r\n5\r\nthree\r\n0\r\n\r\n'), JSON.stringify(d));
    });
  });

  it('a handler that returns something else gets a 500 and an HttpUsageError saying what to return', async () => {
    const h = fetchHandler(() => 'not a response' as unknown as Response);
    await withServer(h, {}, async ({ port, errors }) => {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(r.status, 500);
      await r.text();
      assert.ok(errors[0] instanceof HttpUsageError);
      assert.match((errors[0] as Error).message, /must return a Response/);
    });
  });
});
