/**
 * FUNCTION_DATA: compiled generator functions that are stable module-level values carry
 * `fn[FUNCTION_DATA] = { fnId, codeHash }` and their registry entry's `fn` is that function;
 * closures and functions created inside other functions do not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOSURE_DATA, FUNCTION_DATA, compiledFunctions, type FunctionData } from 'stackless/compiler';
import { compileProgram } from './oracle.js';

async function load(source: string): Promise<Record<string, unknown>> {
  const code = compileProgram(source);
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
}

const dataOf = (fn: unknown): FunctionData | undefined => (fn as Record<symbol, FunctionData | undefined>)[FUNCTION_DATA];

describe('FUNCTION_DATA on module-level compiled generator functions', () => {
  it('tags declarations (exported or not), const function expressions and methods of top-level classes', async () => {
    const mod = await load(`
      export function* top(a) { yield a; }
      function* priv() { yield 'p'; }
      export const viaConst = function* () { yield 'c'; };
      export const named = function* self(n) { if (n) yield* self(n - 1); yield n; };
      export class Svc { *serve() { yield 'i'; } static *make() { yield 's'; } }
      export const getPriv = () => priv;
      export let notConst = function* () { yield 'l'; };
      export function factory() { return function* inner() { yield 'f'; }; }
      export function* outer() { const nested = function* () { yield 1; }; yield nested; }
    `);
    const Svc = mod['Svc'] as { prototype: { serve: unknown }; make: unknown };
    const tagged: [unknown, string][] = [
      [mod['top'], '#top'], [(mod['getPriv'] as () => unknown)(), '#priv'], [mod['viaConst'], '#viaConst'],
      [mod['named'], '#self'], [Svc.prototype.serve, '#Svc.serve'], [Svc.make, '#Svc.make'],
    ];
    for (const [fn, suffix] of tagged) {
      const d = dataOf(fn);
      assert.ok(d, `${suffix} is tagged`);
      assert.ok(d.fnId.endsWith(suffix), `${d.fnId} ends with ${suffix}`);
      assert.match(d.codeHash, /^[0-9a-f]{12}$/);
      const info = compiledFunctions.get(d.fnId);
      assert.equal(info?.fn, fn, `the registry entry of ${d.fnId} holds the same function`);
      assert.equal(info?.codeHash, d.codeHash);
      assert.equal(typeof info?.reviveFrame, 'function', 'the entry still revives frames');
      assert.equal(Object.keys(fn as object).includes(String(FUNCTION_DATA)), false);
      assert.equal(Object.getOwnPropertyDescriptor(fn, FUNCTION_DATA)?.enumerable, false);
    }
    // not stable module-level values: a `let`, a generator made inside a function, a closure made by a generator
    assert.equal(dataOf(mod['notConst']), undefined);
    assert.equal(dataOf((mod['factory'] as () => unknown)()), undefined);
    const nested = (mod['outer'] as () => Iterator<unknown>)().next().value;
    assert.equal(dataOf(nested), undefined);
    assert.ok((nested as Record<symbol, unknown>)[CLOSURE_DATA], 'closures keep CLOSURE_DATA');
  });
});
