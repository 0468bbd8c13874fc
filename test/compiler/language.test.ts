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
