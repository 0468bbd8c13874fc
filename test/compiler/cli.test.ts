/**
 * The ways in: `stackless run` (bin), `node --import stackless/register`, `stackless build`,
 * and source maps pointing at the TypeScript lines. Each spawns a node process (bounded).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin', 'stackless.mjs');

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT']; // a nested `node --test` must report on its own
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 120_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('stackless CLI and load hook', () => {
  it('examples/compiled-counter.ts runs under `stackless run`, compiled', () => {
    const r = node([bin, 'run', 'examples/compiled-counter.ts']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\+1=1 \+2=3 \+3=6 \+4=10 \+5=15/);
    assert.match(r.stdout, /total 15; tasklets done: true/);
    assert.match(r.stdout, /blocked in examples\/compiled-counter\.ts#adder \(restorable: true\) with total=0/);
  });

  it('examples/compiled-language.ts prints the same compiled as native', () => {
    const native = node(['--conditions=source', '--import', 'tsx', 'examples/compiled-language.ts']);
    const compiled = node([bin, 'run', 'examples/compiled-language.ts']);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(compiled.status, 0, compiled.stderr);
    const lines = (s: string): string[] => s.trimEnd().split('\n');
    assert.deepEqual(lines(compiled.stdout).slice(0, -1), lines(native.stdout).slice(0, -1));
    assert.equal(lines(native.stdout).at(-1), 'native');
    assert.equal(lines(compiled.stdout).at(-1), 'compiled: examples/compiled-language.ts#shop');
    assert.match(native.stdout, /\[2: 3 x coffee\] \(\[no notes\]\) \[cold\]/);
    assert.match(native.stdout, /TDZ: ReferenceError: Cannot access 'value' before initialization/);
  });

  it('examples/compiled-bench.ts runs and reports resume and memory ratios', () => {
    const r = spawnSync(process.execPath, [bin, 'run', 'examples/compiled-bench.ts'], {
      cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, BENCH_SCALE: '0.001' },
    });
    assert.equal(r.status, 0, `status ${r.status} signal ${r.signal}\n${r.stdout}\n${r.stderr}`);
    // figures only (a tiny scale on a loaded machine can measure anything, even a negative heap delta)
    const num = String.raw`-?[\d.]+|NaN|-?Infinity`;
    assert.match(r.stdout, new RegExp(String.raw`resume \(ns/next\): native (${num}), compiled (${num}), ratio (${num})x`), r.stdout);
    assert.match(r.stdout, new RegExp(String.raw`suspended frame \(bytes\): native (${num}), compiled (${num})`), r.stdout);
    assert.match(r.stdout, new RegExp(String.raw`parked tasklet \(bytes, tasklet\+frame\+op\): native (${num}), compiled (${num})`), r.stdout);
  });

  it('stack traces point at the TypeScript source lines (inline source maps)', () => {
    const r = node([bin, 'run', 'test/compiler/fixtures/throws.ts']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Error: boom at 42/);
    assert.match(r.stderr, /at failing\S* \(.*test\/compiler\/fixtures\/throws\.ts:8:\d+\)/);
  });

  it('node --import stackless/register compiles on load (TypeScript included)', () => {
    const r = node(['--conditions=source', '--import', 'tsx', '--import', 'stackless/register', 'test/compiler/fixtures/restorable.ts']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'restorable=true native=undefined id=test/compiler/fixtures/restorable.ts#Box.items values=1,2,3');
  });

  it("the core's channel and kill/throw suites pass with every tasklet compiled (load hook)", () => {
    const r = node(['--conditions=source', '--import', 'tsx', '--import', 'stackless/register', '--test', '--test-reporter=tap',
      'test/core/channel.test.ts', 'test/core/kill-throw.test.ts']);
    assert.equal(r.status, 0, r.stdout.slice(-3000));
    assert.match(r.stdout, /^# fail 0$/m);
    assert.match(r.stdout, /^# pass [1-9]\d*$/m);
  });

  it('stackless build writes compiled JavaScript that runs without the hook', () => {
    const out = join(root, 'test', 'compiler', 'fixtures', `.build-${process.pid}`);
    try {
      const b = node([bin, 'build', 'test/compiler/fixtures/restorable.ts', '--out', out]);
      assert.equal(b.status, 0, b.stderr);
      const file = join(out, 'restorable.js');
      assert.ok(existsSync(file));
      const code = readFileSync(file, 'utf8');
      assert.match(code, /\$rt\.unit\("test\/compiler\/fixtures\/restorable\.ts#Box\.items"/);
      assert.match(code, /sourceMappingURL=data:application\/json/);
      const r = node(['--conditions=source', '--import', 'tsx', file]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /restorable=true native=undefined/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
