/**
 * Heap per idle connection, in one process: N plain node:net clients connect to a server
 * that is either plain node:net ('net') or stackless/io with one echo tasklet per connection
 * parked in recv() ('tasklet'), or stackless/io Sockets accepted and held without a tasklet
 * ('wrap'). Prints heap (heapUsed + external + arrayBuffers, after GC) per connection pair
 * (client + server side); subtract the 'net' figure to get the stackless/io overhead.
 * Run: N=8000 node --expose-gc --conditions=source --import tsx bench/io-memory.ts net|wrap|tasklet
 */
import * as net from 'node:net';
import { listen, main, sleep, spawn, type Socket } from 'stackless/io';

const N = Number(process.env.N ?? 3000);
const mode = process.argv[2] ?? 'tasklet';
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

function report(h0: number): void {
  console.log(`${mode}: ${((heap() - h0) / N).toFixed(0)} B per idle connection pair (N=${N})`);
}

if (mode === 'net') {
  const conns: net.Socket[] = [];
  const srv = net.createServer((s) => {
    conns.push(s);
    s.on('data', (d) => s.write(d));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const clients: net.Socket[] = [];
  const h0 = heap();
  for (let i = 0; i < N; i++) clients.push(await new Promise<net.Socket>((r) => { const c = net.connect(port, '127.0.0.1', () => r(c)); }));
  await new Promise((r) => setTimeout(r, 200));
  report(h0);
  process.exit(0);
}

/** One generator function for every connection (a generator function expression per
 * connection would add a prototype object and a hidden class to each). */
function* echo(s: Socket) {
  for (;;) {
    const b = yield* s.recv();
    if (b.length === 0) return;
    yield* s.write(b);
  }
}

await main(function* () {
  const server = yield* listen(0);
  const held: Socket[] = [];
  spawn(function* () {
    for (;;) {
      const s = yield* server.accept();
      if (mode === 'wrap') held.push(s);
      else spawn(echo, s);
    }
  });
  const clients: net.Socket[] = [];
  const h0 = heap();
  for (let i = 0; i < N; i++) clients.push(net.connect(server.port, '127.0.0.1'));
  while (server.pending > 0 || clients.some((c) => c.connecting)) yield* sleep(50);
  yield* sleep(50);
  report(h0);
  process.exit(0);
});
