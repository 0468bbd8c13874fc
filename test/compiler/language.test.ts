/**
 * The constructs the compiler used to refuse, native vs compiled (trace oracle): `super` in
 * generator methods, yield in destructuring defaults, tagged templates and optional chains,
 * generators nested in plain functions, named generator expressions calling themselves, TDZ.
 */
import { oracleSuite } from './oracle.js';

/** Drive generator `g` with next(0), next(1), ... and log every result. */
const DRIVE = `
function drive(log, g, max = 50) {
  for (let i = 0; i < max; i++) {
    let r;
    try { r = g.next(i); } catch (e) { log.push(['threw', e instanceof Error ? e.constructor.name + ': ' + e.message : e]); return; }
    log.push([r.done, r.value]);
    if (r.done) return;
  }
}`;

const programs: Record<string, string> = {
  'super in class methods (instance and static): calls, reads, writes, computed keys, across yields': `
    class Base {
      m(x) { return 'Base.m(' + x + ') on ' + this.tag; }
      get g() { return 'getter on ' + this.tag; }
      set s(v) { this.stored = 'set ' + v; }
      static sm(x) { return 'Base.sm ' + x + ' ' + this.name; }
    }
    class Derived extends Base {
      *m(x) {
        const r = super.m(yield 'arg');
        yield r;
        yield super.g;
        super.s = yield 'value';
        yield this.stored;
        super.own = 'own';
        yield [this.own, Object.hasOwn(this, 'own')];
        const k = 'm';
        yield super[k]('computed');
        yield super[(yield 'key', 'm')]('yielded key');
        const f = () => super.m('arrow');
        yield f();
        try { yield super.missing(); } catch (e) { yield e.constructor.name; }
        yield super.m?.('optional');
        yield super.nothing?.('skipped');
        yield super.m?.(yield 'optional arg');
        yield super.nothing?.(yield 'never asked');
        return super.m('last');
      }
      static *sm(x) { yield super.sm(x); yield super.name; }
      m2() { return 'Derived.m2'; }
    }
    export function run(log) {
      const d = new Derived(); d.tag = 'd';
      drive(log, d.m(1));
      drive(log, Derived.sm(2));
      const it = d.m(3); log.push(it.next().value); log.push(it.next('sent').value); log.push(it.return('stop'));
      drive(log, Derived.prototype.m.call({ tag: 'other' }, 4), 3);
    }`,
  'super in object-literal methods, compound and update assignments, super through finally': `
    const proto = { hi(n) { return 'hi ' + n + ' ' + this.who; }, count: 1, big: 10n };
    const o = {
      __proto__: proto, who: 'o',
      *g() {
        try { yield super.hi(yield 'n'); } finally { yield 'finally ' + super.hi('f'); }
        super.count += yield 'inc';
        yield [this.count, proto.count];
        super.count++; ++super.count; super.big++;
        yield [this.count, this.big];
        const key = 'count';
        super[key] *= 2;
        super.missing ??= 'filled';
        super.count ||= 'kept';
        yield [this.count, this.missing];
      },
    };
    export function run(log) {
      drive(log, o.g());
      const it = o.g(); log.push(it.next().value, it.next('x').value, it.return('R'), it.next());
      log.push(proto.count);
    }`,
  'yield in destructuring defaults: declarations, nested patterns, rest, assignment patterns, evaluation order': `
    const log0 = [];
    const get = (o, k) => { log0.push('get ' + k); return o[k]; };
    function* g() {
      const src = { get a() { log0.push('read a'); return undefined; }, get b() { log0.push('read b'); return 'B'; }, c: { d: undefined }, e: 5, f: 6 };
      const { a = yield 'default a', plain = 'no yield', b = yield 'never', c: { d = yield 'nested d' }, ...rest } = src;
      yield [a, plain, b, d, rest];
      let [x = yield 'x', [y = yield 'y'] = [], , ...others] = [undefined, undefined, 'hole', 1, 2];
      yield [x, y, others];
      const key = 'e';
      ({ [(log0.push('key'), key)]: x = yield 'not yielded', f: y = yield 'nope' } = src);
      yield [x, y];
      const o = {};
      [o.p = yield 'member default', o['q'] = yield 'q'] = [];
      yield o;
      const str = [...'ab'];
      const [s1 = yield 's1', s2, s3 = yield 's3'] = 'ab';
      yield [s1, s2, s3, str];
      const { z = (yield 'z1') + (yield 'z2') } = {};
      yield z;
      yield log0;
    }
    export function run(log) { drive(log, g()); }`,
  'yield in destructuring: iterator closing on normal completion, return and throw; for-of heads; catch parameters': `
    const log0 = [];
    function* source(n) { try { for (let i = 0; i < n; i++) yield 'item' + i; } finally { log0.push('source closed'); } }
    function* g(mode) {
      const [a = yield 'a'] = source(3);
      log0.push(['after a', a]);
      const [u, v = yield 'v default', w = yield 'w default'] = source(1);
      log0.push(['exhausted', u, v, w]);
      for (const [k, val = yield 'val ' + k] of [['x'], ['y', 1]]) log0.push(['for', k, val]);
      for (const { p = yield 'p' } of [{}, { p: 2 }]) log0.push(['p', p]);
      let m, n;
      for ([m = yield 'm', n] of [[undefined, 'n0']]) log0.push([m, n]);
      try { throw { code: undefined }; } catch ({ code = yield 'code default' }) { log0.push(['caught', code]); }
      const [first, second = yield 'second'] = source(5);
      if (mode === 'throw') throw new Error('t');
      return [first, second];
    }
    export function run(log) {
      drive(log, g('plain'));
      drive(log, g('throw'));
      let it = g(); log.push(it.next()); log.push(it.return('R')); log.push(log0.splice(0));
      it = g(); it.next(); log.push(it.next()); log.push(it.next()); try { it.throw(new Error('into w default')); } catch (e) { log.push(e.message); }
      log.push(log0);
    }`,
  'yield in tagged templates: tag this, evaluation order, the same strings object per site': `
    const log0 = [];
    const seen = [];
    const obj = { name: 'obj', tag(strs, ...vals) { seen.push(strs); return [this.name, strs.raw.join('|'), vals]; } };
    function tagFree(strs, ...vals) { return [typeof this, [...strs], vals]; }
    function* g() {
      for (let i = 0; i < 2; i++) {
        yield obj.tag\`a\\n\${(log0.push('first'), 1)}b\${yield 'sub ' + i}c\`;
        yield tagFree\`x\${yield 'free'}\`;
      }
      yield [seen.length, seen[0] === seen[1], Object.isFrozen(seen[0]), log0];
    }
    export function run(log) { drive(log, g()); }`,
  'yield in optional chains: short-circuit skips the yield, this of optional calls, nested chains': `
    const log0 = [];
    function* g(a) {
      const r1 = a?.f(yield 'arg f');
      const r2 = a?.[yield 'key'];
      const r3 = a?.b?.c(yield 'arg c')?.d;
      const r4 = a?.missing?.(yield 'never');
      const r5 = a?.f?.(yield 'optional call');
      const r6 = (log0.push('head'), a)?.h.i(yield 'deep');
      return [r1, r2, r3, r4, r5, r6, log0.splice(0)];
    }
    const a = {
      name: 'a', f(x) { return this.name + ':' + x; }, 2: 'two',
      b: { c(x) { return { d: 'd' + x + (this === a.b) }; } },
      h: { i(x) { return 'i' + x + (this === a.h); } },
    };
    export function run(log) {
      drive(log, g(a)); drive(log, g(null)); drive(log, g(undefined));
      const it = g({}); log.push(it.next()); try { it.next(); } catch (e) { log.push(e.constructor.name); }
    }`,
  'locals called as functions get this = undefined (not the frame)': `
    function* g() {
      const f = function () { return typeof this; };
      const tag = function (s) { return typeof this; };
      yield [f(), tag\`x\`, f?.(), (yield 'a', f)()];
      const arrow = () => f();
      yield arrow();
    }
    export function run(log) { drive(log, g()); }`,
  'generators nested in plain functions inside a generator, using that function\'s parameters, lets and per-iteration lets': `
    const log0 = [];
    function* outer(x) {
      const make = (k) => function* (n) { let i = 0; try { while (i < n) yield [k, x, i++]; } finally { log0.push('fin ' + k); } return k * 10; };
      yield* make(1)(2);
      function plain(p) {
        let local = p + '!';
        const gens = [];
        for (let i = 0; i < 3; i++) { let j = i * 2; gens.push(function* () { yield [local, i, j]; local += i; yield* inner(i); }); }
        function* inner(m) { yield 'inner ' + m + ' ' + local; }
        return gens;
      }
      for (const gen of plain('p')) yield* gen();
      const o = { m(j) { return function* named() { yield j + x; const again = yield 'again?'; if (again) yield* named(); }; } };
      yield* o.m(5)();
      const it = make(2)(5); it.next(); log0.push(it.return('early'));
      x = 'changed';
      yield* make(3)(1);
      return log0;
    }
    export function run(log) {
      drive(log, outer('x'));
      const it = outer('y'); log.push(it.next()); try { it.throw(new Error('into nested')); } catch (e) { log.push(e.message); }
    }`,
  'TDZ: let, const and class bindings used before their declaration throw ReferenceError, as native': `
    function* g(k) {
      function early() { return x; }
      function setEarly() { x = 'set'; }
      try { yield early(); } catch (e) { yield e.constructor.name + ': ' + e.message; }
      try { setEarly(); } catch (e) { yield e.message; }
      try { yield typeof x; } catch (e) { yield 'typeof: ' + e.message; }
      let x = 1;
      yield early();
      setEarly();
      yield x;
      for (let i = 0; i < 3; i++) {
        if (i === 1) try { yield y; } catch (e) { yield 'again in iteration ' + i + ': ' + e.message; }
        let y = 'y' + i;
        const later = [() => z];
        if (i === 2) try { yield later[0](); } catch (e) { yield 'closure: ' + e.message; }
        const z = 'z' + i;
        yield [y, later[0]()];
      }
      const { a, b = a, c = (() => { try { return d; } catch (e) { return e.message; } })(), d } = { a: 'A', d: 'D' };
      yield [a, b, c, d];
      try { const self = self + 1; } catch (e) { yield e.message; }
      try { new Later(); } catch (e) { yield e.message; }
      class Later { static make() { return new Later(); } }
      yield Later.make() instanceof Later;
      switch (k) {
        case 0: let s = 's';
        case 1: try { yield s; } catch (e) { yield 'switch: ' + e.message; }
      }
      const arrow = () => q;
      const q = yield 'q';
      yield arrow();
    }
    export function run(log) { drive(log, g(0)); drive(log, g(1)); }`,
  'super in generator methods of a class and an object literal created inside a generator (wrapper env)': `
    class B { m() { return 'B' + this.v; } }
    function* outer(v) {
      let captured = 'cap';
      class D extends B { *g() { yield super.m() + captured; yield v; } static *s() { yield super.name; } }
      const d = new D(); d.v = v;
      yield* d.g();
      yield* D.s();
      const o = { __proto__: { hi() { return 'hi' + captured; } }, *h() { yield super.hi(); } };
      yield* o.h();
    }
    export function run(log) { drive(log, outer(1)); drive(log, outer(2)); }`,
  'super in an object literal made by a plain function, called twice (home per call)': `
    function make(n) { return { __proto__: { who() { return 'proto' + n; } }, *g() { yield super.who(); } }; }
    export function run(log) { const a = make(1), b = make(2); drive(log, b.g()); drive(log, a.g()); }`,
  'TDZ in nested generators and boxed loop lets': `
    function* outer() {
      const inner = function* () { yield later; };
      try { yield* inner(); } catch (e) { yield e.message; }
      let later = 'L';
      yield* inner();
      for (let i = 0; i < 2; i++) { const fs = [() => i + w]; try { fs[0](); } catch (e) { yield e.message; } let w = 'w'; yield fs[0](); }
    }
    export function run(log) { drive(log, outer()); }`,
  'a generator nested in a plain function inside a super-using method': `
    class B { m(x) { return 'B' + x; } }
    class D extends B { *g(k) { const make = (p) => function* () { yield p + k; }; yield* make('p')(); yield super.m(k); } }
    export function run(log) { drive(log, new D().g(1)); }`,
  'yield in destructuring defaults: for-of over a Map with labeled break, string sources, assignment patterns': `
    function* g() {
      const m = new Map([[1, 'a'], [2, undefined]]);
      outer: for (const [k, v = yield 'dv' + k] of m) { for (const [x = yield 'x'] of [[]]) { if (k === 2) break outer; } yield k + v; }
      const { length = yield 'len' } = 'abc';
      yield length;
      let a, b;
      ({ a = yield 'a', b } = { b: 2 });
      [a, b = yield 'b'] = [b];
      yield [a, b];
    }
    export function run(log) { drive(log, g()); }`,
  'yield in optional chains: computed links, calls on computed links, a yield as the chain head': `
    function* g(o) {
      yield o?.a?.[yield 'k']?.(yield 'arg');
      yield o?.list?.map((x) => x * 2)?.[yield 'i'];
      yield (yield 'head')?.x;
    }
    export function run(log) { drive(log, g({ a: { 1: (x) => 'called' + x }, list: [1, 2, 3] })); drive(log, g({})); }`,
  'a named generator expression calls itself by name': `
    const countdown = function* me(n) { if (n > 0) { yield n; yield* me(n - 1); } return 'done ' + n; };
    function* outer() {
      const inner = function* rec(k) { yield k; if (k < 2) yield* rec(k + 1); const r = () => rec.name; yield r(); };
      yield* inner(0);
      yield countdown.name;
    }
    export function run(log) { drive(log, countdown(3)); drive(log, outer()); }`,
};

oracleSuite('lifted compiler limits behave like native generators (trace oracle)', DRIVE, programs);
