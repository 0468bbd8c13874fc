import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, Channel, getCurrent, run, runMain, schedule, Tasklet, UsageError, type Trap } from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

describe('call(): frames on the tasklet stack', () => {
  useCleanScheduler();

  function* sumTo(n: number): Generator<Trap, number, unknown> {
    if (n === 0) return 0;
    return n + (yield* call(sumTo, n - 1));
  }

  it('recursion 1,000,000 deep completes without a stack overflow', () => {
    const r = runMain(function* () {
      return yield* call(sumTo, 1_000_000);
    });
    assert.equal(r, 500_000_500_000);
  });

  it('plain nested yield* overflows where call() does not (contrast)', () => {
    function* nested(n: number): Generator<Trap, number, unknown> {
      return n === 0 ? 0 : 1 + (yield* nested(n - 1));
    }
    assert.throws(() => runMain(() => nested(1_000_000)), RangeError);
    assert.equal(
      runMain(function* () {
        return yield* call(sumTo, 100_000);
      }),
      5_000_050_000,
    );
  });

  it('a tasklet suspended at depth 100,000 resumes at the bottom and unwinds', () => {
    const ch = new Channel<number>();
    let depthSeen = 0;
    function* down(n: number): Generator<Trap, number, unknown> {
      if (n === 0) {
        depthSeen = getCurrent().depth;
        return yield* ch.receive();
      }
      return 1 + (yield* call(down, n - 1));
    }
    let result = -1;
    new Tasklet(function* () {
      result = yield* call(down, 100_000);
    }).setup();
    run();
    assert.equal(depthSeen, 100_002); // the tasklet function, the first call, and 100,000 more
    assert.equal(ch.balance, -1);
    ch.send(7);
    run();
    assert.equal(result, 100_007);
  });

  it('an error thrown at depth propagates through every frame, and finally blocks run', () => {
    const log: string[] = [];
    function* thrower(n: number): Generator<Trap, void, unknown> {
      try {
        if (n === 0) throw new RangeError('bottom');
        yield* call(thrower, n - 1);
      } finally {
        if (n % 1000 === 0) log.push(`finally ${n}`);
      }
    }
    const e = runMain(function* () {
      try {
        yield* call(thrower, 3000);
        return null;
      } catch (err) {
        return err as Error;
      }
    });
    assert.ok(e instanceof RangeError);
    assert.equal(e.message, 'bottom');
    assert.deepEqual(log, ['finally 0', 'finally 1000', 'finally 2000', 'finally 3000']);
  });

  it('a caller can catch an error from its callee frame and continue', () => {
    function* fails(): Generator<Trap, number, unknown> {
      yield* schedule();
      throw new Error('callee failed');
    }
    const r = runMain(function* () {
      try {
        yield* call(fails);
      } catch (e) {
        return `caught ${(e as Error).message} at depth ${getCurrent().depth}`;
      }
      return 'no';
    });
    assert.equal(r, 'caught callee failed at depth 1');
  });

  it('killing a deep tasklet runs the finally blocks of every frame', () => {
    const ch = new Channel<never>();
    let finallies = 0;
    function* deep(n: number): Generator<Trap, void, unknown> {
      try {
        if (n === 0) yield* ch.receive();
        else yield* call(deep, n - 1);
      } finally {
        finallies++;
      }
    }
    const t = new Tasklet(deep).setup(5000);
    run();
    assert.equal(t.depth, 5001);
    t.kill();
    assert.equal(t.alive, false);
    assert.equal(finallies, 5001);
    assert.equal(ch.balance, 0);
  });

  it('call() needs a generator function and a tasklet', () => {
    assert.throws(() => call((() => 5) as never), /call\(\) pushes a frame on a tasklet and needs one/);
    const err = runMain(function* () {
      try {
        yield* call((() => 5) as never);
      } catch (e) {
        return e;
      }
      return null;
    });
    assert.ok(err instanceof UsageError);
    assert.match((err as Error).message, /needs a generator function/);
  });
});
