/**
 * One measurement in its own process: `node --conditions=source --import tsx [--expose-gc]
 * bench/child.ts '<json Spec>'`. Loads the system (tsx compiles it here, before any timing),
 * warms the workload up at a tenth of its size, then times one full instance with wall
 * clock and process.cpuUsage(), checks the workload's result, and prints one line
 * `RESULT <json ChildResult>`. Caller: bench/run.ts (spawns it), or a human debugging.
 */
import { performance } from 'node:perf_hooks';
import { loadSystem } from './load-system.js';
import type { ChildResult, Spec } from './spec.js';
import type { System } from './workloads.js';

function emit(r: ChildResult): void {
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

function fail(msg: string): never {
  throw new Error(msg);
}

/** Time `body` (wall and CPU), after one warm-up call of `warm`. */
async function timed(warm: () => unknown, body: () => unknown): Promise<{ wallNs: number; cpuNs: number; check: unknown }> {
  await warm();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const check = await body();
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  return { wallNs: (t1 - t0) * 1e6, cpuNs: (c1.user + c1.system) * 1e3, check };
}

function expect(got: unknown, want: unknown, what: string): void {
  if (got !== want) fail(`${what}: workload check failed, got ${String(got)}, expected ${String(want)}`);
}

function need<K extends keyof System>(sys: System, k: K): NonNullable<System[K]> {
  const f = sys[k];
  if (f === undefined) fail(`${sys.label} does not implement ${String(k)}`);
  return (f as (...a: unknown[]) => unknown).bind(sys) as NonNullable<System[K]>;
}

const tenth = (n: number): number => Math.max(1, Math.floor(n / 10));

async function main(spec: Spec): Promise<void> {
  const sys = await loadSystem(spec.system);
  const p = spec.params;
  switch (spec.workload) {
    case 'pingpong': {
      const f = need(sys, 'pingPong');
      const n = p.n!;
      const r = await timed(() => f(tenth(n)), () => f(n));
      expect(r.check, (n * (n - 1)) / 2, 'ping-pong sum');
      return emit({ ...r, ops: 2 * n });
    }
    case 'ring': {
      const f = need(sys, 'ring');
      const r = await timed(() => f(p.size!, 1), () => f(p.size!, p.laps!));
      expect(r.check, p.size! * p.laps!, 'ring token');
      return emit({ ...r, ops: p.size! * p.laps! });
    }
    case 'spawn':
    case 'spawn-bounded': {
      const f = need(sys, 'spawn');
      const total = p.rounds! * p.perRound!;
      const r = await timed(() => f(tenth(p.rounds!), p.perRound!), () => f(p.rounds!, p.perRound!));
      expect(r.check, total, 'spawn counter');
      return emit({ ...r, ops: total });
    }
    case 'schedule': {
      const f = need(sys, 'schedule');
      const total = p.tasks! * p.each!;
      const r = await timed(() => f(p.tasks!, tenth(p.each!)), () => f(p.tasks!, p.each!));
      expect(r.check, total, 'schedule count');
      return emit({ ...r, ops: total });
    }
    case 'deep-call':
    case 'deep-yield': {
      // Timed from the bottom of the stack (building it is not a resume), after a gc() so the
      // descent's garbage is not charged to the resumes.
      const f = need(sys, 'deepResume');
      const mode = spec.workload === 'deep-call' ? 'call' : 'yield*';
      const gc = (globalThis as { gc?: () => void }).gc ?? fail('deep resume runs need node --expose-gc');
      await f(mode, p.depth!, tenth(p.resumes!), () => {});
      let c0: NodeJS.CpuUsage | null = null;
      let t0 = 0;
      const check = await f(mode, p.depth!, p.resumes!, () => {
        gc();
        c0 = process.cpuUsage();
        t0 = performance.now();
      });
      const t1 = performance.now();
      if (c0 === null) fail('deepResume(): atBottom was not called');
      const c1 = process.cpuUsage(c0);
      expect(check, p.resumes!, 'deep resumes');
      return emit({ wallNs: (t1 - t0) * 1e6, cpuNs: (c1.user + c1.system) * 1e3, ops: p.resumes! });
    }
    case 'parked': {
      const f = need(sys, 'parked');
      const gc = (globalThis as { gc?: () => void }).gc ?? fail('parked memory needs node --expose-gc');
      const n = p.n!;
      const t0 = performance.now();
      await f(n, (parked) => {
        const wallNs = (performance.now() - t0) * 1e6;
        expect(parked, n, 'parked tasks');
        gc();
        gc();
        const heapUsed = process.memoryUsage().heapUsed;
        const rss = process.memoryUsage().rss;
        const maxRss = process.resourceUsage().maxRSS * 1024;
        emit({ wallNs, cpuNs: process.cpuUsage().user * 1e3, ops: n, heapUsed, rss, maxRss });
        process.exit(0);
      });
      return fail('parked(): whileParked was not called');
    }
    case 'pickle': {
      // A small paused tasklet: n pickles timed, then n unpickles of the bytes; one copy is run
      // to its end and must print what an unbroken run prints.
      const c = need(sys, 'pickleCase')('counter', 0);
      const n = p.n!;
      const bytes = c.pickle();
      const pk = await timed(() => { for (let i = 0; i < tenth(n); i++) c.pickle(); }, () => { for (let i = 0; i < n; i++) c.pickle(); });
      const up = await timed(() => { for (let i = 0; i < tenth(n); i++) c.unpickle(bytes); }, () => { for (let i = 0; i < n; i++) c.unpickle(bytes); });
      expect(c.finish(c.unpickle(bytes)), c.expected, 'finished copy');
      return emit({ wallNs: pk.wallNs, cpuNs: pk.cpuNs, ops: n, bytes: bytes.length, unpickleWallNs: up.wallNs, unpickleCpuNs: up.cpuNs });
    }
    case 'pickle-deep': {
      // One pickle and one unpickle of a tasklet `depth` frames deep; the copy must then resume
      // and unwind all of them.
      const c = need(sys, 'pickleCase')('deep', p.depth!);
      let bytes: Uint8Array | null = null;
      const pk = await timed(() => {}, () => (bytes = c.pickle()));
      let copy: unknown;
      const up = await timed(() => {}, () => (copy = c.unpickle(bytes!)));
      expect(c.finish(copy), c.expected, 'resumed deep copy');
      return emit({ wallNs: pk.wallNs, cpuNs: pk.cpuNs, ops: 1, bytes: bytes!.length, unpickleWallNs: up.wallNs, unpickleCpuNs: up.cpuNs });
    }
    case 'max-depth-call':
    case 'max-depth-yield': {
      const f = need(sys, 'reachDepth');
      const mode = spec.workload === 'max-depth-call' ? 'call' : 'yield*';
      const limit = p.limit!;
      const t0 = performance.now();
      let depth: number;
      if (mode === 'call') {
        depth = (await f(mode, limit)) ? limit : -1;
      } else {
        // Exponential search, then bisection to 1%.
        let lo = 0;
        let hi = 0;
        for (let d = 500; ; d *= 2) {
          if (d >= limit) {
            if (await f(mode, limit)) lo = limit;
            else hi = limit;
            break;
          }
          if (await f(mode, d)) lo = d;
          else {
            hi = d;
            break;
          }
        }
        if (hi !== 0) {
          while (hi - lo > Math.max(10, lo / 100)) {
            const mid = Math.floor((lo + hi) / 2);
            if (await f(mode, mid)) lo = mid;
            else hi = mid;
          }
        }
        depth = lo;
      }
      return emit({ wallNs: (performance.now() - t0) * 1e6, cpuNs: process.cpuUsage().user * 1e3, ops: 1, depth, limitReached: depth >= limit });
    }
  }
}

const arg = process.argv[2] ?? fail('usage: child.ts <json spec>');
main(JSON.parse(arg) as Spec).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
