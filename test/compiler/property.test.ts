/**
 * Property: for generated programs (a small grammar of loops, conditionals, try/catch/finally,
 * yield, yield*, break/continue/return/throw, yields inside destructuring defaults, optional
 * chains and tagged templates) driven by a generated sequence of
 * next/throw/return calls, the compiled generator gives the native generator's trace.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runBoth } from './oracle.js';

interface Ctx {
  loops: number;
}

function stmts(depth: number, ctx: Ctx): fc.Arbitrary<string> {
  return fc.array(stmt(depth, ctx), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('\n'));
}

function stmt(depth: number, ctx: Ctx): fc.Arbitrary<string> {
  const n = fc.integer({ min: 0, max: 9 });
  const leaf: fc.Arbitrary<string>[] = [
    n.map((k) => `log.push(${k});`),
    n.map((k) => `log.push(['y', yield ${k}]);`),
    n.map((k) => `acc += (yield ${k}) ?? 0;`),
    n.map((k) => `log.push(['sub', yield* sub(${k})]);`),
    n.map((k) => `if (log.length % 4 === ${k % 4}) return 'ret${k}';`),
    n.map((k) => `if (log.length % 5 === ${k % 5}) throw 'err${k}';`),
    // yield inside destructuring defaults, optional chains and tagged templates
    n.map((k) => `{ const { p = yield 'dflt${k}', q: [r = yield 'arr${k}'] = [] } = pick(log.length); log.push(['d', p, r]); }`),
    n.map((k) => `{ const [s1 = yield 'ds${k}', s2] = sub(${k}); log.push(['ds', s1, s2]); }`),
    n.map((k) => `log.push(['oc', maybe(log.length)?.f(yield 'oc${k}')]);`),
    n.map((k) => `log.push(tag\`t${k}\${yield 'tag${k}'}\`);`),
  ];
  if (ctx.loops > 0) {
    leaf.push(n.map((k) => `if (log.length % 3 === ${k % 3}) break;`));
    leaf.push(n.map((k) => `if (log.length % 3 === ${k % 3}) continue;`));
  }
  if (depth <= 0) return fc.oneof(...leaf);
  const inner = stmts(depth - 1, ctx);
  const inLoop = stmts(depth - 1, { loops: ctx.loops + 1 });
  const id = `i${depth}`;
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...leaf) },
    { weight: 1, arbitrary: fc.tuple(n, inner, inner).map(([k, a, b]) => `if (((yield 'if${k}') ?? 0) % 2) {\n${a}\n} else {\n${b}\n}`) },
    { weight: 1, arbitrary: inLoop.map((b) => `for (let ${id} = 0; ${id} < 2; ${id}++) {\nlog.push('loop${depth}:' + ${id});\n${b}\n}`) },
    { weight: 1, arbitrary: inLoop.map((b) => `for (const v${depth} of [1, 2]) {\nlog.push('of' + v${depth});\n${b}\n}`) },
    { weight: 1, arbitrary: inLoop.map((b) => `{ let w${depth} = 0;\nwhile (w${depth}++ < 2) {\n${b}\n} }`) },
    { weight: 2, arbitrary: fc.tuple(inner, inner, inner).map(([a, b, c]) => `try {\n${a}\n} catch (e) {\nlog.push(['caught', String(e)]);\n${b}\n} finally {\nlog.push('fin');\n${c}\n}`) },
    { weight: 1, arbitrary: fc.tuple(inner, inner).map(([a, c]) => `try {\n${a}\n} finally {\nlog.push('fin2');\n${c}\n}`) },
  );
}

const action = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }).map((k) => `it.next(${k})`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }).map((k) => `it.throw('thrown${k}')`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9 }).map((k) => `it.return('returned${k}')`) },
);

function program(body: string, actions: string[]): string {
  return `
    function* sub(k) { try { const a = yield 'sub' + k; return [k, a]; } finally { log0.push('sub fin'); } }
    let log0 = [];
    const pick = (n) => (n % 2 ? { p: 'P' + n } : { q: [n % 3 ? undefined : 'R'] });
    const maybe = (n) => (n % 2 ? null : { f: (x) => 'f' + x });
    const tag = (strs, ...vals) => strs.raw.join('|') + vals.join(',');
    let log = [];
    function* g() {
      let acc = 0;
      ${body}
      return ['end', acc];
    }
    export function run(out) {
      log = out; log0 = out;
      const it = g();
      const steps = [${actions.map((a) => `() => ${a}`).join(', ')}];
      for (let i = 0; i < 60; i++) {
        const step = i < steps.length ? steps[i] : () => it.next(i);
        let r;
        try { r = step(); } catch (e) { out.push(['threw', String(e)]); it.checkInvariants?.(); continue; }
        it.checkInvariants?.(); // compiled frames only (throws InternalError if broken)
        out.push([r.done, r.value]);
        if (r.done && i >= steps.length) break;
      }
    }`;
}

describe('compiled == native on generated programs (fast-check)', () => {
  it('traces match', async () => {
    await fc.assert(
      fc.asyncProperty(stmts(3, { loops: 0 }), fc.array(action, { maxLength: 12 }), async (body, actions) => {
        const src = program(body, actions);
        const { native, compiled } = await runBoth(src);
        assert.deepEqual(compiled, native, src);
      }),
      { numRuns: 40 },
    );
  });
});

/** A destructuring pattern tree; names are given when printed. */
type Pat =
  | { k: 'id'; dflt: string | null }
  | { k: 'obj'; props: [string, Pat][]; rest: boolean; dflt: string | null }
  | { k: 'arr'; elems: (Pat | null)[]; rest: boolean; dflt: string | null };

