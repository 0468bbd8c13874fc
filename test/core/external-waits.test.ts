/**
 * External waits (the seam the I/O layer builds on, spec §6.4 rule 4 in our runtime: while
 * a tasklet waits on something outside the scheduler, a blocked main waits instead of
 * raising Deadlock). Uses the test Gate (test/support/gate.ts) instead of real I/O.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, checkInvariants, DeadlockError, getRunCount, run, runMain, runMainAsync, Tasklet } from 'stackless';
import { useCleanScheduler } from '../support/harness.js';
import { Gate } from '../support/gate.js';
import { canWaitForIo } from '../../src/core/main.js';

/** Open `gate` with `value` from a timer callback (plain code outside any tasklet). */
function openLater<T>(gate: Gate<T>, value: T): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      gate.open(value);
      resolve();
    }, 1);
  });
}

describe('external waits (runMainAsync and the idle scheduler)', () => {
  useCleanScheduler();

  it('a blocked main waits for a tasklet that waits externally, then receives', async () => {
    const gate = new Gate<number>();
    const ch = new Channel<number>();
    const done = runMainAsync(function* () {
      new Tasklet(function* () {
        const v = yield* gate.wait();
        yield* ch.send(v * 2);
      }).setup();
      return yield* ch.receive();
    });
    assert.equal(checkInvariants().mode, 'idle');
    await openLater(gate, 21);
    assert.equal(await done, 42);
    run();
    assert.equal(checkInvariants().mode, 'plain');
  });

  it('the last runnable tasklet ending while another waits externally: main waits, no "receiving" error', async () => {
    const gate = new Gate<number>();
    const ch = new Channel<number>();
    const done = runMainAsync(function* () {
      new Tasklet(function* () {
        yield* ch.send(yield* gate.wait());
      }).setup();
      new Tasklet(function* () {
        // ends at once, leaving main blocked and one external waiter
      }).setup();
      return yield* ch.receive();
    });
    await openLater(gate, 5);
    assert.equal(await done, 5);
    run();
  });

  it('with nothing external left, a blocked main still gets Deadlock in runMainAsync', async () => {
    const ch = new Channel<number>();
    await assert.rejects(
      runMainAsync(function* () {
        yield* ch.receive();
      }),
      DeadlockError,
    );
    assert.equal(ch.balance, 0);
  });

  it('killing the external waiter removes it from the gate and counts', async () => {
    const gate = new Gate<number>();
    const ch = new Channel<string>();
    const done = runMainAsync(function* () {
      const w = new Tasklet(function* () {
        yield* gate.wait();
      }).setup();
      new Tasklet(function* () {
        yield* w.kill();
        yield* ch.send('killed it');
      }).setup();
      return yield* ch.receive();
    });
    assert.equal(await done, 'killed it');
    assert.equal(gate.waiters.length, 0);
    run();
    // nothing waits externally any more: a lone main receive is a plain Deadlock again
    assert.throws(() => ch.receive(), DeadlockError);
  });

  it('runMain (synchronous) cannot wait for I/O: the would-be waiter gets Deadlock and nothing changes', () => {
    const gate = new Gate<number>();
    const ch = new Channel<number>();
    let waiterError: unknown = null;
    const r = runMain(function* () {
      new Tasklet(function* () {
        try {
          yield* gate.wait();
        } catch (e) {
          waiterError = e;
          yield* ch.send(1);
        }
      }).setup();
      return yield* ch.receive();
    });
    assert.equal(r, 1);
    assert.ok(waiterError instanceof DeadlockError);
    assert.match(waiterError.message, /^Deadlock.*run by runMain\(\).*runMainAsync\(\)/);
    assert.equal(gate.waiters.length, 0);
    assert.equal(checkInvariants().mode, 'plain');
    run();
  });

  it('runMain: uncaught, that Deadlock reaches main and the runtime stays usable', () => {
    const gate = new Gate<number>();
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            yield* gate.wait();
          }).setup();
          yield* new Channel().receive();
        }),
      (e) => e instanceof DeadlockError && /runMainAsync/.test(e.message),
    );
    assert.equal(gate.waiters.length, 0);
    assert.equal(checkInvariants().mode, 'plain');
    assert.equal(getRunCount(), 1);
    assert.equal(run().value, undefined, 'plain code works again at once');
  });

  it('canWaitForIo() is true only while runMainAsync drives main', async () => {
    assert.equal(canWaitForIo(), false);
    let inSync: boolean | null = null;
    runMain(function* () {
      inSync = canWaitForIo();
    });
    assert.equal(inSync, false);
    let inAsync: boolean | null = null;
    await runMainAsync(function* () {
      inAsync = canWaitForIo();
    });
    assert.equal(inAsync, true);
    assert.equal(canWaitForIo(), false);
  });
});
