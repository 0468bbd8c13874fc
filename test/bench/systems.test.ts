import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSystem } from '../../bench/load-system.js';
import { SYSTEM_IDS, type WorkloadName } from '../../bench/workloads.js';

// Every comparison system runs every workload it claims at a small size and returns the
// expected check value; the ones it does not claim carry a reason.
for (const id of SYSTEM_IDS) {
  describe(`bench system ${id}`, () => {
    const supports = async (w: WorkloadName): Promise<boolean> => !((await loadSystem(id)).unsupported[w] !== undefined);
    it('ping-pong delivers every message', async () => {
      const s = await loadSystem(id);
      assert.equal(await s.pingPong!(200), (200 * 199) / 2);
    });
    it('ring passes the token size x laps hops', async () => {
      const s = await loadSystem(id);
      assert.equal(await s.ring!(50, 3), 150);
    });
    it('spawn runs every task once', async () => {
      const s = await loadSystem(id);
      assert.equal(await s.spawn!(3, 40), 120);
    });
    it('parked tasks are all parked when measured', async () => {
      const s = await loadSystem(id);
      let seen = -1;
      await s.parked!(1500, (p) => (seen = p));
      assert.equal(seen, 1500);
    });
    it('schedule() yields round robin, or says why not', async () => {
      const s = await loadSystem(id);
      if (await supports('schedule')) assert.equal(await s.schedule!(4, 25), 100);
      else assert.equal(s.schedule, undefined);
    });
    it('deep resume and depth probes work where supported', async () => {
      const s = await loadSystem(id);
      let bottoms = 0;
      if (await supports('deep-call')) assert.equal(await s.deepResume!('call', 50, 20, () => bottoms++), 20);
      if (await supports('deep-yield')) assert.equal(await s.deepResume!('yield*', 50, 20, () => bottoms++), 20);
      assert.equal(bottoms, (await supports('deep-call') ? 1 : 0) + (await supports('deep-yield') ? 1 : 0), 'atBottom called once per run');
      assert.equal(await s.reachDepth!('yield*', 100), true);
      if (await supports('max-depth-call')) assert.equal(await s.reachDepth!('call', 20_000), true);
    });
    it('pickles a paused counter and a deep tasklet whose copies finish like the originals, or says why not', async () => {
      const s = await loadSystem(id);
      if (!(await supports('pickle'))) {
        assert.equal(await supports('pickle-deep'), false);
        return;
      }
      const counter = s.pickleCase!('counter', 0);
      const bytes = counter.pickle();
      assert.ok(bytes.length > 0 && bytes.length <= 270, `counter pickle is ${bytes.length} bytes`);
      assert.equal(counter.finish(counter.unpickle(bytes)), counter.expected);
      const deep = s.pickleCase!('deep', 500);
      assert.equal(deep.finish(deep.unpickle(deep.pickle())), deep.expected);
      assert.equal(deep.expected, 499);
    });
  });
}
