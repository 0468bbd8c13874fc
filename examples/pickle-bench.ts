/**
 * Pickle size and speed for a small paused counter tasklet (one compiled frame, a few locals).
 *
 *   node --conditions=source --import tsx --import stackless/register examples/pickle-bench.ts
 *
 * Prints the pickle size and the median time per pickle() and unpickle() over several
 * batches (the machine is shared: the median of batches is steadier than one long run).
 */
import { schedule, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';

export function* counter(label: string, n: number) {
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += i;
    yield* schedule();
  }
  return `${label} ${total}`;
}

const t = new Tasklet(counter).setup('count', 1000);
t.run();
t.run();
t.remove();
if (!t.restorable) throw new Error('the counter is not compiled: run with --import stackless/register');

const bytes = pickle(t);
const signed = pickle(t, { key: 'k' });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function perOp(f: () => void, n: number, batches: number): number {
  for (let i = 0; i < n; i++) f(); // warm up
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    times.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return median(times);
}

const N = Number(process.env.N ?? 20_000);
const p = perOp(() => pickle(t), N, 9);
const u = perOp(() => unpickle(bytes), N, 9);
const ps = perOp(() => pickle(t, { key: 'k' }), N / 4, 5);
const us = perOp(() => unpickle(signed, { key: 'k' }), N / 4, 5);
console.log(`counter tasklet pickle size: ${bytes.length} bytes (signed: ${signed.length})`);
console.log(`pickle:   ${p.toFixed(2)} µs/op`);
console.log(`unpickle: ${u.toFixed(2)} µs/op`);
console.log(`pickle signed:   ${ps.toFixed(2)} µs/op`);
console.log(`unpickle signed: ${us.toFixed(2)} µs/op`);
t.kill();
