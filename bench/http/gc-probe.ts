/**
 * Garbage-collector cost per request of benchmark servers, from V8's --trace-gc-nvp lines:
 * bytes allocated, bytes surviving scavenges, bytes promoted to the old generation, and GC
 * pause time, per request. Objects that survive are what makes GC expensive (a scavenge
 * copies them); this is how the Set of connections was found to keep dead connections'
 * objects alive (src/http/connection-list.ts).
 *
 *   node --conditions=source --import tsx bench/http/gc-probe.ts [--requests=20000] [--keep-alive] node-http stackless-http ...
 */
import { runWrk } from './clients.js';
import { startServer } from './server-process.js';

const args = process.argv.slice(2);
const requests = Number(args.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 20_000);
const close = !args.includes('--keep-alive');
const names = args.filter((a) => !a.startsWith('--'));
if (names.length === 0) throw new Error('name at least one server of bench/http/servers (without .ts), e.g. node-http stackless-http');

for (const n of names) {
  const s = await startServer(`${n}.ts`, n, { execArgv: ['--trace-gc-nvp'], stdout: 'pipe' });
  let out = '';
  s.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const url = `http://127.0.0.1:${s.port}/`;
    await runWrk(url, 10, 2, close); // warm-up (JIT)
    const mark = out.length;
    const w = await runWrk(url, 100, { requests, capSeconds: 120 }, close);
    await new Promise((r) => setTimeout(r, 200));
    let scavenges = 0;
    let fullGcs = 0;
    let allocated = 0;
    let survived = 0;
    let promoted = 0;
    let pause = 0;
    for (const l of out.slice(mark).split('\n')) {
      if (!l.includes('gc=')) continue;
      const field = (k: string) => Number(new RegExp(`\\b${k}=([\\d.]+)`).exec(l)?.[1] ?? 0);
      if (/\bgc=s\b/.test(l)) {
        scavenges++;
        survived += field('new_space_survived');
        promoted += field('promoted');
      } else fullGcs++;
      allocated += field('allocated');
      pause += field('pause');
    }
    const per = (x: number) => (x / w.requests).toFixed(0).padStart(6);
    console.log(
      `${n.padEnd(24)} ${w.requests} requests (${close ? 'new connection each' : 'keep-alive'}): ${scavenges} scavenges, ${fullGcs} mark-compacts; per request: allocated ${per(allocated)} B, survived ${per(survived)} B, promoted ${per(promoted)} B, GC pause ${((pause * 1000) / w.requests).toFixed(2)} µs`,
    );
  } finally {
    await s.stop();
  }
}
