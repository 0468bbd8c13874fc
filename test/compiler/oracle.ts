/**
 * The correctness oracle: run the same program natively and compiled, compare traces.
 * A program is module source (JavaScript or TypeScript) exporting `run(log, api)`; `api` is
 * the public 'stackless' module so tasklet programs need no imports.
 */
import assert from 'node:assert/strict';
import { describe as suite, it } from 'node:test';
import { compile } from 'stackless/compiler';
import * as stackless from 'stackless';

const runtimeURL = new URL('../../src/compiler/index.ts', import.meta.url).href;
let seq = 0;

export type Trace = unknown[];

async function importSource(code: string): Promise<Record<string, unknown>> {
  // a unique comment defeats the module cache
  return import(`data:text/javascript;base64,${Buffer.from(`${code}\n//${seq++}`).toString('base64')}`) as Promise<Record<string, unknown>>;
}

export function compileProgram(source: string, opts: { preempt?: boolean } = {}): string {
  return compile(source, {
    filename: `${process.cwd()}/oracle/program${seq++}.ts`,
    projectRoot: process.cwd(),
    runtime: runtimeURL,
    sourceMaps: false,
    preempt: opts.preempt ?? false,
  }).code;
}

export function nativeProgram(source: string): string {
  return compile(`"use native";\n${source}`, { filename: 'native.ts', sourceMaps: false }).code;
}

async function runWith(code: string): Promise<Trace> {
  const mod = await importSource(code);
  const log: Trace = [];
  try {
    const r = (mod['run'] as (log: Trace, api: typeof stackless) => unknown)(log, stackless);
    log.push(['result', describe(r)]);
  } catch (e) {
    log.push(['raised', describe(e)]);
  }
  return log;
}

/** Run `source` both ways; returns both traces. */
export async function runBoth(source: string, opts: { preempt?: boolean } = {}): Promise<{ native: Trace; compiled: Trace; code: string }> {
  const code = compileProgram(source, opts);
  const native = await runWith(nativeProgram(source));
  const compiled = await runWith(code);
  return { native, compiled, code };
}

/** A stable description of a value for trace comparison (errors by class and message). */
export function describe(v: unknown): unknown {
  if (v instanceof Error) return `${v.constructor.name}: ${v.message}`;
  if (typeof v === 'function') return `function ${v.name}`;
  if (v !== null && typeof v === 'object' && typeof (v as Iterator<unknown>).next === 'function') return '[iterator]';
  if (Array.isArray(v)) return v.map(describe);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = describe(x);
    return o;
  }
  return v;
}

/**
 * One test per program: `prelude` + the program run natively and compiled must give the same
 * (non-trivial) trace, and the program must actually have been compiled.
 */
export function oracleSuite(title: string, prelude: string, programs: Record<string, string>): void {
  suite(title, () => {
    for (const [name, body] of Object.entries(programs)) {
      it(name, async () => {
        const { native, compiled, code } = await runBoth(`${prelude}\n${body}`);
        assert.ok(/\$rt\.(unit|placedUnit)\(/.test(code), 'the program was compiled');
        assert.ok(native.length > 1, 'the program produced a trace');
        assert.deepEqual(compiled, native);
      });
    }
  });
}
