import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Tasklet } from '../../src/core/tasklet.js';
import { knownTasklets, track } from '../../src/io/registry.js';
import { addResource, closeAllResources, removeResource, type Closeable } from '../../src/io/resources.js';

// The two bookkeeping lists behind main()'s clean-up, now plain arrays: the open resources
// (a slot index per resource) and the known tasklets (duplicates and dead ones swept).

describe('io bookkeeping: open resources and known tasklets', () => {
  it('resources: add/remove in any order (repeated too); closeAll closes each open one exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(7)), { maxLength: 60 }), (ops) => {
        const closed: number[] = [];
        const rs: Closeable[] = Array.from({ length: 8 }, (_, i) => ({ _resourceSlot: -1, closeNow: () => void closed.push(i) }));
        const model = new Set<number>();
        for (const [add, i] of ops) {
          if (add) {
            addResource(rs[i]!);
            model.add(i);
          } else {
            removeResource(rs[i]!);
            model.delete(i);
          }
        }
        const list = closeAllResources();
        assert.deepEqual(list.map((r) => rs.indexOf(r)).sort(), [...model].sort());
        assert.deepEqual(closed.sort(), [...model].sort());
        for (const r of rs) assert.equal(r._resourceSlot, -1);
        assert.deepEqual(closeAllResources(), []);
      }),
    );
  });

  it('known tasklets: each live tracked tasklet is listed once, dead ones are dropped, across sweeps', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(49), fc.boolean()), { minLength: 2500, maxLength: 3000 }), (ops) => {
        knownTasklets(); // start from a swept list
        const ts = Array.from({ length: 50 }, () => ({ status: 'scheduled' }));
        const tracked = new Set<number>();
        for (const [i, die] of ops) {
          if (die) ts[i]!.status = 'dead';
          else {
            ts[i]!.status = 'scheduled';
            track(ts[i] as unknown as Tasklet);
            tracked.add(i);
          }
        }
        const ours = knownTasklets().filter((t) => ts.includes(t as never));
        const expected = [...tracked].filter((i) => ts[i]!.status !== 'dead').map((i) => ts[i]);
        assert.equal(new Set(ours).size, ours.length, 'no duplicates');
        assert.deepEqual(new Set(ours), new Set(expected));
        for (const t of ts) t.status = 'dead'; // leave nothing behind for other tests
        knownTasklets();
      }),
      { numRuns: 30 },
    );
  });
});
