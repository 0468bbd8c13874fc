/**
 * A chat server: each client connection is served by a reader tasklet and a writer tasklet;
 * readers send every line to one `inbox` channel, a broadcaster tasklet fans each message
 * out to every client's `outbox` channel, and each writer tasklet writes its outbox to its
 * socket. The self-test connects three clients; each says hello and reads everybody's
 * messages (its own excluded).
 * Run: node --conditions=source --import tsx examples/io-chat-server.ts
 */
import { Channel } from 'stackless';
import { connect, listen, main, sleep, spawn, spawnNamed, SocketClosedError, type Socket } from 'stackless/io';

interface Message {
  from: number;
  text: string;
}

const inbox = new Channel<Message>({ name: 'inbox' });
const outboxes = new Map<number, Channel<Message>>();

function* broadcaster() {
  for (;;) {
    const m = yield* inbox.receive();
    for (const [id, out] of outboxes) if (id !== m.from) yield* out.send(m);
  }
}

function* session(conn: Socket, id: number) {
  const outbox = new Channel<Message>({ name: `outbox ${id}` });
  outboxes.set(id, outbox);
  const writer = spawnNamed(`writer ${id}`, function* () {
    for (;;) {
      const m = yield* outbox.receive();
      yield* conn.write(`<${m.from}> ${m.text}\n`);
    }
  });
  try {
    yield* conn.write(`welcome, you are ${id}\n`);
    for (;;) {
      const line = yield* conn.readline({ limit: 4096 });
      if (line.length === 0) break;
      yield* inbox.send({ from: id, text: line.toString().trimEnd() });
    }
  } finally {
    outboxes.delete(id);
    yield* writer.kill();
    conn.close();
  }
}

function* chatClient(port: number, expectLines: number) {
  const c = yield* connect(port);
  const welcome = (yield* c.readline()).toString().trim();
  const me = welcome.split(' ').pop()!;
  yield* sleep(20); // let everybody join
  yield* c.write(`hello from ${me}\n`);
  const heard: string[] = [];
  for (let i = 0; i < expectLines; i++) heard.push((yield* c.readline({ timeout: 5000 })).toString().trim());
  c.close();
  return { me, heard: heard.sort() };
}

await main(function* () {
  const server = yield* listen(0);
  spawnNamed('broadcaster', broadcaster);
  spawnNamed('acceptor', function* () {
    let next = 1;
    try {
      for (;;) {
        const conn = yield* server.accept();
        const id = next++;
        spawnNamed(`session ${id}`, session, conn, id);
      }
    } catch (e) {
      if (!(e instanceof SocketClosedError)) throw e;
    }
  });
  const results: { me: string; heard: string[] }[] = [];
  const clients = [0, 1, 2].map(() =>
    spawn(function* () {
      results.push(yield* chatClient(server.port, 2));
    }),
  );
  while (clients.some((t) => t.alive)) yield* sleep(5);
  for (const r of results.sort((a, b) => a.me.localeCompare(b.me))) console.log(`client ${r.me} heard: ${r.heard.join(' | ')}`);
  server.close();
});
