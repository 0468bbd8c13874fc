/**
 * HTTP Upgrade: a handler answers `101 Switching Protocols` and keeps the connection's byte
 * stream for a protocol of its own, here "shout": every line the client sends comes back in
 * capitals, until the client ends its side. The handler is the connection's tasklet, so the
 * new protocol is written with the same blocking reads and writes as any request.
 *
 *   node --conditions=source --import tsx examples/http-upgrade.ts          # self-test, then exit
 *   node --conditions=source --import tsx examples/http-upgrade.ts --serve  # keep serving (PORT=8080)
 */
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { main, wait } from 'stackless/io';
import { listen } from 'stackless/http';

await main(function* () {
  const server = yield* listen(
    function* (req, res) {
      if (req.upgrade?.toLowerCase() !== 'shout') return yield* res.send(426, 'this server speaks shout: send Connection: upgrade, Upgrade: shout\n', { Upgrade: 'shout' });
      const stream = yield* res.upgrade({ protocol: 'shout' });
      let lines = 0;
      for (;;) {
        const data = yield* stream.read(); // null once the client ended its side
        if (data === null) break;
        lines += data.toString().split('\n').length - 1;
        yield* stream.write(data.toString().toUpperCase());
      }
      yield* stream.write(`(${lines} lines)\n`); // the connection closes when the handler returns
    },
    { port: Number(process.env.PORT ?? 0) },
  );
  console.log(`listening on http://127.0.0.1:${server.port}/`);
  if (process.argv.includes('--serve')) return yield* server.closed();

  // Self-test with node:http's client: its 'upgrade' event hands over the raw socket.
  const plain = yield* wait(fetch(`http://127.0.0.1:${server.port}/`));
  console.log(`without upgrade -> ${plain.status} ${(yield* wait(plain.text())).trim()}`);
  const reply = yield* wait(
    new Promise<string>((resolve, reject) => {
      const r = request({ port: server.port, host: '127.0.0.1', path: '/', headers: { Connection: 'Upgrade', Upgrade: 'shout' } });
      r.on('upgrade', (res, socket: Socket, head: Buffer) => {
        console.log(`upgrade -> ${res.statusCode} ${res.statusMessage}, Upgrade: ${res.headers.upgrade}`);
        let got = head.toString();
        socket.on('data', (d) => (got += d.toString()));
        socket.on('end', () => resolve(got));
        socket.write('hello, tasklet\n');
        socket.write('switching protocols\n');
        socket.end();
      });
      r.on('error', reject);
      r.end();
    }),
  );
  process.stdout.write(reply);
  server.close({ deadline: 1000 });
  yield* server.closed();
  console.log('closed', JSON.stringify(server.stats()));
});
