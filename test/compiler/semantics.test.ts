/**
 * Generator semantics, native vs compiled: each program runs both ways and the traces must
 * be identical (test/compiler/oracle.ts).
 */
import { oracleSuite } from './oracle.js';

/** Drive generator `g` with next(1), next(2), ... and log every result. */
const DRIVE = `
function drive(log, g, max = 50) {
  for (let i = 0; i < max; i++) {
    let r;
    try { r = g.next(i); } catch (e) { log.push(['threw', e instanceof Error ? e.message : e]); return; }
    log.push([r.done, r.value]);
    if (r.done) return;
  }
}`;

const programs: Record<string, string> = {
  'while, do-while, for, labels with break/continue': `
    function* g() {
      let i = 0;
      while (i < 3) { if (i === 1) { i++; continue; } yield 'w' + i; i++; }
      do { yield 'd' + i; i--; } while (i > 1);
      outer: for (let a = 0; a < 3; a++) {
        inner: for (let b = 0; b < 3; b++) {
          if (b === 1) continue outer;
          if (a === 2) break outer;
          yield a * 10 + b;
        }
      }
      block: { yield 'in block'; if (i > 0) break block; yield 'never'; }
      return 'end';
    }
    export function run(log) { drive(log, g()); }`,
  'switch with fall-through, default in the middle, yield in tests': `
    function* g(k) {
      switch (k) {
        case 0: yield 'zero';
        case 1: yield 'one'; break;
        default: yield 'default';
        case 3: yield 'three'; break;
        case (yield 'test'): yield 'matched';
      }
      return k;
    }
    export function run(log) { for (const k of [0, 1, 2, 3, 4]) drive(log, g(k)); }`,
  'try/catch/finally ordering, rethrow, nested finally': `
    function* g(mode) {
      try {
        try {
          yield 'a';
          if (mode === 1) throw new Error('inner');
          if (mode === 2) return 'ret';
          yield 'b';
        } catch (e) {
          yield 'caught ' + e.message;
          if (mode === 1) throw new Error('again');
        } finally {
          yield 'finally1';
        }
      } catch (e) {
        yield 'outer caught ' + e.message;
      } finally {
        yield 'finally2';
      }
      return 'normal';
    }
    export function run(log) { for (const m of [0, 1, 2]) drive(log, g(m)); }`,
  'yield inside finally while a throw or return is pending': `
    function* g() {
      try { yield 1; yield 2; } finally { const x = yield 'cleanup'; yield 'got ' + x; }
    }
    export function run(log) {
      let it = g(); log.push(it.next()); log.push(it.return('R')); log.push(it.next('X')); log.push(it.next()); log.push(it.next());
      it = g(); log.push(it.next());
      try { log.push(it.throw(new Error('T'))); log.push(it.next('Y')); log.push(it.next()); } catch (e) { log.push('threw ' + e.message); }
      it = g(); log.push(it.return('early')); log.push(it.next());
      it = g(); try { it.throw(new Error('before start')); } catch (e) { log.push(e.message); } log.push(it.next());
    }`,
  'finally overriding a pending return or throw': `
    function* a() { try { return 'try'; } finally { yield 'f'; return 'finally'; } }
    function* b() { try { throw new Error('lost'); } finally { return 'swallowed'; } }
    function* c() { for (const x of [1, 2, 3]) { try { if (x === 2) break; yield x; } finally { yield 'f' + x; } } return 'after'; }
    function* d() { let i = 0; while (true) { try { i++; if (i < 3) continue; return i; } finally { yield 'fin' + i; } } }
    export function run(log) { drive(log, a()); drive(log, b()); drive(log, c()); drive(log, d()); }`,
  'return and throw through yield* (compiled and native delegates)': `
    function* inner() { try { const v = yield 'i1'; yield 'i2 ' + v; return 'inner-ret'; } finally { log0.push('inner finally'); } }
    const log0 = [];
    function* outer() { const r = yield* inner(); yield r; const arr = yield* [10, 20]; yield arr; return yield* 'ab'; }
    function* catcher() { try { yield* inner(); } catch (e) { yield 'outer caught ' + e.message; } }
    function* noThrow() { const it = { [Symbol.iterator]() { return this; }, next() { return { done: false, value: 'x' }; }, return() { log0.push('closed'); return { done: true }; } }; yield* it; }
    export function run(log) {
      drive(log, outer());
      let it = outer(); log.push(it.next()); log.push(it.return('stop')); log.push(it.next());
      it = catcher(); log.push(it.next()); log.push(it.throw(new Error('E'))); log.push(it.next());
      it = noThrow(); log.push(it.next()); try { it.throw(new Error('no throw method')); } catch (e) { log.push(e.constructor.name); }
      log.push(log0);
    }`,
  'iterator closing on break, return and throw in for-of': `
    const log0 = [];
    function make(n) { let i = 0; return { [Symbol.iterator]() { return this; }, next() { return i < n ? { value: i++, done: false } : { value: undefined, done: true }; }, return() { log0.push('return at ' + i); return { done: true }; } }; }
    function* g(mode) {
      for (const x of make(5)) { if (x === 2 && mode === 'break') break; if (x === 2 && mode === 'return') return 'r'; if (x === 2 && mode === 'throw') throw new Error('t'); yield x; }
      for (const x of make(2)) yield 'all ' + x;
      return 'end';
    }
    function* gen() { try { yield 1; yield 2; yield 3; } finally { log0.push('gen closed'); } }
    function* overGen() { for (const v of gen()) { if (v === 2) break; yield v; } }
    export function run(log) {
      for (const m of ['break', 'return', 'throw', 'none']) drive(log, g(m));
      drive(log, overGen());
      const it = g('none'); log.push(it.next()); log.push(it.return('early'));
      log.push(log0);
    }`,
  'for-of over arrays, strings, Map, Set (mutated while iterating), compiled generators; for-in': `
    function* nums() { yield 1; yield 2; }
    function* g() {
      const arr = [1, 2]; for (const x of arr) { if (x === 1) arr.push(3); yield x; }
      for (const ch of 'a😀b') yield ch;
      for (const [k, v] of new Map([['k1', 1], ['k2', 2]])) yield k + v;
      for (const s of new Set(['s1', 's2'])) yield s;
      for (const n of nums()) yield n * 10;
      const o = { p: 1, q: 2, r: 3 }; for (const k in o) { if (k === 'p') delete o.q; yield k; }
      class P { constructor() { this.own = 1; } } P.prototype.inherited = 2;
      for (const k in new P()) yield k;
      let last; for (last of [7, 8]) yield 'assign ' + last; yield last;
      const m = new Map([[1, 'a'], [2, 'b'], [3, 'c']]);
      for (const [k, v] of m) { if (k === 1) { m.delete(2); m.set(4, 'd'); } yield k + v; }
      const st = new Set([1, 2]); for (const x of st) { if (x < 4) st.add(x + 2); yield x; }
    }
    export function run(log) { drive(log, g()); }`,
  'destructuring, default and rest params': `
    function* g(a, { b, c = 3 } = {}, [d, ...e] = [4, 5, 6], ...rest) {
      yield [a, b, c, d, e, rest];
      const { x, y: { z = 'zz' } = {}, ...others } = { x: 1, y: {}, p: 2, q: 3 };
      yield [x, z, others];
      let [m, , n = 'default n'] = [1, 2];
      yield n;
      yield [m, n];
      [m, n] = [n, m];
      yield [m, n];
    }
    export function run(log) { drive(log, g(1)); drive(log, g(1, { b: 2, c: 0 }, [9], 'r1', 'r2')); }`,
  'generator methods in classes and object literals, this': `
    class Counter {
      constructor(start) { this.n = start; }
      *count(k) { for (let i = 0; i < k; i++) yield this.n++; return this; }
      static *make() { yield typeof this; }
    }
    const obj = { base: 100, *gen(x) { yield this.base + x; const arrow = () => this.base * 2; yield arrow(); }, ['comp' + 'uted']: function* () { yield 'computed'; } };
    export function run(log) {
      const c = new Counter(5);
      const it = c.count(3); log.push(it.next().value, it.next().value, it.next().value, it.next().value === c);
      drive(log, obj.gen(1)); drive(log, obj.computed());
      drive(log, Counter.make());
      drive(log, obj.gen.call({ base: 1 }, 2));
    }`,
  'nested generator functions and closures over locals': `
    function* outer(x) {
      let count = 0;
      function* inner(y) { count++; yield x + y; x *= 2; yield x; }
      const bump = () => ++count;
      yield* inner(1);
      yield [x, count, bump(), count];
      const make = function* (z) { yield* inner(z); yield count; };
      for (const v of make(5)) yield 'via make ' + v;
      const readers = [];
      for (let i = 0; i < 3; i++) { readers.push(() => i + count); yield i; }
      for (const k of ['a', 'b']) { const tag = k.toUpperCase(); readers.push(() => tag + k); }
      let j = 0; while (j < 2) { let w = j * 10; readers.push(() => w); j++; yield 'w' + w; }
      yield readers.map(r => r());
    }
    export function run(log) { drive(log, outer(1)); }`,
  'yield in expressions: evaluation order, spread, calls, conditionals, templates': `
    function* g() {
      const log2 = [];
      const t = (v) => { log2.push(v); return v; };
      const a = t('left') + (yield 'right');
      const arr = [t(1), ...(yield 'spread'), t(3)];
      const obj = { k1: t('v1'), [yield 'key']: yield 'value', ...{ s: 1 } };
      const o = { m(a, b) { return this.name + a + b; }, name: 'o' };
      const called = o.m(t('x'), yield 'arg');
      const cond = (yield 'test') ? yield 'then' : yield 'else';
      const logic = (yield 'l1') || (yield 'l2');
      const nullish = (yield 'n1') ?? 'fallback';
      const tpl = \`\${t('tpl')}-\${yield 'tpl yield'}\`;
      const n = new Array(yield 'len');
      const seq = (t('s1'), yield 'seq');
      const un = typeof (yield 'typeof');
      let c1 = 1, c2 = 0, c3 = null; const bumpC1 = () => { c1 = 100; };
      c1 += (bumpC1(), yield 'compound');
      c2 ||= yield 'or-assign'; c1 ||= yield 'never yielded'; c3 ??= yield 'nullish-assign';
      log2.push(c1, c2, c3);
      yield [a, arr, obj, called, cond, logic, nullish, tpl, n.length, seq, un, log2];
    }
    export function run(log) {
      const it = g(); const answers = [null, 'R', [2], 'K', 'V', 'A', 0, 'T', 'E', 0, null, 'Y', 2, 'S', 1, 5, 'or', 'nn'];
      let r = it.next(); let i = 0;
      while (!r.done) { log.push(r.value); r = it.next(answers[++i]); }
      log.push(r.value);
    }`,
  'exceptions escaping, generator state after errors, re-entrancy': `
    function* g() { yield 1; throw new RangeError('bad'); }
    function* self() { const me = yield; try { me.next(); } catch (e) { yield e.constructor.name + ': ' + e.message; } }
    export function run(log) {
      const it = g(); log.push(it.next()); try { it.next(); } catch (e) { log.push(e.constructor.name); } log.push(it.next()); log.push(it.return(5));
      try { it.throw(new Error('after done')); } catch (e) { log.push(e.message); }
      const s = self(); s.next(); log.push(s.next(s));
      log.push(Object.prototype.toString.call(g()), typeof g().next, g()[Symbol.iterator]() !== undefined);
    }`,
  'var hoisting, let per loop, shadowing, function declarations in blocks': `
    function* g() {
      yield typeof hoisted; var hoisted = 1; yield hoisted;
      let x = 'outer';
      { let x = 'inner'; yield x; }
      yield x;
      yield helper(2);
      function helper(n) { return n * x.length; }
      for (let i = 0; i < 2; i++) { let x = i; yield x; }
      { function blockFn() { return 'block'; } yield blockFn(); }
      class Local { get v() { return x + '!'; } }
      yield new Local().v;
    }
    export function run(log) { drive(log, g()); }`,
};

oracleSuite('compiled generators behave like native ones (trace oracle)', DRIVE, programs);
