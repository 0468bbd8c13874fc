/**
 * Side-by-side CPU time per request of benchmark servers: the quick check for a performance
 * change (the full run is run.ts). Each server runs in its own child process; every
 * repetition runs wrk with a fixed request count on each server in turn (order rotated).
 *
 *   node --conditions=source --import tsx bench/http/cpu-ab.ts [--reps=5] [--requests=30000] [--keep-alive] node-http stackless-http ...
 *
 * Prints, per run, req/s and server CPU µs per request, then the median and lowest CPU per
 * request of each server and their ratios to the first server.
 */
import { runWrk } from './clients.js';
import { startServer, type Running } from './server-process.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const reps = opt('reps', 5);
const requests = opt('requests', 30_000);
const close = !args.includes('--keep-alive');
const names = args.filter((a) => !a.startsWith('--'));
if (names.length === 0) throw new Error('name at least one server of bench/http/servers (without .ts), e.g. node-http stackless-http');

const servers: [string, Running][] = [];
try {
  for (const n of names) servers.push([n, await startServer(`${n}.ts`, n)]);
  const url = (s: Running) => `http://127.0.0.1:${s.port}/`;
  for (const [, s] of servers) await runWrk(url(s), 10, 2, close); // warm-up (JIT)
  const cpu = new Map<string, number[]>();
  for (let r = 0; r < reps; r++)
    for (let i = 0; i < servers.length; i++) {
      const [n, s] = servers[(i + r) % servers.length]!;
      const c0 = await s.cpu();
      const w = await runWrk(url(s), 100, { requests, capSeconds: 120 }, close);
      const us = ((await s.cpu()) - c0) / w.requests;
      cpu.set(n, [...(cpu.get(n) ?? []), us]);
      console.log(`${n.padEnd(24)} ${w.requests} requests ${w.reqPerSec.toFixed(0).padStart(6)} req/s ${us.toFixed(1).padStart(6)} µs CPU/req, p50 ${w.p50ms.toFixed(2)} p99 ${w.p99ms.toFixed(2)} max ${w.maxms.toFixed(1)} ms, errors ${w.errors}`);
    }
  const stat = (n: string) => {
    const v = [...cpu.get(n)!].sort((a, b) => a - b);
    return { median: v[Math.floor(v.length / 2)]!, min: v[0]! };
  };
  const base = stat(names[0]!);
  console.log(`\n${close ? 'new connection per request' : 'keep-alive'}, ${reps} x ${requests} requests, 100 connections`);
  for (const n of names) {
    const s = stat(n);
    console.log(
      `${n.padEnd(24)} CPU µs/req median ${s.median.toFixed(1)} (lowest ${s.min.toFixed(1)}); CPU-time ratio ${names[0]} ÷ this: ${(base.median / s.median).toFixed(2)}x median, ${(base.min / s.min).toFixed(2)}x lowest`,
    );
  }
} finally {
  for (const [, s] of servers) await s.stop();
}
