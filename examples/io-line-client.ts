/**
 * A line-protocol client. The example starts a tiny calculator server ("ADD a b" → "= a+b",
 * "MUL a b", "QUIT" → "BYE") and talks to it with readline/write, with a timeout on every
 * reply, printing the dialogue.
 * Run: node --conditions=source --import tsx examples/io-line-client.ts
 */
import { connect, listen, main, spawn, type Socket } from 'stackless/io';

function* calculator(conn: Socket) {
  try {
    for (;;) {
      const line = (yield* conn.readline({ limit: 1024 })).toString().trim();
      if (line === '' || line === 'QUIT') {
        yield* conn.write('BYE\n');
        return;
      }
      const [cmd, a, b] = line.split(/\s+/);
      const x = Number(a);
      const y = Number(b);
      if (cmd === 'ADD') yield* conn.write(`= ${x + y}\n`);
      else if (cmd === 'MUL') yield* conn.write(`= ${x * y}\n`);
      else yield* conn.write(`ERR unknown command ${cmd}\n`);
    }
  } finally {
    conn.close();
  }
}

await main(function* () {
  const server = yield* listen(0);
  spawn(function* () {
    spawn(calculator, yield* server.accept());
  });
  const c = yield* connect(server.port, '127.0.0.1', { timeout: 2000 });
  c.timeout = 2000; // every read and write on this socket
  for (const req of ['ADD 2 3', 'MUL 6 7', 'POW 2 8', 'QUIT']) {
    yield* c.write(req + '\n');
    const reply = (yield* c.readline()).toString().trim();
    console.log(`> ${req}\n< ${reply}`);
  }
  c.close();
  server.close();
});
