/**
 * Echo benchmark for stackless/io against a plain node:net echo server on the same machine.
 * Each server runs in its own child process; the load comes from plain node:net clients in
 * this (parent) process, so both servers see identical clients. Figures:
 *  - latency: 1 connection, 64-byte ping-pong, sequential round trips (mean, p50, p99 µs);
 *  - throughput: 50 connections, one 64-byte message in flight each, for 2 s (messages/s,
 *    and the server's CPU time per message: user+system, the figure least disturbed by other
 *    load on a shared machine);
 *  - memory: bytes per idle connection with 10,000 idle connections (server RSS and heap
 *    after GC, minus the same before connecting, divided by 10,000).
 * Servers alternate (net, stackless, net, stackless) so drift on a shared machine hits both.
 * Run: node --conditions=source --import tsx bench/io-echo.ts [--quick]
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';

type Kind = 'net' | 'stackless';

// ---- server side (child process) ----------------------------------------------------------

async function runServer(kind: Kind): Promise<void> {
  const send = (m: unknown): void => void process.send!(m);
  const gc = (globalThis as { gc?: () => void }).gc;
  const mem = (): { rss: number; heap: number } => {
    for (let i = 0; i < 3; i++) gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
  };
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'mem') send({ mem: mem() });
    if (m.cmd === 'cpu') {
      const c = process.cpuUsage();
      send({ cpu: c.user + c.system });
    }
    if (m.cmd === 'exit') process.exit(0);
  });
  if (kind === 'net') {
    const server = net.createServer((s) => {
      s.on('data', (d) => s.write(d));
      s.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', 1024, () => send({ port: (server.address() as net.AddressInfo).port }));
    return;
  }
  const io = await import('stackless/io');
  // One generator function for every connection, as in docs/io.md: a generator
  // function expression created per connection would give each connection's generator its
  // own prototype object (a new hidden class, ~250 bytes per idle connection).
  function* echo(conn: import('stackless/io').Socket) {
    try {
      for (;;) {
        const b = yield* conn.recv();
        if (b.length === 0) return;
        yield* conn.write(b);
      }
    } catch {
      // reset by the benchmark client
    } finally {
      conn.close();
    }
  }
  await io.main(function* () {
    const server = yield* io.listen(0, '127.0.0.1', { backlog: 1024 });
    send({ port: server.port });
    for (;;) io.spawn(echo, yield* server.accept());
  });
}

// ---- client side (parent) -------------------------------------------------------------------

function startServer(kind: Kind): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['server', kind], {
    execArgv: ['--conditions=source', '--import', 'tsx', '--expose-gc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (c) => reject(new Error(`${kind} server exited with ${c}`)));
  });
}

function ask<T>(child: ChildProcess, cmd: string): Promise<T> {
  return new Promise((r) => {
    child.once('message', (m) => r(m as T));
    child.send({ cmd });
  });
}

function open(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

/** One ping-pong: write 64 bytes, wait for 64 back. */
function pingPong(s: net.Socket, msg: Buffer): Promise<void> {
  return new Promise((resolve) => {
    let got = 0;
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got >= msg.length) {
        s.off('data', onData);
        resolve();
      }
    };
    s.on('data', onData);
    s.write(msg);
  });
}

async function latency(port: number, n: number): Promise<{ mean: number; p50: number; p99: number }> {
  const s = await open(port);
  const msg = Buffer.alloc(64, 97);
  for (let i = 0; i < 200; i++) await pingPong(s, msg);
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await pingPong(s, msg);
    t.push((performance.now() - t0) * 1000);
  }
  s.destroy();
  t.sort((a, b) => a - b);
  return { mean: t.reduce((a, b) => a + b, 0) / n, p50: t[Math.floor(n / 2)]!, p99: t[Math.floor(n * 0.99)]! };
}

async function throughput(port: number, conns: number, ms: number): Promise<{ rate: number; count: number }> {
  const socks = await Promise.all(Array.from({ length: conns }, () => open(port)));
  const msg = Buffer.alloc(64, 98);
  let count = 0;
  let running = true;
  await Promise.all(
    socks.map(async (s) => {
      while (running) {
        await pingPong(s, msg);
        count++;
        if (count === 1) setTimeout(() => (running = false), ms);
      }
    }),
  );
  for (const s of socks) s.destroy();
  return { rate: (count / ms) * 1000, count };
}

