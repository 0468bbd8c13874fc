/**
 * Hello, HTTP: a stackless/http server where every connection is served by a tasklet.
 * The handler reads the request and writes the response with tasklet-blocking calls.
 *
 *   node --conditions=source --import tsx examples/http-hello.ts          # self-test, then exit
 *   node --conditions=source --import tsx examples/http-hello.ts --serve  # keep serving (PORT=8080)
 */
import { main, wait } from 'stackless/io';
import { listen } from 'stackless/http';

await main(function* () {
  const server = yield* listen(
    function* (req, res) {
      const body = req.method === 'POST' ? yield* req.text() : '';
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      yield* res.end(`Hello from a tasklet: ${req.method} ${req.url}${body ? ` with ${JSON.stringify(body)}` : ''}\n`);
    },
    { port: Number(process.env.PORT ?? 0) },
  );
  console.log(`listening on http://127.0.0.1:${server.port}/`);
  if (process.argv.includes('--serve')) return yield* server.closed();

  // Self-test: main is a tasklet too, so it can wait for a fetch() promise with wait().
  const get = yield* wait(fetch(`http://127.0.0.1:${server.port}/hello?x=1`));
  process.stdout.write(`GET  -> ${get.status} ${yield* wait(get.text())}`);
  const post = yield* wait(fetch(`http://127.0.0.1:${server.port}/echo`, { method: 'POST', body: 'ping' }));
  process.stdout.write(`POST -> ${post.status} ${yield* wait(post.text())}`);
  console.log('stats', JSON.stringify(server.stats()));
  server.close({ deadline: 1000 });
  yield* server.closed();
  console.log('closed', JSON.stringify(server.stats()));
});
