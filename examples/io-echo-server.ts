/**
 * An echo server on stackless/io: one acceptor tasklet, one tasklet per connection that
 * echoes lines until the client closes. The self-test starts the server on a free port,
 * runs 5 client tasklets that each send 3 lines and check the echoes, then stops.
 * Run: node --conditions=source --import tsx examples/io-echo-server.ts [--serve PORT]
 */
import { connect, listen, main, sleep, spawn, SocketClosedError, type Server, type Socket } from 'stackless/io';

function* handle(conn: Socket) {
  try {
    for (;;) {
      const line = yield* conn.readline({ limit: 64 * 1024 });
      if (line.length === 0) return; // client closed
      yield* conn.write(line);
    }
  } finally {
    conn.close();
  }
}

function* acceptLoop(server: Server) {
  try {
    for (;;) spawn(handle, yield* server.accept());
  } catch (e) {
    if (!(e instanceof SocketClosedError)) throw e; // server.close() ends the loop
  }
}

function* client(port: number, id: number) {
  const c = yield* connect(port, '127.0.0.1', { timeout: 5000 });
  try {
    let ok = 0;
    for (let i = 0; i < 3; i++) {
      const msg = `client ${id} line ${i}\n`;
      yield* c.write(msg);
      if ((yield* c.readline({ timeout: 5000 })).toString() === msg) ok++;
      yield* sleep(1);
    }
    return ok;
  } finally {
    c.close();
  }
}

const serveIdx = process.argv.indexOf('--serve');
await main(function* () {
  const server = yield* listen(serveIdx > 0 ? Number(process.argv[serveIdx + 1]) : 0);
  spawn(acceptLoop, server);
  if (serveIdx > 0) {
    console.log(`echo server listening on 127.0.0.1:${server.port}`);
    for (;;) yield* sleep(60_000);
  }
  const results: number[] = [];
  const clients = [1, 2, 3, 4, 5].map((id) =>
    spawn(function* () {
      results.push(yield* client(server.port, id));
    }),
  );
  while (clients.some((t) => t.alive)) yield* sleep(5);
  console.log(`${results.length} clients, ${results.reduce((a, b) => a + b, 0)} lines echoed correctly`);
  server.close();
});
console.log('echo server stopped');
