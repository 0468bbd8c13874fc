import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/** Run an example the way its header says: compiled tasklets via stackless/register. */
function example(name: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--import', 'stackless/register', `examples/${name}`], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, `${name} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('pickle examples', () => {
  it('pickle-counter: a fresh process finishes the counter with the same output as an unbroken run', () => {
    const out = example('pickle-counter.ts');
    assert.match(out, /--- same output: true/);
    assert.match(out, /pickled tasklet#\d+ \(restorable: true\) to \d+ bytes/);
    const p2 = out.slice(out.indexOf('--- process 2'));
    assert.match(p2, /unpickled: alive true, paused true\ncount 4: running total 10\n/);
    assert.match(p2, /count done: 21/);
    const p3 = out.slice(out.indexOf('--- process 3: npx stackless resume'));
    assert.match(p3, /^--- process 3: npx stackless resume counter\.pickle\ncount 4: running total 10\ncount 5: running total 15\ncount 6: running total 21\ncount done: 21\n--- same output: true\n$/);
    assert.equal(out.match(/--- same output: true/g)?.length, 2, 'both ways give the unbroken output');
  });

  it('pickle-migrate: the serving tasklet moves over TCP and keeps serving with its state', () => {
    const out = example('pickle-migrate.ts');
    assert.match(out, /A: process A served c \(request #3 of this tasklet\)/);
    assert.match(out, /B: unpickled tasklet#\d+\(server\): blocked, receiving on channel#\d+\(requests\)/);
    assert.match(out, /B: process B served d \(request #4 of this tasklet\)/);
    assert.match(out, /B: process B served f \(request #6 of this tasklet\)/);
    assert.match(out, /B: tasklet finished: dead/);
    assert.match(out, /A: process B exited with 0/);
  });

  it('pickle-bench: a paused compiled counter tasklet pickles to at most 270 bytes (times are printed, not asserted)', () => {
    const out = example('pickle-bench.ts', { N: '400' });
    const size = Number(/pickle size: (\d+) bytes/.exec(out)?.[1]);
    assert.ok(size > 0 && size <= 270, `size ${size}`);
    assert.match(out, /^pickle: +[\d.]+ µs\/op$/m);
    assert.match(out, /^unpickle: +[\d.]+ µs\/op$/m);
  });
});
