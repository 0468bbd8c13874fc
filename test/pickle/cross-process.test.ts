import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CHILD = 'test/pickle/support/child.ts';

function node(args: string[], compiled = false, env: Record<string, string> = {}): string {
  const flags = ['--conditions=source', '--import', 'tsx', ...(compiled ? ['--import', 'stackless/register'] : [])];
  const r = spawnSync(process.execPath, [...flags, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  return r.stdout;
}

describe('cross-process round trip (contract test doubles)', () => {
  it('a counter pickled mid-loop in one process finishes in another with the trace of an unbroken run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackless-pickle-'));
    try {
      const file = join(dir, 'counter.pickle');
      const whole = node([CHILD, 'whole', '7']);
      node([CHILD, 'start', '7', '3', file]);
      const resumed = node([CHILD, 'finish', file]);
      assert.equal(resumed, whole);
      assert.equal(whole.trim().split('\n').length, 7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cross-process round trip (compiled by stackless/register)', () => {
  it('a workload (closure, for-of over an array and a Map, a nested call suspended in finally with a pending return or exception, a Map and an Error) resumes identically from any step', () => {
    const CC = 'test/pickle/support/compiled-child.ts';
    const dir = mkdtempSync(join(tmpdir(), 'stackless-pickle-compiled-'));
    try {
      const steps = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
      const whole = node([CC, 'whole'], true);
      assert.match(whole, /caught bad name/);
      assert.match(whole, /\[w!\] seen ab,boom,cde,f error RangeError/);
      node([CC, 'start', dir, ...steps], true);
      const resumed = node([CC, 'finish', dir, ...steps], true);
      const traces = resumed.split(/^(\d+):\n/m).slice(1);
      assert.equal(traces.length, 2 * steps.length);
      for (let i = 0; i < traces.length; i += 2) assert.equal(traces[i + 1], whole, `resumed after step ${traces[i]}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refusals inside compiled code name the local and the native function', () => {
    const out = node(['test/pickle/support/compiled-child.ts', 'refusals'], true);
    assert.match(out, /holdsPromise: restorable true: PickleError: cannot pickle a Promise at tasklet\.frames\[0\]\.state\.\$pending/);
    assert.match(out, /callsNative: restorable false: PickleError: cannot pickle tasklet#\d+: it is not restorable, frame 1 is the native generator function\* nativeStep at tasklet\.frames\[1\]/);
  });

  it('a pickle made by one version of a module is refused by another, naming the module and function (a started tasklet, and one not started yet)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackless-pickle-version-'));
    try {
      const file = join(dir, 'step.pickle');
      const child = 'test/pickle/support/versioned-child.ts';
      const v1 = 'test/pickle/fixtures/v1';
      const v2 = 'test/pickle/fixtures/v2';
      node([child, 'start', v1, file], true, { STACKLESS_PROJECT_ROOT: v1 });
      const refused = node([child, 'finish', v2, file], true, { STACKLESS_PROJECT_ROOT: v2 });
      assert.match(refused, /^PickleError: unpickle: code changed for function step in module versioned\.ts: the pickle was made by code version \w+, this process has \w+/);
      const same = node([child, 'finish', v1, file], true, { STACKLESS_PROJECT_ROOT: v1 });
      assert.equal(same.trim(), 'v1 step 0\nv1 step 1\nv1 step 2');
      // not started: the tasklet's function itself is named by id and hash (FUNCTION_DATA)
      const unstarted = join(dir, 'unstarted.pickle');
      node([child, 'start', v1, unstarted, '0'], true, { STACKLESS_PROJECT_ROOT: v1 });
      const refusedFn = node([child, 'finish', v2, unstarted], true, { STACKLESS_PROJECT_ROOT: v2 });
      assert.match(refusedFn, /^PickleError: unpickle: code changed for function step in module versioned\.ts: the pickle was made by code version \w+, this process has \w+/);
      const sameFn = node([child, 'finish', v1, unstarted], true, { STACKLESS_PROJECT_ROOT: v1 });
      assert.equal(sameFn.trim(), 'v1 step 0\nv1 step 1\nv1 step 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
