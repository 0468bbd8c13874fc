import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ChunkedDecoder,
  HttpParseError,
  InvalidHeaderError,
  LAST_CHUNK,
  chunkHeader,
  parseRequestHead,
  serializeHeaders,
  statusLine,
} from 'stackless/http';

const b = (s: string) => Buffer.from(s, 'latin1');

function rejects(text: string, status: number, fragment?: RegExp): void {
  assert.throws(
    () => parseRequestHead(b(text)),
    (e: unknown) => {
      assert.ok(e instanceof HttpParseError, `expected HttpParseError, got ${String(e)}`);
      assert.equal(e.status, status, `status for ${JSON.stringify(text)}: ${e.message}`);
      if (fragment) assert.match(e.message, fragment);
      return true;
    },
  );
}

describe('request head parser', () => {
  it('parses a request line and headers', () => {
    const h = parseRequestHead(b('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Foo:  bar \r\nx-foo: baz\r\n\r\nrest'))!;
    assert.equal(h.method, 'GET');
    assert.equal(h.target, '/a?b=1');
    assert.equal(h.version, '1.1');
    assert.deepEqual(h.rawHeaders, ['Host', 'x', 'X-Foo', 'bar', 'x-foo', 'baz']);
    assert.equal(h.get('X-FOO'), 'bar, baz');
    assert.equal(h.get('missing'), undefined);
    assert.equal(h.headLength, 'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Foo:  bar \r\nx-foo: baz\r\n\r\n'.length);
    assert.equal(h.keepAlive, true);
    assert.deepEqual(h.body, { kind: 'none' });
  });
  it('returns null until the head is complete, at every split point', () => {
    const full = 'POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n';
    for (let i = 0; i < full.length; i++) assert.equal(parseRequestHead(b(full.slice(0, i))), null, `prefix ${i}`);
    assert.deepEqual(parseRequestHead(b(full))!.body, { kind: 'length', length: 3 });
  });
  it('skips blank lines before the request line', () => {
    const h = parseRequestHead(b('\r\n\r\nGET / HTTP/1.0\r\n\r\n'))!;
    assert.equal(h.version, '1.0');
    assert.equal(h.headLength, 4 + 'GET / HTTP/1.0\r\n\r\n'.length);
  });
  it('keep-alive rules: 1.1 default on, 1.0 default off, Connection overrides', () => {
    assert.equal(parseRequestHead(b('GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'))!.keepAlive, false);
    assert.equal(parseRequestHead(b('GET / HTTP/1.0\r\n\r\n'))!.keepAlive, false);
    assert.equal(parseRequestHead(b('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n'))!.keepAlive, true);
    assert.equal(parseRequestHead(b('GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n'))!.keepAlive, false);
  });
  it('upgrade: the Upgrade header counts only with "upgrade" among the Connection options, in HTTP/1.1', () => {
    const up = (extra: string, v = '1.1') => parseRequestHead(b(`GET /ws HTTP/${v}\r\nHost: h\r\n${extra}\r\n`))!;
    assert.equal(up('Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n').upgrade, 'websocket');
    assert.equal(up('Connection: upgrade\r\nUpgrade: a/1\r\nUpgrade: b\r\n').upgrade, 'a/1, b');
    assert.equal(up('Upgrade: websocket\r\n').upgrade, null, 'no Connection: upgrade');
    assert.equal(up('Connection: upgrade\r\n').upgrade, null, 'no Upgrade header');
    assert.equal(up('Connection: upgrade\r\nUpgrade: websocket\r\n', '1.0').upgrade, null, 'HTTP/1.0');
    assert.equal(up('Connection: upgrade\r\nUpgrade: websocket\r\n').keepAlive, true);
    assert.equal(up('Connection: close, upgrade\r\nUpgrade: websocket\r\n').keepAlive, false);
  });
  it('chunked framing and Expect: 100-continue', () => {
    const h = parseRequestHead(b('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\nExpect: 100-continue\r\n\r\n'))!;
    assert.deepEqual(h.body, { kind: 'chunked' });
    assert.equal(h.expectContinue, true);
    rejects('POST / HTTP/1.1\r\nHost: h\r\nExpect: something-else\r\n\r\n', 417);
  });
  it('accepts Content-Length: 0 as no body and large safe lengths', () => {
    assert.deepEqual(parseRequestHead(b('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n'))!.body, { kind: 'none' });
    assert.deepEqual(parseRequestHead(b('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 123456789012345\r\n\r\n'))!.body, {
      kind: 'length',
      length: 123456789012345,
    });
  });

  describe('request smuggling and malformed input are rejected', () => {
    it('Content-Length together with Transfer-Encoding', () =>
      rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 400, /smuggling/));
    it('duplicate Content-Length, even with equal values', () => {
      rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n', 400, /duplicate/);
      rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n', 400);
    });
    it('non-numeric, signed or overlong Content-Length', () => {
      for (const v of ['-1', '+5', '5a', '0x10', '1 2', '', '1234567890123456'])
        rejects(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${v}\r\n\r\n`, 400);
    });
    it('Transfer-Encoding other than a final chunked', () => {
      rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', 400, /final/);
      rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n', 400);
      rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501);
      rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n', 400);
      rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,chunked\r\n\r\n', 400);
      rejects('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400, /1\.0/);
    });
    it('obs-fold', () => rejects('GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n', 400, /obs-fold/));
    it('whitespace before the colon, bad names, missing colon', () => {
      rejects('GET / HTTP/1.1\r\nHost: h\r\nContent-Length : 5\r\n\r\n', 400, /whitespace/);
      rejects('GET / HTTP/1.1\r\nHost: h\r\nX(y): 1\r\n\r\n', 400, /name/);
      rejects('GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n', 400, /colon/);
      rejects('GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n', 400, /empty/);
    });
    it('bare LF, bare CR and NUL in values', () => {
      rejects('GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n', 400);
      rejects('GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n', 400);
      rejects('GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n', 400);
    });
    it('malformed request lines', () => {
      for (const line of ['GET  / HTTP/1.1', 'GET /', 'GET / HTTP/1.1 x', 'G(T / HTTP/1.1', 'GET / http/1.1', 'GET / HTTP/1.', 'GET /a b HTTP/1.1', ' GET / HTTP/1.1'])
        rejects(`${line}\r\nHost: h\r\n\r\n`, 400);
      rejects('\u0016\u0003\u0001', 400); // a TLS ClientHello is rejected before the head completes
    });
    it('unsupported versions get 505', () => rejects('GET / HTTP/2.0\r\nHost: h\r\n\r\n', 505));
    it('Host is required exactly once in HTTP/1.1', () => {
      rejects('GET / HTTP/1.1\r\n\r\n', 400, /missing Host/);
      rejects('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, /duplicate Host/);
    });
    it('oversized heads and too many fields get 431', () => {
      rejects(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(20000)}`, 431);
      rejects(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(20000)}\r\n\r\n`, 431);
      let many = 'GET / HTTP/1.1\r\nHost: h\r\n';
      for (let i = 0; i < 101; i++) many += `X${i}: v\r\n`;
      rejects(`${many}\r\n`, 431);
      assert.throws(() => parseRequestHead(b('GET / HTTP/1.1\r\nHost: h\r\n\r\n'), { maxHeaderSize: 10, maxHeaders: 10 }), HttpParseError);
    });
  });

  it('property: any valid head round-trips through the parser, split anywhere', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
    const headers = fc.array(fc.tuple(token, value), { maxLength: 10 }).map((hs) =>
      hs.filter(([n]) => !['host', 'content-length', 'transfer-encoding', 'connection', 'expect'].includes(n.toLowerCase())),
    );
    fc.assert(
      fc.property(token, fc.stringMatching(/^\/[\x21-\x7e]{0,30}$/), headers, fc.nat(), (method, target, hs, cut) => {
        const all: [string, string][] = [['Host', 'example'], ...hs];
        const text = `${method} ${target} HTTP/1.1\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
        const at = cut % text.length;
        assert.equal(parseRequestHead(b(text.slice(0, at))), null);
        const h = parseRequestHead(b(`${text}GET`))!;
        assert.equal(h.method, method);
        assert.equal(h.target, target);
        assert.deepEqual(h.rawHeaders, all.flat());
        assert.equal(h.headLength, text.length);
      }),
      { numRuns: 300 },
    );
  });
});

