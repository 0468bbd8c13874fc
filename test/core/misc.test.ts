/**
 * Miscellaneous cases from stackless-tests.md §2.12 that apply to JavaScript: weak
 * references (items 207, 208), switching inside try/finally, JavaScript's context managers
 * (items 211, 212), and frames pushed with call() (spec §15: resume cost and recursion depth
 * do not depend on the JS stack).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { call, Channel, getRunCount, run, schedule, scheduleRemove, Tasklet, type Trap } from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Let the current job end (WeakRefs are kept alive during the job that created them), then collect. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
}

describe('weak references (test_weakref)', () => {
  useCleanScheduler();

  it('testSimpleTaskletWeakRef (item 207): a finished, unreferenced tasklet is collected', async () => {
    let ref: WeakRef<Tasklet> | null = null;
    (() => {
      const t = new Tasklet(function* () {
        yield* schedule();
      }).setup();
      ref = new WeakRef(t);
    })();
    run();
    await collect();
    assert.equal(ref!.deref(), undefined);
  });

  it('testSimpleChannelWeakRef (item 208): a channel is collected; so is a tasklet blocked on an unreferenced channel', async () => {
    let chRef: WeakRef<Channel> | null = null;
    let tRef: WeakRef<Tasklet> | null = null;
    (() => {
      const ch = new Channel();
      chRef = new WeakRef(ch);
      const t = new Tasklet(function* () {
        yield* ch.receive();
      }).setup();
      tRef = new WeakRef(t);
    })();
    run();
    await collect();
    assert.equal(chRef!.deref(), undefined);
    assert.equal(tRef!.deref(), undefined, 'the runtime keeps no registry of blocked tasklets');
  });
});

describe('switching inside try/finally (test_miscell TestContextManager, test_defects)', () => {
  useCleanScheduler();

  it('test_tasklet_switch_in_exitfunc_after_return (item 211): scheduleRemove(4711) in a finally that silences an error', () => {
    let after = false;
    const t = new Tasklet(function* () {
      try {
        throw new Error('silenced');
      } catch {
        // silenced, like an __exit__ returning True
      } finally {
        yield* scheduleRemove(4711);
      }
      after = true;
    }).setup();
    run();
    assert.equal(t.paused, true);
    assert.equal(t.tempval, 4711, 'the retval is visible while the tasklet waits');
    assert.equal(after, false);
    t.insert();
    run();
    assert.equal(after, true);
    assert.equal(t.alive, false);
  });

  it('test_crash_on_WHY_SILENCED (item 212): switching away inside finally keeps the step order', () => {
    const steps: number[] = [];
    const t = new Tasklet(function* () {
      try {
        steps.push(1);
        try {
          steps.push(2);
          throw new Error('inner');
        } finally {
          steps.push(3);
          yield* scheduleRemove();
          steps.push(5);
        }
      } catch {
        steps.push(6);
      }
    }).setup();
    run();
    steps.push(4);
    assert.deepEqual(steps, [1, 2, 3, 4]);
    t.insert();
    run();
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6]);
  });
});

describe('frames pushed with call() (spec §15)', () => {
  useCleanScheduler();

  function* countdown(n: number): Generator<Trap, number, unknown> {
    if (n === 0) {
      yield* schedule();
      return 0;
    }
    return 1 + (yield* call(countdown, n - 1));
  }

  it('recursion far deeper than the JS stack, with a switch at the bottom', () => {
    const depth = 50_000;
    let result = -1;
    let maxDepth = 0;
    const t = new Tasklet(function* () {
      result = yield* call(countdown, depth);
    }).setup();
    new Tasklet(function* () {
      maxDepth = t.depth;
    }).setup();
    run();
    assert.equal(result, depth);
    assert.equal(maxDepth, depth + 2, 'the bottom frame plus depth + 1 countdown frames');
    assert.equal(getRunCount(), 1);
  });

  it('errors unwind through call() frames and can be caught by a caller frame', () => {
    function* thrower(n: number): Generator<Trap, never, unknown> {
      if (n === 0) throw new RangeError('bottom');
      yield* call(thrower, n - 1);
      throw new Error('unreachable');
    }
    let caught: unknown = null;
    let depthAfter = -1;
    const t = new Tasklet(function* () {
      try {
        yield* call(thrower, 100);
      } catch (e) {
        caught = e;
      }
      depthAfter = t.depth;
    }).setup();
    run();
    assert.ok(caught instanceof RangeError);
    assert.equal(depthAfter, 1);
  });

  it('kill unwinds every frame\'s finally, innermost first', () => {
    const log: number[] = [];
    function* level(n: number): Generator<Trap, void, unknown> {
      try {
        if (n === 0) yield* scheduleRemove();
        else yield* call(level, n - 1);
      } finally {
        log.push(n);
      }
    }
    const t = new Tasklet(function* () {
      yield* call(level, 3);
    }).setup();
    run();
    assert.equal(t.depth, 5);
    t.kill();
    assert.deepEqual(log, [0, 1, 2, 3]);
    assert.equal(t.alive, false);
  });
});