const dflt = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 9 }).map((k) => `yield 'd${k}'`),
  fc.integer({ min: 0, max: 9 }).map((k) => `'lit${k}'`),
  fc.integer({ min: 0, max: 9 }).map((k) => `(yield 'n${k}') ?? 'nn${k}'`),
);
const { pat } = fc.letrec<{ pat: Pat }>((tie) => ({
  pat: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('id' as const), dflt }),
    fc.record({
      k: fc.constant('obj' as const),
      props: fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', '[(yield \'key\') ?? \'a\']'), tie('pat')), { maxLength: 3, selector: ([key]) => key }),
      rest: fc.boolean(),
      dflt,
    }),
    fc.record({ k: fc.constant('arr' as const), elems: fc.array(fc.option(tie('pat'), { nil: null }), { maxLength: 3 }), rest: fc.boolean(), dflt }),
  ),
}));

function printPattern(p: Pat, names: string[]): string {
  const withDefault = (s: string): string => (p.dflt === null ? s : `${s} = ${p.dflt}`);
  const fresh = (): string => {
    names.push(`v${names.length}`);
    return names[names.length - 1]!;
  };
  if (p.k === 'id') return withDefault(fresh());
  if (p.k === 'obj') {
    const parts = p.props.map(([key, sub]) => `${key}: ${printPattern(sub, names)}`);
    if (p.rest) parts.push(`...${fresh()}`);
    return withDefault(`{ ${parts.join(', ')} }`);
  }
  const parts = p.elems.map((e) => (e === null ? '' : printPattern(e, names)));
  if (p.rest) parts.push(`...${fresh()}`);
  return withDefault(`[${parts.join(', ')}${parts.at(-1) === '' ? ',' : ''}]`);
}

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(undefined, null, 0, 'str', 'ab'),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x'), tie('value'), { maxKeys: 3 }),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
}));

describe('destructuring with yields in defaults and computed keys == native (fast-check)', () => {
  it('values, yields, errors and iterator closing match', async () => {
    await fc.assert(
      fc.asyncProperty(pat, value, fc.array(fc.constantFrom('undefined', '0', "'sent'", 'null'), { maxLength: 8 }), async (p, v, sends) => {
        if (p.k === 'id') return;
        const names: string[] = [];
        const text = printPattern({ ...p, dflt: null }, names);
        const src = `
          export function run(log) {
            function* g(src) {
              let ${['unused', ...names].join(', ')};
              try { (${text} = src); } finally { log.push('fin'); }
              return [${names.join(', ')}];
            }
            const it = g(${JSON.stringify(v) ?? 'undefined'});
            const sends = [${sends.join(', ')}];
            for (let i = 0; i < 30; i++) {
              let r;
              try { r = it.next(sends[i]); } catch (e) { log.push(['threw', e.constructor.name]); break; }
              log.push([r.done, r.value]);
              if (r.done) break;
            }
          }`;
        const { native, compiled } = await runBoth(src);
        assert.deepEqual(compiled, native, src);
      }),
      { numRuns: 60 },
    );
  });
});

