/**
 * Deadlock and error propagation: stackless-tests.md §2.6 (items 133-143) and the
 * deviations of spec §16, ported from test_watchdog TestDeadlock / TestWatchdog.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Channel,
  DeadlockError,
  getCurrent,
  getMain,
  getRunCount,
  run,
  runMain,
  schedule,
  scheduleRemove,
  Tasklet,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';
import { Gate } from '../support/gate.js';

class ZeroDivisionError extends Error {}
class UserWarning extends Error {}

describe('deadlock (test_watchdog TestDeadlock)', () => {
  useCleanScheduler();

  it('testReceiveOnMain (item 133): plain main and generator main', () => {
    const ch = new Channel();
    assert.throws(() => ch.receive(), { name: 'DeadlockError', message: /^Deadlock/ });
    assert.throws(() => ch.send(1), { name: 'DeadlockError', message: /^Deadlock/ });
    assert.throws(
      () =>
        runMain(function* () {
          yield* ch.receive();
        }),
      /^DeadlockError: Deadlock/,
    );
    assert.equal(ch.balance, 0);
    assert.equal(getMain().status, 'current');
  });

  it('test_main_receiving_endttasklet (item 134): the last tasklet ends while main receives', () => {
    const ch = new Channel();
    let ended = false;
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            ended = true;
          }).setup();
          yield* ch.receive();
        }),
      (e) => e instanceof DeadlockError && /the main tasklet is receiving without a sender available/.test(e.message),
    );
    assert.equal(ended, true);
    assert.equal(ch.balance, 0, 'main left the channel');
    ch.checkInvariants();
  });

  it('test_main_sending_enddtasklet (item 135): the last tasklet ends while main sends', () => {
    const ch = new Channel();
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {}).setup();
          yield* ch.send(1);
        }),
      (e) => e instanceof DeadlockError && /the main tasklet is sending without a receiver available/.test(e.message),
    );
    assert.equal(ch.balance, 0);
  });

  it('a last tasklet that is killed also gives main the "receiving" error (spec §16 note)', () => {
    const ch = new Channel();
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            yield* schedule();
            yield* getCurrent().kill();
          }).setup();
          yield* ch.receive();
        }),
      /the main tasklet is receiving without a sender available/,
    );
    assert.equal(ch.balance, 0);
  });

  it('test_main_gets_exception (item 136): main blocked in receive gets the dying tasklet\'s error', () => {
    const ch = new Channel();
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            throw new ZeroDivisionError('mumbai');
          }).setup();
          yield* ch.receive();
        }),
      (e) => e instanceof ZeroDivisionError && e.message === 'mumbai',
    );
    assert.equal(ch.balance, 0, 'main was pulled off the channel');
    ch.checkInvariants();
  });

  it('an error reaching main replaces a value main was handed but has not resumed to see (spec §4 death path)', () => {
    const ch = new Channel<number>();
    ch.preference = 0; // the sender continues after the hand-off; main is only queued
    let sendReturned = false;
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            yield* ch.send(1);
            sendReturned = true;
            throw new ZeroDivisionError('after the hand-off');
          }).setup();
          return yield* ch.receive();
        }),
      /after the hand-off/,
    );
    assert.equal(sendReturned, true);
    assert.equal(ch.balance, 0);
  });

  it('test_tasklet_deadlock (item 137): a tasklet catches its Deadlock and wakes main', () => {
    const mc = new Channel<string>();
    const got = runMain(function* () {
      new Tasklet(function* () {
        try {
          yield* new Channel().receive();
        } catch (e) {
          assert.ok(e instanceof DeadlockError);
          assert.match(e.message, /Deadlock/);
          yield* mc.send('woken');
        }
      }).setup();
      return yield* mc.receive();
    });
    assert.equal(got, 'woken');
    run();
  });

  it('test_tasklet_and_main_receive (item 138): uncaught, the tasklet\'s Deadlock reaches main', () => {
    const mc = new Channel();
    const fresh = new Channel();
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            yield* fresh.receive();
          }).setup();
          yield* mc.receive();
        }),
      (e) => e instanceof DeadlockError && /^Deadlock/.test(e.message),
    );
    assert.equal(mc.balance, 0);
    assert.equal(fresh.balance, 0, 'the deadlocked receive changed nothing');
  });

  it('test_error_propagation_when_not_deadlock (item 139, 143): run() raises; the looping tasklet stays scheduled', () => {
    const looper = new Tasklet(function* () {
      for (;;) yield* schedule();
    }).setup();
    new Tasklet(function* () {
      throw new ZeroDivisionError('bar');
    }).setup();
    assert.throws(() => run(), (e) => e instanceof ZeroDivisionError && e.message === 'bar');
    assert.equal(looper.scheduled, true);
    assert.equal(getRunCount(), 2);
    looper.kill();
  });

  it('test_exception (item 140, without preemption): an error out of run()', () => {
    new Tasklet(function* () {
      yield* schedule();
      throw new UserWarning('bad');
    }).setup();
    assert.throws(() => run(), UserWarning);
  });

  it('test_lone_receive (item 141): a single tasklet receiving on a fresh channel: run() returns', () => {
    const t = new Tasklet(function* () {
      yield* new Channel().receive();
    }).setup();
    assert.equal(run().value, undefined);
    assert.equal(t.blocked, true);
    t.kill();
  });

  it('test_run_return (item 142): run() returns undefined after normal completion', () => {
    new Tasklet(function* () {
      yield* schedule();
    }).setup();
    assert.equal(run().value, undefined);
  });

  it('verified probe (item 143): an error while main is inside t.run() or schedule() pops out of that call', () => {
    const other = new Tasklet(function* () {
      for (;;) yield* schedule();
    }).setup();
    const bad = new Tasklet(function* () {
      throw new ZeroDivisionError('in t.run()');
    }).setup();
    assert.throws(() => bad.run(), /in t.run\(\)/);
    assert.equal(other.scheduled, true);
    new Tasklet(function* () {
      throw new ZeroDivisionError('in schedule()');
    }).setup();
    assert.throws(
      () =>
        runMain(function* () {
          yield* schedule();
        }),
      /in schedule\(\)/,
    );
    assert.equal(other.scheduled, true);
    other.kill();
  });
});

describe('Stackless defects we do not reproduce (spec §16)', () => {
  useCleanScheduler();

  it('a deadlock keeps main\'s outgoing value: it is delivered later', () => {
    const mc = new Channel<string>();
    let later: unknown = null;
    assert.equal(
      runMain(function* () {
        new Tasklet(function* () {
          try {
            yield* new Channel().receive();
          } catch (e) {
            assert.ok(e instanceof DeadlockError);
          }
          later = yield* mc.receive();
        }).setup();
        yield* mc.send('kept');
        return 'sent';
      }),
      'sent',
    );
    assert.equal(later, 'kept');
  });

  it('a deadlock keeps main\'s outgoing exception too', () => {
    const mc = new Channel<string>();
    let later: unknown = null;
    runMain(function* () {
      new Tasklet(function* () {
        try {
          yield* new Channel().receive();
        } catch {
          // the Deadlock
        }
        try {
          yield* mc.receive();
        } catch (e) {
          later = e;
        }
      }).setup();
      yield* mc.sendException(UserWarning, 'kept');
    });
    assert.ok(later instanceof UserWarning && later.message === 'kept');
  });

  it('reviving main does not duplicate a blocked sender\'s exception', () => {
    const ch = new Channel<number>();
    const s = new Tasklet(function* () {
      yield* ch.sendException(UserWarning, 'once');
    }).setup();
    assert.equal(run().value, undefined, 'main is revived normally');
    assert.equal(s.blocked, true);
    const caught: unknown[] = [];
    const r = new Tasklet(function* () {
      for (let i = 0; i < 2; i++) {
        try {
          yield* ch.receive();
        } catch (e) {
          caught.push(e);
        }
      }
    }).setup();
    run();
    assert.equal(caught.length, 1);
    assert.equal(r.blocked, true, 'the second receive waits: nothing was duplicated');
    r.kill();

    // the same after switch() and scheduleRemove() made main float
    const s2 = new Tasklet(function* () {
      yield* ch.sendException(UserWarning, 'switch');
    }).setup();
    s2.switch();
    assert.equal(s2.blocked, true);
    assert.throws(() => ch.receive(), /switch/);
    run();
    runMain(function* () {
      const s3 = new Tasklet(function* () {
        yield* ch.sendException(UserWarning, 'scheduleRemove');
      }).setup();
      s3.insert();
      yield* scheduleRemove();
      return;
    });
    assert.throws(() => ch.receive(), /scheduleRemove/);
    run();
  });

  it('main waiting on a non-channel primitive when the last tasklet ends gets a Deadlock naming the wait', () => {
    const gate = new Gate<number>({ external: false });
    const err = runMain(function* () {
      new Tasklet(function* () {}).setup();
      try {
        yield* gate.wait();
      } catch (e) {
        return e;
      }
      return null;
    });
    assert.ok(err instanceof DeadlockError);
    assert.match((err as Error).message, /^Deadlock: the last runnable tasklet ended while the main tasklet waits \(waiting on a test gate\)/);
    assert.equal(gate.waiters.length, 0);
  });
});
