/**
 * What is compiled and what is refused: opt-outs ("use native", @stackless native),
 * compile-time errors with file:line and advice, and the preemption ticks option.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, budget, compile } from 'stackless/compiler';
import { compileProgram } from './oracle.js';

const opts = { filename: '/proj/src/mod.ts', projectRoot: '/proj', sourceMaps: false } as const;

function refusal(source: string): CompileError {
  try {
    compile(source, opts);
  } catch (e) {
    const ce = (e as { cause?: unknown }).cause ?? e;
    const err = ce instanceof CompileError ? ce : e;
    assert.ok(err instanceof CompileError, `expected a CompileError, got ${String(e)}`);
    return err;
  }
  assert.fail('expected the compiler to refuse the program');
}

describe('unsupported constructs fail at compile time with file:line and advice', () => {
  const cases: [string, string, RegExp][] = [
    ['arguments', 'function* g() {\n  yield arguments[0];\n}', /mod\.ts:2:\d+: `arguments` .*rest parameter/],
    ['direct eval', 'function* g() {\n  yield 1;\n  eval("1");\n}', /mod\.ts:3:\d+: direct eval .*indirect/],
    ['yield in a class body expression', 'function* g() {\n  const C = class extends (yield 1) {};\n}', /mod\.ts:2:\d+: yield inside a ClassExpression is not supported: assign the yield to a local first/],
    ['delete of an optional chain around a yield', 'function* g(a) {\n  yield delete a?.[yield 1];\n}', /mod\.ts:2:\d+: delete of an optional chain containing yield/],
    ['destructuring into a super property', 'class A extends Object {\n  *m() {\n    [super.x] = yield 1;\n  }\n}', /mod\.ts:3:\d+: destructuring .* `super` property .*assign to a local first/],
    ['delete super.x', 'class A extends Object {\n  *m() {\n    yield delete super.x;\n  }\n}', /mod\.ts:3:\d+: `delete super\.x` is not supported/],
    ['assigning to a generator expression\'s own name', 'const g = function* me() {\n  me = null;\n  yield 1;\n};', /mod\.ts:2:\d+: assignment to the generator expression's own name me/],
    ['reserved identifiers', 'function* g() { const $f = 1; yield $f; }', /mod\.ts:1:\d+: the identifier \$f is reserved/],
  ];
  for (const [name, src, re] of cases) {
    it(name, () => {
      const e = refusal(src);
      assert.match(e.message, re);
      assert.equal(e.file, '/proj/src/mod.ts');
      assert.ok(e.line >= 1);
    });
  }
});

describe('modules are strict', () => {
  it('`with` is a syntax error reported with file and position', () => {
    assert.throws(() => compile('function* g(o) {\n  with (o) { yield x; }\n}', opts), /mod\.ts: 'with' in strict mode\. \(2:2\)/);
  });
});

describe('which functions are compiled', () => {
  it('every function* is compiled; async generators and plain functions are left alone', () => {
    const r = compile('export function* a() { yield 1; }\nexport async function* b() { yield 2; }\nexport function c() { return 3; }', opts);
    assert.deepEqual(r.functions, ['src/mod.ts#a']);
    assert.match(r.code, /async function\* b\(\)/);
  });
  it('"use native" at the top of a module opts the whole module out', () => {
    const r = compile('"use native";\nexport function* a() { yield 1; }', opts);
    assert.deepEqual(r.functions, []);
    assert.match(r.code, /function\* a\(\)/);
  });
  it('a /* @stackless native */ comment opts one function out', () => {
    const r = compile('/* @stackless native */\nexport function* a() { yield 1; }\nexport function* b() { yield 2; }\nconst o = { /* @stackless native */ *m() { yield 3; } };', opts);
    assert.deepEqual(r.functions, ['src/mod.ts#b']);
    assert.match(r.code, /function\* a\(\)/);
    assert.match(r.code, /\*m\(\)/);
  });
  it('TypeScript types are stripped; the runtime import is configurable', () => {
    const r = compile('interface P { x: number }\nexport function* a(p: P): Generator<number> { const v: number = p.x; yield v as number; }', { ...opts, runtime: 'my-runtime' });
    assert.doesNotMatch(r.code, /interface|: number/);
    assert.match(r.code, /from "my-runtime"/);
  });
});

describe('preemption ticks (option preempt)', () => {
  it('count function entries and loop back-edges, including loops without yield', async () => {
    const src = `export function* spin(n) { let s = 0; for (let i = 0; i < n; i++) s += i; yield s; }`;
    assert.doesNotMatch(compileProgram(src), /budget/);
    const code = compileProgram(src, { preempt: true });
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { spin(n: number): Iterator<number> };
    const before = budget.ticks;
    const saved = budget.n;
    budget.n = 10;
    try {
      assert.equal(mod.spin(100).next().value, 4950);
    } finally {
      budget.n = saved;
    }
    assert.ok(budget.ticks > before, 'the exhausted budget was reported');
  });
});