async function idleMemory(child: ChildProcess, port: number, n: number): Promise<{ rss: number; heap: number }> {
  const before = await ask<{ mem: { rss: number; heap: number } }>(child, 'mem');
  const socks: net.Socket[] = [];
  for (let i = 0; i < n; i += 500) socks.push(...(await Promise.all(Array.from({ length: Math.min(500, n - i) }, () => open(port)))));
  // one round trip on the last connection: the server has accepted everything before it
  await pingPong(socks[socks.length - 1]!, Buffer.from('x'));
  await new Promise((r) => setTimeout(r, 300));
  const after = await ask<{ mem: { rss: number; heap: number } }>(child, 'mem');
  for (const s of socks) s.destroy();
  return { rss: (after.mem.rss - before.mem.rss) / n, heap: (after.mem.heap - before.mem.heap) / n };
}

async function runClient(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const n = quick ? 2000 : 10_000;
  const idle = quick ? 2000 : 10_000;
  type Row = { lat: number[]; p50: number[]; p99: number[]; tput: number[]; cpu: number[]; rss: number[]; heap: number[] };
  const rows: Record<Kind, Row> = {
    net: { lat: [], p50: [], p99: [], tput: [], cpu: [], rss: [], heap: [] },
    stackless: { lat: [], p50: [], p99: [], tput: [], cpu: [], rss: [], heap: [] },
  };
  for (const round of [0, 1]) {
    for (const kind of ['net', 'stackless'] as const) {
      const { child, port } = await startServer(kind);
      const l = await latency(port, n);
      const cpu0 = await ask<{ cpu: number }>(child, 'cpu');
      const { rate: tp, count } = await throughput(port, 50, quick ? 1000 : 2000);
      const cpu1 = await ask<{ cpu: number }>(child, 'cpu');
      const cpuPerMsg = (cpu1.cpu - cpu0.cpu) / count;
      const m = await idleMemory(child, port, idle);
      const r = rows[kind];
      r.lat.push(l.mean);
      r.p50.push(l.p50);
      r.p99.push(l.p99);
      r.tput.push(tp);
      r.cpu.push(cpuPerMsg);
      r.rss.push(m.rss);
      r.heap.push(m.heap);
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'exit' });
      await exited;
      console.error(
        `round ${round} ${kind}: latency ${l.mean.toFixed(1)} µs, ${tp.toFixed(0)} msg/s, ${cpuPerMsg.toFixed(1)} µs server CPU/msg, ${m.rss.toFixed(0)} B/conn RSS`,
      );
    }
  }
  const best = (a: number[], low = true): number => (low ? Math.min(...a) : Math.max(...a));
  console.log(`| server | RTT mean µs | RTT p50 µs | RTT p99 µs | msgs/s (50 conns) | server CPU µs/msg | RSS B/idle conn | heap B/idle conn |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const kind of ['net', 'stackless'] as const) {
    const r = rows[kind];
    console.log(
      `| ${kind === 'net' ? 'node:net' : 'stackless/io'} | ${best(r.lat).toFixed(1)} | ${best(r.p50).toFixed(1)} | ${best(r.p99).toFixed(1)} | ${best(r.tput, false).toFixed(0)} | ${best(r.cpu).toFixed(1)} | ${best(r.rss).toFixed(0)} | ${best(r.heap).toFixed(0)} |`,
    );
  }
  const s = rows.stackless;
  const p = rows.net;
  console.log(
    `\nratios stackless/net: RTT ${(best(s.lat) / best(p.lat)).toFixed(2)}x, msgs/s ${(best(s.tput, false) / best(p.tput, false)).toFixed(2)}x, server CPU/msg ${(best(s.cpu) / best(p.cpu)).toFixed(2)}x, heap/conn ${(best(s.heap) / best(p.heap)).toFixed(2)}x (best of 2 alternating rounds)`,
  );
}

if (process.argv[2] === 'server') await runServer(process.argv[3] as Kind);
else await runClient();
