import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CHILD = 'test/pickle/support/child.ts';

function node(args: string[]): string {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', ...args], { encoding: 'utf8', timeout: 60_000 });
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
