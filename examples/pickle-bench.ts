/**
 * Pickle size and speed for a small paused counter tasklet (one compiled frame, a few locals).
 *
 *   node --conditions=source --import tsx --import stackless/register examples/pickle-bench.ts
 *
 * Prints the pickle size and the median time per pickle() and unpickle() over several
 * batches (the machine is shared: the median of batches is steadier than one long run).
 * With DEEP=1000000 it also pickles and unpickles a tasklet that many compiled frames deep.
 */
import { deserialize, serialize } from 'node:v8';
import { call, Channel, run, schedule, Tasklet, type Trap } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';

export function* counter(label: string, n: number) {
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += i;
    yield* schedule();
  }
  return `${label} ${total}`;
}

/** Recursion through the tasklet's own frame stack: `depth` compiled frames. */
export function* deep(n: number, ch: Channel<number>): Generator<Trap, number, unknown> {
  if (n === 0) return yield* ch.receive();
  return 1 + (yield* call(deep, n - 1, ch));
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
// Reference points measured side by side (the machine may be shared): V8's structured clone
// of the same frame fields (no tasklet, no code table, no dlg), and JSON of them.
const FRAME_DATA = Symbol.for('stackless.frameData');
const fields = { ...((t as unknown as { _frame: Record<symbol, () => { state: Record<string, unknown> }> })._frame[FRAME_DATA]!().state) };
delete fields.dlg;
delete fields.sent; // the last resume value: the tasklet itself (schedule() returns the current tasklet)
const v8bytes = serialize(fields);
const v = perOp(() => serialize(fields), N, 9);
const vd = perOp(() => deserialize(v8bytes), N, 9);
const json = JSON.stringify(fields);
const j = perOp(() => JSON.stringify(fields), N, 9);
const jd = perOp(() => JSON.parse(json), N, 9);
console.log(`counter tasklet pickle size: ${bytes.length} bytes (signed: ${signed.length})`);
console.log(`pickle:   ${p.toFixed(2)} µs/op`);
console.log(`unpickle: ${u.toFixed(2)} µs/op`);
console.log(`pickle signed:   ${ps.toFixed(2)} µs/op`);
console.log(`unpickle signed: ${us.toFixed(2)} µs/op`);
console.log(`reference: v8.serialize of the frame fields ${v.toFixed(2)} µs, deserialize ${vd.toFixed(2)} µs (${v8bytes.length} bytes)`);
console.log(`reference: JSON.stringify of the frame fields ${j.toFixed(2)} µs, parse ${jd.toFixed(2)} µs (${json.length} bytes)`);
t.kill();

const DEEP = Number(process.env.DEEP ?? 0);
if (DEEP > 0) {
  const ch = new Channel<number>();
  const d = new Tasklet(deep).setup(DEEP, ch);
  run();
  let t0 = performance.now();
  const big = pickle({ d, ch });
  const tp = performance.now() - t0;
  t0 = performance.now();
  const copy = unpickle(big) as { d: Tasklet; ch: Channel<number> };
  const tu = performance.now() - t0;
  console.log(`${DEEP} frames: depth ${d.depth}, ${big.length} bytes, pickle ${tp.toFixed(0)} ms, unpickle ${tu.toFixed(0)} ms, restored depth ${copy.d.depth}`);
  t0 = performance.now();
  copy.ch.send(0); // the restored tasklet resumes at the bottom and unwinds all its frames
  run();
  const tr = performance.now() - t0;
  console.log(`${DEEP} frames: the restored tasklet resumed and finished (${copy.d.status}) in ${tr.toFixed(0)} ms`);
  ch.send(0);
  run();
}
