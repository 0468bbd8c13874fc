// Compiled frames vs native generators: resume cost and memory per suspended frame/tasklet.
// Run (prints figures; BENCH_SCALE=0.01 for a quick smoke run):
//   npx stackless run examples/compiled-bench.ts
// Compiled and native variants are the same code; the native ones opt out with
// /* @stackless native */. Variants alternate in one process; medians are reported.
// Deterministic resume cost (instructions, immune to machine load): run one variant with
//   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
//     node --conditions=source --import tsx --import stackless/register examples/compiled-bench.ts resume native 600000
// for N = 100000 and 600000 and both variants; (I refs difference) / 500000 = instructions per resume.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Channel, Tasklet, run, schedule, type Trap } from 'stackless';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const scale = Number(process.env['BENCH_SCALE'] ?? '1');

function* counterC() {
  let s = 0;
  for (;;) s += (yield s) as number;
}
/* @stackless native */
function* counterN() {
  let s = 0;
  for (;;) s += (yield s) as number;
}

function* workerC(ch: Channel<number>, label: string) {
  let total = 0;
  for (;;) {
    const v = yield* ch.receive();
    total += v;
    if (total < 0) return label;
  }
}
/* @stackless native */
function* workerN(ch: Channel<number>, label: string) {
  let total = 0;
  for (;;) {
    const v = yield* ch.receive();
    total += v;
    if (total < 0) return label;
  }
}

function resumeNs(make: () => Iterator<unknown, unknown, number>, n: number): number {
  const g = make();
  g.next(0);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) g.next(1);
  return Number(process.hrtime.bigint() - t0) / n;
}

function bytesPer(n: number, make: (i: number) => unknown): number {
  const keep: unknown[] = new Array(n).fill(null);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) keep[i] = make(i);
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (keep.length !== n) throw new Error('unreachable');
  return (after - before) / n;
}

function parkedTaskletBytes(n: number, worker: typeof workerC): number {
  const ch = new Channel<number>();
  const b = bytesPer(n, () => new Tasklet(worker).setup(ch, 'w'));
  // (the tasklets are created runnable; start them so each parks in ch.receive())
  return b;
}

function parkedAfterRun(n: number, worker: typeof workerC): number {
  const ch = new Channel<number>();
  const tasklets: Tasklet[] = [];
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) tasklets.push(new Tasklet(worker).setup(ch, 'w'));
  run();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const per = (after - before) / n;
  for (const t of tasklets) t.kill();
  return per;
}

function* deepC(d: number, n: number): Generator<Trap, number, unknown> {
  if (d > 0) return yield* deepC(d - 1, n);
  for (let i = 0; i < n; i++) yield* schedule();
  return n;
}
/* @stackless native */
function* deepN(d: number, n: number): Generator<Trap, number, unknown> {
  if (d > 0) return yield* deepN(d - 1, n);
  for (let i = 0; i < n; i++) yield* schedule();
  return n;
}
/** ns per switch into a tasklet suspended `d` calls deep (the other tasklet is shallow). */
function deepSwitchNs(deep: typeof deepC, d: number, n: number): number {
  new Tasklet(deep).setup(d, n);
  new Tasklet(deep).setup(0, n);
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / (2 * n);
}

if (process.argv[2] === 'resume') {
  const variant = process.argv[3];
  const count = Number(process.argv[4]);
  const g = (variant === 'native' ? counterN : counterC)() as Iterator<number, unknown, number>;
  g.next(0);
  for (let i = 0; i < 20000; i++) g.next(1); // warm-up (JIT)
  let last: unknown;
  for (let i = 0; i < count; i++) last = g.next(1).value;
  console.log(variant, count, last);
  process.exit(0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const N = Math.max(1000, Math.round(5e6 * scale));
const M = Math.max(1000, Math.round(2e5 * scale));
const rounds = 5;
const rc: number[] = [];
const rn: number[] = [];
for (let r = 0; r < rounds; r++) {
  rn.push(resumeNs(counterN as () => Iterator<unknown, unknown, number>, N));
  rc.push(resumeNs(counterC as () => Iterator<unknown, unknown, number>, N));
}
const frameC = median([0, 1, 2].map(() => bytesPer(M, () => { const g = counterC(); g.next(); return g; })));
const frameN = median([0, 1, 2].map(() => bytesPer(M, () => { const g = counterN(); g.next(); return g; })));
void parkedTaskletBytes;
const parkedC = median([0, 1, 2].map(() => parkedAfterRun(M / 4, workerC)));
const parkedN = median([0, 1, 2].map(() => parkedAfterRun(M / 4, workerN)));
const f = (x: number): string => x.toFixed(1);
console.log(`rounds native ${rn.map(f).join(" ")} / compiled ${rc.map(f).join(" ")}`);
console.log(`resume (ns/next): native ${f(median(rn))}, compiled ${f(median(rc))}, ratio ${(median(rc) / median(rn)).toFixed(2)}x  [${N} resumes x ${rounds} rounds]`);
console.log(`suspended frame (bytes): native ${f(frameN)}, compiled ${f(frameC)}, ratio ${(frameC / frameN).toFixed(2)}x  [${M} frames]`);
console.log(`parked tasklet (bytes, tasklet+frame+op): native ${f(parkedN)}, compiled ${f(parkedC)}, ratio ${(parkedC / parkedN).toFixed(2)}x  [${M / 4} tasklets]`);
const D = Math.max(200, Math.round(20000 * scale));
for (const depth of [1, 100, 1000]) {
  deepSwitchNs(deepN, depth, D); // warm-up
  deepSwitchNs(deepC, depth, D);
  const n = median([0, 1, 2].map(() => deepSwitchNs(deepN, depth, D)));
  const c = median([0, 1, 2].map(() => deepSwitchNs(deepC, depth, D)));
  console.log(`switch into a tasklet ${depth} yield* calls deep (ns): native ${f(n)}, compiled ${f(c)}  [${D} switches]`);
}
