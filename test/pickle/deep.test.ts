import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, run, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';
import { useCleanScheduler } from '../support/harness.js';
import { deep } from './support/compiled.js';

const N = 1_000_000;

describe('no recursion limits (iterative encoder and decoder)', () => {
  useCleanScheduler();

  it(`a tasklet with ${N} compiled frames pickles, unpickles and resumes`, () => {
    const ch = new Channel<unknown>();
    const t = new Tasklet(deep).setup(N, ch);
    run();
    assert.equal(t.depth, N + 1);
    const bytes = pickle({ t, ch });
    const r = unpickle(bytes) as { t: Tasklet; ch: Channel<unknown> };
    assert.equal(r.t.depth, N + 1);
    assert.equal(r.t.blocked, true);
    r.ch.send(1);
    run();
    assert.equal(r.t.status, 'dead');
    ch.send(1); // let the original finish too (cheaper than killing through 10^6 frames)
    run();
    assert.equal(t.status, 'dead');
  });

  const L = 200_000; // far beyond any recursive encoder's JS stack
  it(`a linked list ${L} nodes deep round-trips`, () => {
    let head: { next: unknown; i: number } | null = null;
    for (let i = 0; i < L; i++) head = { next: head, i };
    const r = unpickle(pickle(head)) as { next: unknown; i: number };
    let n = 0;
    let last = 0;
    for (let p: { next: unknown; i: number } | null = r; p !== null; p = p.next as typeof p) {
      last = p.i;
      n++;
    }
    assert.equal(n, L);
    assert.equal(last, 0);
  });
});
