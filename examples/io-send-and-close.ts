/**
 * Write, then close: close() is graceful (like node:net's end()), so a response written just
 * before close() reaches even a slow client in full; abort() is the hard close that drops
 * what is still unsent. The server sends each client a 4 MB payload and closes at once;
 * three clients that start reading only later still get every byte.
 * Run: node --conditions=source --import tsx examples/io-send-and-close.ts
 */
import { connect, listen, main, sleep, spawn, type Socket } from 'stackless/io';

const SIZE = 4 * 1024 * 1024;

function* sendAndClose(conn: Socket) {
  try {
    yield* conn.write(Buffer.alloc(SIZE, 'x')); // waits only while Node's buffer is full
  } finally {
    conn.close(); // flushes what is still queued, then FIN
  }
}

function* slowClient(port: number, id: number) {
  const c = yield* connect(port);
  yield* sleep(50 * id); // not reading yet: the server has long called close()
  const all = yield* c.readAll();
  c.close();
  return `client ${id} got ${all.length === SIZE ? 'all' : all.length} of ${SIZE} bytes`;
}

await main(function* () {
  const server = yield* listen(0);
  spawn(function* () {
    for (;;) spawn(sendAndClose, yield* server.accept());
  });
  for (let id = 1; id <= 3; id++) console.log(yield* slowClient(server.port, id));
  // returning kills the acceptor tasklet and closes the server
});
