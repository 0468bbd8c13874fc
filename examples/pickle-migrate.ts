/**
 * Tasklet migration: a tasklet serving a channel is pickled together with its channels, sent
 * over a TCP connection on 127.0.0.1 to a second process, unpickled there, and continues
 * serving where it left off (its request count survives the move). Pickles are signed with
 * an HMAC key shared by both processes. Needs compiled tasklets:
 *
 *   node --conditions=source --import tsx --import stackless/register examples/pickle-migrate.ts
 *
 * Process A (default) serves three requests, then spawns process B (`receive` mode), which
 * listens on 127.0.0.1 and prints its port; A connects and sends the pickle; B resumes the
 * tasklet, serves three more requests and reports back on stdout.
 */
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Channel, run, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';

const KEY = 'example-shared-secret';
let host = 'A';

/** The migrating tasklet: serves requests until told to stop. */
export function* serve(requests: Channel<string>, replies: Channel<string>) {
  let count = 0;
  for (;;) {
    const req = yield* requests.receive();
    if (req === 'stop') return count;
    count++;
    yield* replies.send(`process ${host} served ${req} (request #${count} of this tasklet)`);
  }
}

interface Migrating {
  requests: Channel<string>;
  replies: Channel<string>;
  server: Tasklet;
}

function ask(m: Migrating, req: string): string {
  m.requests.send(req); // plain code: the server runs at once and blocks sending its reply
  const reply = m.replies.receive().value;
  run(); // let the server loop back to wait for the next request
  return reply;
}

if (process.argv[2] === 'receive') {
  host = 'B';
  const srv = createServer((sock) => {
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => {
      const m = unpickle(Buffer.concat(chunks), { key: KEY }) as Migrating;
      console.log(`B: unpickled ${m.server}: ${m.server.status}, ${m.server.waitReason}`);
      for (const req of ['d', 'e', 'f']) console.log(`B: ${ask(m, req)}`);
      m.requests.send('stop');
      console.log(`B: tasklet finished: ${m.server.status}`);
      sock.end();
      srv.close();
    });
  });
  srv.listen(0, '127.0.0.1', () => {
    const addr = srv.address();
    console.log(`port ${typeof addr === 'object' && addr !== null ? addr.port : 0}`);
  });
} else {
  const m: Migrating = {
    requests: new Channel<string>({ name: 'requests' }),
    replies: new Channel<string>({ name: 'replies' }),
    server: new Tasklet(serve, undefined, { name: 'server' }),
  };
  m.server.setup(m.requests, m.replies);
  for (const req of ['a', 'b', 'c']) console.log(`A: ${ask(m, req)}`);
  console.log(`A: ${m.server} is ${m.server.status} (${m.server.waitReason}), restorable: ${m.server.restorable}`);
  const bytes = pickle(m, { key: KEY });
  console.log(`A: pickled server + channels: ${bytes.length} bytes, signed`);

  const b = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'receive'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const timer = setTimeout(() => {
    console.error('A: process B did not answer in time');
    b.kill();
    process.exitCode = 1;
  }, 60_000);
  let out = '';
  let sent = false;
  b.stdout.setEncoding('utf8');
  b.stdout.on('data', (chunk: string) => {
    out += chunk;
    const port = /^port (\d+)$/m.exec(out);
    if (port !== null && !sent) {
      sent = true;
      const sock = connect(Number(port[1]), '127.0.0.1', () => sock.end(bytes));
      sock.resume();
    }
  });
  b.on('exit', (code) => {
    clearTimeout(timer);
    for (const line of out.split('\n')) if (line.startsWith('B:')) console.log(line);
    m.server.kill(); // A's copy is no longer needed: it lives on in B
    console.log(`A: process B exited with ${code}`);
    if (code !== 0) process.exitCode = 1;
  });
}