function decodeAll(input: string, splits: number[] = [], dec = new ChunkedDecoder()): { data: string; consumed: number; dec: ChunkedDecoder } {
  const buf = b(input);
  const out: Buffer[] = [];
  let pos = 0;
  for (const s of [...splits, buf.length]) {
    const piece = buf.subarray(pos, Math.max(pos, s));
    const used = dec.decode(piece, 0, out);
    dec.checkInvariants();
    pos += used;
    if (dec.status === 'done') break;
  }
  return { data: Buffer.concat(out).toString('latin1'), consumed: pos, dec };
}

describe('chunked decoder', () => {
  it('decodes chunks, extensions and trailers and stops at the end of the body', () => {
    const body = '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT';
    const r = decodeAll(body);
    assert.equal(r.data, 'hello world');
    assert.equal(r.dec.status, 'done');
    assert.equal(r.consumed, body.length - 4);
  });
  it('keeps the trailer fields, OWS-trimmed, however the input is split', () => {
    const body = '3\r\nabc\r\n0\r\nX-Sum:  abc \r\nx-sum: def\r\nEmpty:\r\n\r\nGET';
    for (let cut = 0; cut <= body.length; cut++) {
      const r = decodeAll(body, [cut]);
      assert.equal(r.data, 'abc');
      assert.deepEqual(r.dec.trailers, ['X-Sum', 'abc', 'x-sum', 'def', 'Empty', ''], `split at ${cut}`);
      assert.equal(r.consumed, body.length - 3);
    }
    assert.deepEqual(decodeAll('0\r\n\r\n').dec.trailers, []);
  });
  it('property: random valid trailer sections, split anywhere, come out as sent', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const value = fc.stringMatching(/^([\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?)?$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(token, value), { maxLength: 8 }), fc.array(fc.nat(400), { maxLength: 4 }), (fields, splits) => {
        const enc = '2\r\nhi\r\n0\r\n' + fields.map(([n, v]) => `${n}: ${v}\r\n`).join('') + '\r\n';
        const r = decodeAll(enc + 'NEXT', [...splits].sort((x, y) => x - y));
        assert.equal(r.dec.status, 'done');
        assert.deepEqual(r.dec.trailers, fields.flat());
        assert.equal(r.consumed, enc.length);
      }),
      { numRuns: 300 },
    );
  });
  it('validates trailers like headers, within the size and count limits (431)', () => {
    for (const [bad, msg] of [
      ['0\r\nX-A : 1\r\n\r\n', /whitespace before colon in trailer field/],
      ['0\r\n: 1\r\n\r\n', /invalid character in trailer field name/],
      ['0\r\nX-A: a\u0001b\r\n\r\n', /invalid character in trailer field value/],
      ['0\r\nX-A: 1\r\n folded\r\n\r\n', /obsolete line folding/],
      ['0\r\nX-A: 1\nX-B: 2\r\n\r\n', /invalid character in trailer field value/],
    ] as const)
      assert.throws(() => decodeAll(bad), (e: unknown) => e instanceof HttpParseError && e.status === 400 && msg.test(e.message), JSON.stringify(bad));
    const three = '0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n';
    assert.deepEqual(decodeAll(three, [], new ChunkedDecoder(1024, 3)).dec.trailers, ['A', '1', 'B', '2', 'C', '3']);
    assert.throws(
      () => decodeAll('0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n', [], new ChunkedDecoder(1024, 3)),
      (e: unknown) => e instanceof HttpParseError && e.status === 431 && /more than 3 trailer fields/.test(e.message),
    );
    assert.throws(
      () => decodeAll(`0\r\nA: ${'x'.repeat(40)}\r\n\r\n`, [], new ChunkedDecoder(32, 3)),
      (e: unknown) => e instanceof HttpParseError && e.status === 431 && /trailer section too large/.test(e.message),
    );
  });
  it('hex sizes in either case', () => assert.equal(decodeAll(`A\r\n${'x'.repeat(10)}\r\na\r\n${'y'.repeat(10)}\r\n0\r\n\r\n`).data.length, 20));
  it('rejects bad chunk sizes and framing', () => {
    for (const bad of [
      'x\r\n',
      '\r\n',
      '-1\r\n',
      '0x5\r\n',
      'fffffffffffffff\r\n',
      '5 \r\nhello\r\n',
      '5\nhello\r\n',
      '5\r\nhelloXX',
      '5\r\nhello\r\n0\r\nbad trailer\r\n\r\n',
      '5\r\nhello\r\n0\r\n folded: x\r\n\r\n',
      '5;\u0000\r\nhello\r\n',
    ])
      assert.throws(() => decodeAll(bad), HttpParseError, JSON.stringify(bad));
  });
  it('property: chunked-encoding any payload, split anywhere, decodes to the payload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 6 }),
        fc.array(fc.nat(300), { maxLength: 5 }),
        (chunks, splits) => {
          let enc = '';
          for (const c of chunks) enc += chunkHeader(c.length) + Buffer.from(c).toString('latin1') + '\r\n';
          enc += LAST_CHUNK;
          const r = decodeAll(enc + 'GET', [...splits].sort((x, y) => x - y));
          assert.equal(r.data, Buffer.concat(chunks.map((c) => Buffer.from(c))).toString('latin1'));
          assert.equal(r.consumed, enc.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('response serializer', () => {
  it('status line and headers', () => {
    assert.equal(statusLine('1.1', 200), 'HTTP/1.1 200 OK\r\n');
    assert.equal(statusLine('1.0', 404), 'HTTP/1.0 404 Not Found\r\n');
    assert.equal(serializeHeaders([['Content-Type', 'text/html'], ['X', '']]), 'Content-Type: text/html\r\nX: \r\n');
  });
  it('rejects response splitting and invalid names', () => {
    assert.throws(() => serializeHeaders([['X', 'a\r\nSet-Cookie: evil']]), InvalidHeaderError);
    assert.throws(() => serializeHeaders([['X', 'a\nb']]), InvalidHeaderError);
    assert.throws(() => serializeHeaders([['Bad Name', 'v']]), /token/);
    assert.throws(() => statusLine('1.1', 99), InvalidHeaderError);
    assert.throws(() => statusLine('1.1', 200, 'OK\r\nX: y'), InvalidHeaderError);
  });
});
