/**
 * A crawler-style Pool: 10 concurrent fetcher tasklets crawl a local HTTP server (served by
 * tasklets too) whose pages link to each other. A Queue holds the URLs to visit, a Pool(10)
 * caps the fetches in flight; the crawl ends when the queue is drained (Queue.join()).
 * Run: node --conditions=source --import tsx examples/io-crawler.ts
 */
import { connect, listen, main, Pool, Queue, sleep, spawn, SocketClosedError, type Socket } from 'stackless/io';

const PAGES = 60;
/** Page n links to 3 other pages, so the whole site is reachable from page 0. */
function links(n: number): number[] {
  return [(n * 7 + 1) % PAGES, (n + 1) % PAGES, (n * 3 + 2) % PAGES];
}

function* httpServer(conn: Socket) {
  try {
    const requestLine = (yield* conn.readline({ limit: 8192 })).toString();
    while ((yield* conn.readline({ limit: 8192 })).toString().trim() !== ''); // headers
    const n = Number(/^GET \/page\/(\d+) /.exec(requestLine)?.[1] ?? -1);
    yield* sleep(2); // a slow backend
    const body =
      n >= 0 && n < PAGES ? `<h1>page ${n}</h1>` + links(n).map((l) => `<a href="/page/${l}">${l}</a>`).join('') : 'not found';
    yield* conn.write(`HTTP/1.0 ${n >= 0 ? 200 : 404} OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  } finally {
    conn.close();
  }
}

function* fetchPage(port: number, path: string) {
  const c = yield* connect(port, '127.0.0.1', { timeout: 5000 });
  try {
    c.timeout = 5000;
    yield* c.write(`GET ${path} HTTP/1.0\r\nHost: localhost\r\n\r\n`);
    const head = (yield* c.readUntil('\r\n\r\n', { limit: 16384 })).toString();
    const length = Number(/Content-Length: (\d+)/i.exec(head)?.[1] ?? 0);
    return (yield* c.read(length)).toString();
  } finally {
    c.close();
  }
}

await main(function* () {
  const server = yield* listen(0);
  spawn(function* () {
    try {
      for (;;) spawn(httpServer, yield* server.accept());
    } catch (e) {
      if (!(e instanceof SocketClosedError)) throw e;
    }
  });

  const pool = new Pool(10);
  const todo = new Queue<string>();
  const seen = new Set<string>(['/page/0']);
  let inFlight = 0;
  let peak = 0;
  let fetched = 0;
  yield* todo.put('/page/0');
  spawn(function* () {
    for (;;) {
      const path = yield* todo.get();
      yield* pool.spawn(function* () {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          const html = yield* fetchPage(server.port, path);
          fetched++;
          for (const m of html.matchAll(/href="([^"]+)"/g))
            if (!seen.has(m[1]!)) {
              seen.add(m[1]!);
              yield* todo.put(m[1]!);
            }
        } finally {
          inFlight--;
          todo.taskDone();
        }
      });
    }
  });
  yield* todo.join();
  console.log(`crawled ${fetched} pages with at most ${peak} concurrent fetchers (pool size ${pool.size})`);
  server.close();
});
