/**
 * Compiled tasklet programs on the core runtime: channels, kill, deep recursion through
 * frame pushes, and the frame data contract with the pickler (FRAME_DATA, reviveFrame,
 * CLOSURE_DATA, code hashes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as stackless from 'stackless';
import { CLOSURE_DATA, FRAME_DATA, compile, compiledFunctions, type CompiledFrame } from 'stackless/compiler';
import { useCleanScheduler } from '../support/harness.js';
import { compileProgram, runBoth } from './oracle.js';

async function load(source: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const code = compileProgram(source);
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

describe('compiled tasklets', () => {
  useCleanScheduler();

  it('channels, schedule and kill give the native trace', async () => {
    const { native, compiled } = await runBoth(`
      export function run(log, api) {
        const { Tasklet, Channel, run, schedule } = api;
        const ch = new Channel();
        function* producer(n) { for (let i = 0; i < n; i++) { yield* ch.send(i); log.push('sent ' + i); } }
        function* consumer(n) { let s = 0; for (let i = 0; i < n; i++) { s += yield* ch.receive(); log.push('got ' + s); yield* schedule(); } }
        new Tasklet(producer).setup(3); new Tasklet(consumer).setup(3);
        run();
        const ch2 = new Channel();
        function* victim() { try { yield* ch2.receive(); } finally { log.push('victim finally'); } }
        const t = new Tasklet(victim).setup(); run();
        log.push(t.blocked); t.kill(); log.push(t.alive);
        function* thrower() { try { yield* ch2.receive(); } catch (e) { log.push('caught ' + e.message); } }
        const u = new Tasklet(thrower).setup(); run(); u.throw(new Error('boom')); log.push(u.alive);
      }`);
    assert.deepEqual(compiled, native);
    assert.ok(native.some((x) => x === 'victim finally'));
  });

  it('kill and throw through nested compiled calls (pushed frames) run every finally in order', async () => {
    const { native, compiled } = await runBoth(`
      export function run(log, api) {
        const { Tasklet, Channel, run, call } = api;
        const ch = new Channel();
        function* level(n) {
          try {
            if (n === 0) return yield* ch.receive();
            return n + (n % 2 ? yield* level(n - 1) : yield* call(level, n - 1));
          } catch (e) {
            log.push('catch ' + n + ' ' + (e && e.message));
            if (n === 2) return 100;
            throw e;
          } finally {
            log.push('finally ' + n);
          }
        }
        const a = new Tasklet(level).setup(4); run();
        a.kill(); log.push(['killed', a.alive]);
        let got;
        const b = new Tasklet(function* () { got = yield* level(4); }).setup(); run();
        b.throw(new Error('E')); run(); log.push(['got', got, b.alive]);
        const c = new Tasklet(function* () { got = yield* level(3); }).setup(); run();
        ch.send(7); run(); log.push(['got', got]);
      }`);
    assert.deepEqual(compiled, native);
    assert.ok(native.some((x) => x === 'finally 4'));
  });

  it('recursion 100,000 deep through yield* and call() pushes frames (no JS stack growth)', async () => {
    const mod = await load(`
      export function run(api) {
        const { runMain, schedule, call } = api;
        function* depth(n) { if (n === 0) { yield* schedule(); return 0; } return 1 + (yield* depth(n - 1)); }
        function* depthCall(n) { if (n === 0) { yield* schedule(); return 0; } return 1 + (yield* call(depthCall, n - 1)); }
        return runMain(function* () { return [yield* depth(100000), yield* call(depthCall, 100000)]; });
      }`);
    assert.deepEqual(mod['run'](stackless), [100000, 100000]);
  });

  it('a blocked compiled tasklet is plain data (FRAME_DATA: id, hash, locals)', async () => {
    const mod = await load(`
      export function* worker(ch, label) {
        let total = 0;
        const seen = [];
        for (const step of [1, 2, 3]) {
          const v = yield* ch.receive();
          seen.push(v);
          total += v * step;
        }
        return label + ':' + total + ':' + seen.join(',');
      }`);
    const ch = new stackless.Channel<number>();
    let frame: CompiledFrame | null = null;
    let result: unknown;
    new stackless.Tasklet(function* () {
      frame = mod['worker'](ch, 'w') as CompiledFrame;
      result = yield* frame as unknown as Generator<never, unknown, unknown>;
    }).setup();
    stackless.run();
    ch.send(5);
    assert.ok(frame !== null);
    const f = frame as CompiledFrame;
    assert.equal(f.restorable, true);
    const data = f[FRAME_DATA]();
    assert.match(data.fnId, /^oracle\/program\d+\.ts#worker$/);
    assert.match(data.codeHash, /^[0-9a-f]{12}$/);
    assert.equal(data.state['$total'], 5);
    assert.deepEqual(data.state['$seen'], [5]);
    assert.equal(data.state['$label'], 'w');
    ch.send(7);
    ch.send(1);
    assert.equal(result, 'w:22:5,7,1');
  });

  it('reviveFrame(copy of state) resumes a suspended frame where it was (mid-loop over a Set, inside a yielding finally)', async () => {
    const mod = await load(`
      export function* g(n) {
        const out = [];
        for (const i of new Set([1, 2, 3])) {
          try {
            if (i === 2) throw new Error('e' + i);
            out.push(yield i);
          } catch (e) {
            out.push(e.message);
          } finally {
            out.push('f' + (yield 'fin' + i));
          }
        }
        return out.join(' ') + ' n=' + n;
      }`);
    for (let stop = 1; stop <= 6; stop++) {
      const orig = mod['g'](9) as CompiledFrame & Iterator<unknown>;
      for (let k = 0; k < stop; k++) orig.next(k);
      const data = orig[FRAME_DATA]();
      const copy = compiledFunctions.get(data.fnId)!.reviveFrame!(deepCopy(data.state) as Record<string, unknown>) as unknown as Iterator<unknown>;
      assert.deepEqual(drive(copy, 100), drive(orig, 100), `suspended after ${stop} steps`);
    }
  });

  it('frames suspended inside super calls, destructuring defaults, optional chains and TDZ-checked code stay plain data and revive', async () => {
    const mod = await load(`
      class Base { m(x) { return 'base ' + x + ' ' + this.tag; } }
      export { Base };
      export class Derived extends Base {
        *run(src) {
          const late = () => tdzLater;
          const r = super.m(yield 'arg');
          const { a = yield 'a default', b: [c = yield 'c default', ...rest] = [] } = src;
          const chained = src?.f?.(yield 'chain');
          const tdzLater = 't';
          const tagged = String.raw\`x\${yield 'tpl'}y\`;
          return [r, a, c, rest, chained, late(), tagged, super.m('end')];
        }
      }`);
    const Derived = mod['Derived'] as new () => { tag: string; run(src: unknown): CompiledFrame & Iterator<unknown> };
    const Base = mod['Base'] as unknown;
    const src = { b: [undefined, 1, 2], f: (x: number) => 'f' + x };
    for (let stop = 1; stop <= 5; stop++) {
      const d = new Derived();
      d.tag = 'T';
      const orig = d.run(src);
      for (let k = 0; k < stop; k++) orig.next(k);
      const data = orig[FRAME_DATA]();
      // the frame holds user values only: no home object, no runtime or bound function
      const runtime = new Set<unknown>(Object.values(await import('stackless/compiler')));
      for (const [k, v] of Object.entries(data.state)) {
        assert.ok(v !== Derived.prototype && v !== Base && v !== Function.prototype.call && !runtime.has(v), `field ${k} is plain data`);
        assert.ok(typeof v !== 'function' || !v.name.startsWith('bound '), `field ${k} is not a bound function`);
      }
      const copy = compiledFunctions.get(data.fnId)!.reviveFrame!(deepCopy(data.state) as Record<string, unknown>) as unknown as Iterator<unknown>;
      const expected = drive(orig, 100); // first: the copied closure `late` still reads the original frame
      assert.deepEqual(drive(copy, 100), expected, `suspended after ${stop} steps`);
    }
  });

  it('a generator placed in a plain function: one frame class for every evaluation, its own evaluation\'s variables, no code in FRAME_DATA, revives', async () => {
    const mod = await load(`
      export function make(n, log) {
        let seen = 0;
        return function* counter(k) { for (let i = 0; i < k; i++) { seen++; log.push(n + ':' + i + ':' + (yield i)); } return seen; };
      }`);
    const log: string[] = [];
    const frames = [1, 2, 3].map((n) => (mod['make'](n, log) as (k: number) => CompiledFrame & Iterator<unknown>)(3));
    const protos = new Set(frames.map((f) => Object.getPrototypeOf(f)));
    assert.equal(protos.size, 1, 'frames of different evaluations share one class (one hidden class)');
    for (const [i, f] of frames.entries()) f.next(), f.next('a' + i);
    assert.deepEqual(log, ['1:0:a0', '2:0:a1', '3:0:a2'], 'each frame runs over its own evaluation\'s variables');
    const data = frames[1]![FRAME_DATA]();
    assert.ok(!Object.hasOwn(data.state, '_u'), 'the bound machine is code, not frame data');
    for (const v of Object.values(data.state)) assert.ok(v === null || typeof v !== 'object' || !('machine' in v), 'no Unit in the state');
    const copy = compiledFunctions.get(data.fnId)!.reviveFrame!(deepCopy(data.state) as Record<string, unknown>) as unknown as Iterator<unknown>;
    // a revived frame runs the most recent evaluation's machine (n = 3), from frame 2's resume point
    assert.deepEqual(drive(copy, 100), [2, 3], 'yields i = 2, then returns evaluation 3\'s counter (2 + 1)');
    // the push in flight at the yield goes to the receiver the frame holds (deep-copied here);
    // the next iteration reads `log` and `n` from evaluation 3's scope
    assert.deepEqual(log.slice(3), ['3:2:101']);
    assert.throws(() => compiledFunctions.get(data.fnId)!.reviveFrame!({ ...deepCopy(data.state) as object, _u: {} }), /has a field _u: frames carry no code/);
  });

  it('closures over frame locals carry CLOSURE_DATA with the frame as env', async () => {
    const mod = await load(`
      export function* g() {
        let count = 1;
        const get = () => count;
        yield get;
        count = 42;
        yield get;
      }`);
    const it = mod['g']() as Generator<() => number>;
    const get = it.next().value;
    const cd = (get as unknown as Record<symbol, { fnId: string; env: object }>)[CLOSURE_DATA];
    assert.match(cd.fnId, /#g\.<closure\d+>$/);
    it.next();
    assert.equal(get(), 42);
    const revived = compiledFunctions.get(cd.fnId)!.reviveClosure!({ $count: 'from env' }) as () => unknown;
    assert.equal(revived(), 'from env');
  });

  it('the code hash changes when the function changes, ids are path#qualified.name', () => {
    const a = compile('function* g() { yield 1; }', { filename: '/p/src/a.ts', projectRoot: '/p', sourceMaps: false });
    const b = compile('function* g() { yield 2; }', { filename: '/p/src/a.ts', projectRoot: '/p', sourceMaps: false });
    const c = compile('class S { *serve() { yield 1; } }', { filename: '/p/src/app.ts', projectRoot: '/p', sourceMaps: false });
    const hashOf = (code: string) => /\$rt\.unit\("[^"]+", "([0-9a-f]+)"/.exec(code)![1];
    assert.notEqual(hashOf(a.code), hashOf(b.code));
    assert.deepEqual(a.functions, ['src/a.ts#g']);
    assert.deepEqual(c.functions, ['src/app.ts#S.serve']);
  });
});

/** A deep copy that keeps prototypes (a stand-in for pickling: no shared references survive). */
/** next(from), next(from + 1), ... up to 20 steps: the values seen. */
function drive(it: Iterator<unknown>, from: number): unknown[] {
  const trace: unknown[] = [];
  for (let k = from; k < from + 20; k++) {
    const r = it.next(k);
    trace.push(r.value);
    if (r.done) break;
  }
  return trace;
}

function deepCopy(x: unknown, seen = new Map<object, unknown>()): unknown {
  if (x === null || typeof x !== 'object') return x;
  if (seen.has(x)) return seen.get(x);
  if (x instanceof Error) return x;
  if (x instanceof Set) return new Set([...x].map((v) => deepCopy(v, seen)));
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [deepCopy(k, seen), deepCopy(v, seen)]));
  const out: Record<string, unknown> = Array.isArray(x) ? ([] as unknown as Record<string, unknown>) : Object.create(Object.getPrototypeOf(x));
  seen.set(x, out);
  for (const [k, v] of Object.entries(x)) out[k] = deepCopy(v, seen);
  return out;
}
