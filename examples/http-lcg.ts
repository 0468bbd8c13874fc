/**
 * The Syncless benchmark server on stackless/http: `/` answers a fixed 44-byte page, `/N`
 * a link to the next value of the LCG seed = (1664525*seed + 1013904223) mod 2^32.
 * The self-test is Syncless's sequential client, written as a tasklet with stackless/io
 * sockets: N requests one at a time, each on a new connection, each following the link in
 * the previous response. After 10,000 steps from /0 the link must be 2845218640.
 *
 *   node --conditions=source --import tsx examples/http-lcg.ts [--count N]   # self-test
 *   node --conditions=source --import tsx examples/http-lcg.ts --serve        # PORT=8080
 */
import { connect, main } from 'stackless/io';
import { listen } from 'stackless/http';

const ROOT_PAGE = '<a href="/0">start at 0</a><p>Hello, World!\n';
const next = (n: number) => (1664525 * n + 1013904223) % 4294967296; // exact: < 2^53

await main(function* () {
  const server = yield* listen(
    function* (req, res) {
      const n = Number(req.path.slice(1));
      const body = req.path === '/' || !Number.isInteger(n) ? ROOT_PAGE : `<a href="/${next(n)}">continue at ${next(n)}</a>\n`;
      res.setHeader('Content-Type', 'text/html');
      yield* res.end(body);
    },
    { port: Number(process.env.PORT ?? 0) },
  );
  console.log(`LCG server on http://127.0.0.1:${server.port}/`);
  if (process.argv.includes('--serve')) return yield* server.closed();

  const i = process.argv.indexOf('--count');
  const count = i > 0 ? Number(process.argv[i + 1]) : 10_000;
  let path = '/0';
  let value = 0;
  const t0 = performance.now();
  for (let k = 0; k < count; k++) {
    const sock = yield* connect(server.port, '127.0.0.1');
    try {
      yield* sock.write(`GET ${path} HTTP/1.0\r\n\r\n`);
      const reply = (yield* sock.readAll()).toString('latin1');
      const m = /href="\/(\d+)"/.exec(reply);
      if (m === null) throw new Error(`no link in the reply to ${path}: ${reply}`);
      value = Number(m[1]);
      path = `/${value}`;
    } finally {
      sock.close();
    }
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`followed ${count} links; final value ${value}`);
  if (count === 10_000) console.log(value === 2845218640 ? 'OK: matches Syncless (2845218640)' : 'MISMATCH: expected 2845218640');
  console.error(`(${(count / secs).toFixed(0)} requests/s, client and server in one process)`);
  server.close();
  yield* server.closed();
});
