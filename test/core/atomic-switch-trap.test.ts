/**
 * atomic and switchTrap: stackless-tests.md §2.8 (items 164-176), ported from test_miscell
 * TestAtomic, TestSwitchTrap and TestSwitch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  atomic,
  Channel,
  getCurrent,
  run,
  runMain,
  schedule,
  scheduleRemove,
  switchTrap,
  SwitchTrapError,
  Tasklet,
  TaskletStateError,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

class NotImplementedError extends Error {}

/** Run `fn` with the switch trap raised by one level; always lowers it again. */
function trapped<R>(fn: () => R): R {
  switchTrap(1);
  try {
    return fn();
  } finally {
    switchTrap(-1);
  }
}

const SWITCH_TRAP = { name: 'SwitchTrapError', message: /switch_trap/ };

describe('atomic (test_miscell TestAtomic)', () => {
  useCleanScheduler();

  it('testAtomic (item 164): setAtomic returns the previous value through F→T→T→F', () => {
    const c = getCurrent();
    assert.equal(c.atomic, false);
    assert.equal(c.setAtomic(true), false);
    assert.equal(c.atomic, true);
    assert.equal(c.setAtomic(true), true);
    assert.equal(c.atomic, true);
    assert.equal(c.setAtomic(false), true);
    assert.equal(c.atomic, false);
    assert.throws(() => c.setAtomic('yes' as never), { name: 'TypeError', message: /set_atomic needs exactly one bool or integer/ });
    assert.equal(c.atomic, false);
  });

  it('testAtomicCtxt (item 165): inside atomic() the flag is set, restored after', () => {
    let inside: boolean | null = null;
    let insideTasklet: boolean | null = null;
    atomic(function* () {
      inside = getCurrent().atomic;
    });
    new Tasklet(function* () {
      yield* atomic(function* () {
        insideTasklet = getCurrent().atomic;
        yield* schedule();
      });
      assert.equal(getCurrent().atomic, false);
    }).setup();
    run();
    assert.equal(inside, true);
    assert.equal(insideTasklet, true);
    assert.equal(getCurrent().atomic, false);
  });

  it('testAtomicNopCtxt (item 166): nested use when already atomic keeps it set', () => {
    const c = getCurrent();
    c.setAtomic(true);
    try {
      let inner: boolean | null = null;
      atomic(function* () {
        inner = getCurrent().atomic;
      });
      assert.equal(inner, true);
      assert.equal(c.atomic, true);
    } finally {
      c.setAtomic(false);
    }
  });

  it('atomic() returns its body\'s result and restores the flag when the body throws', () => {
    assert.equal(
      atomic(function* () {
        return 42;
      }).value,
      42,
    );
    assert.throws(() =>
      atomic(function* () {
        throw new Error('x');
      }),
    );
    assert.equal(getCurrent().atomic, false);
  });

  it('the atomic flag is not inherited by new tasklets (verified)', () => {
    let child: boolean | null = null;
    atomic(function* () {
      new Tasklet(function* () {
        child = getCurrent().atomic;
      }).setup();
    });
    run();
    assert.equal(child, false);
  });

  it('atomic does not prevent voluntary switches', () => {
    const log: string[] = [];
    new Tasklet(function* () {
      log.push('other');
    }).setup();
    runMain(function* () {
      yield* atomic(function* () {
        yield* schedule();
        log.push('main');
      });
    });
    assert.deepEqual(log, ['other', 'main']);
  });
});

describe('switch trap (test_miscell TestSwitchTrap)', () => {
  useCleanScheduler();

  it('switchTrap returns the previous level', () => {
    assert.equal(switchTrap(0), 0);
    assert.equal(switchTrap(2), 0);
    assert.equal(switchTrap(-1), 2);
    assert.equal(switchTrap(-1), 1);
    assert.equal(switchTrap(), 0);
    assert.throws(() => switchTrap(-1), RangeError);
    assert.equal(switchTrap(), 0);
  });

  it('test_schedule (item 167)', () => {
    const t = new Tasklet(function* () {}).setup();
    trapped(() => assert.throws(() => schedule(), SWITCH_TRAP));
    assert.equal(t.status, 'scheduled');
    schedule();
    assert.equal(t.alive, false);
  });

  it('schedule() with nothing else runnable does not switch, so it is allowed', () => {
    const o = {};
    assert.equal(trapped(() => schedule(o).value), o);
  });

  it('test_schedule_remove (item 168)', () => {
    let err: unknown = null;
    let resumed = false;
    const t = new Tasklet(function* () {
      switchTrap(1);
      try {
        yield* scheduleRemove();
      } catch (e) {
        err = e;
      } finally {
        switchTrap(-1);
      }
      assert.equal(getCurrent().isCurrent, true);
      yield* scheduleRemove();
      resumed = true;
    }).setup();
    run();
    assert.ok(err instanceof SwitchTrapError);
    assert.equal(t.paused, true);
    t.insert();
    run();
    assert.equal(resumed, true);
  });

  it('test_run / test_run_specific / test_run2 (item 169)', () => {
    const t = new Tasklet(function* () {}).setup();
    trapped(() => {
      assert.throws(() => run(), SWITCH_TRAP);
      assert.throws(() => t.run(), SWITCH_TRAP);
    });
    assert.equal(t.status, 'scheduled');
    t.run();
    assert.equal(t.alive, false);
    new Tasklet(function* () {}).setup();
    run();
  });

  it('test_run_paused (item 170): stays paused', () => {
    const t = new Tasklet(function* () {}, []);
    trapped(() => assert.throws(() => t.run(), SWITCH_TRAP));
    assert.equal(t.paused, true);
    t.run();
    assert.equal(t.alive, false);
  });

  it('test_send / test_send_throw (item 171): a send that would block is trapped; delivered afterwards', () => {
    for (const how of ['send', 'sendThrow'] as const) {
      const ch = new Channel<number>();
      let got: unknown = null;
      const partner = new Tasklet(function* () {
        try {
          got = yield* ch.receive();
        } catch (e) {
          got = e;
        }
      }).setup();
      const doIt = () => (how === 'send' ? ch.send(1) : ch.sendThrow(new NotImplementedError()));
      trapped(() => assert.throws(doIt, SWITCH_TRAP));
      assert.equal(ch.balance, 0);
      assert.equal(partner.status, 'scheduled');
      doIt();
      if (how === 'send') assert.equal(got, 1);
      else assert.ok((got as unknown) instanceof NotImplementedError);
    }
  });

  it('test_receive / test_receive_throw (item 172)', () => {
    for (const how of ['send', 'sendThrow'] as const) {
      const ch = new Channel<number>();
      new Tasklet(function* () {
        if (how === 'send') yield* ch.send(1);
        else yield* ch.sendThrow(new NotImplementedError());
      }).setup();
      trapped(() => assert.throws(() => ch.receive(), SWITCH_TRAP));
      assert.equal(ch.balance, 0);
      if (how === 'send') assert.equal(ch.receive().value, 1);
      else assert.throws(() => ch.receive(), NotImplementedError);
      run();
    }
  });

  it('a channel operation that completes without switching is allowed while trapped (verified)', () => {
    const ch = new Channel<number>();
    ch.preference = 1;
    let got: unknown = null;
    new Tasklet(function* () {
      got = yield* ch.receive();
    }).setup();
    run();
    trapped(() => ch.send(9));
    assert.equal(got, null, 'preference 1: the receiver was only queued');
    run();
    assert.equal(got, 9);
  });

  it('test_raise_exception / test_kill (item 173)', () => {
    let caught: unknown = null;
    const t = new Tasklet(function* () {
      try {
        yield* scheduleRemove();
      } catch (e) {
        caught = e;
      }
      yield* scheduleRemove();
    }).setup();
    t.run();
    trapped(() => {
      assert.throws(() => t.raiseException(NotImplementedError), SWITCH_TRAP);
      assert.throws(() => t.kill(), SWITCH_TRAP);
    });
    assert.equal(t.paused, true);
    assert.equal(caught, null);
    t.raiseException(NotImplementedError);
    assert.ok((caught as unknown) instanceof NotImplementedError);
    t.kill();
    assert.equal(t.alive, false);
  });

  it('test_switch_trapped / test_switch_paused_trapped (item 174): the target keeps its state', () => {
    const s = new Tasklet(function* () {}).setup();
    const p = new Tasklet(function* () {}, []);
    trapped(() => {
      assert.throws(() => s.switch(), SWITCH_TRAP);
      assert.throws(() => p.switch(), SWITCH_TRAP);
    });
    assert.equal(s.status, 'scheduled');
    assert.equal(p.status, 'paused');
    assert.equal(getCurrent().isMain, true);
    s.switch();
    p.switch();
    assert.equal(s.alive || p.alive, false);
  });

  it('test_switch_self_trapped (item 175): current.switch() is allowed while trapped', () => {
    trapped(() => {
      getCurrent().switch();
      getCurrent().run();
    });
    assert.equal(getCurrent().isMain, true);
  });

  it('test_switch_blocked_trapped (item 176): "blocked" is reported, not "switch_trap"', () => {
    const ch = new Channel();
    const b = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    run();
    trapped(() => assert.throws(() => b.switch(), (e) => e instanceof TaskletStateError && /blocked/.test(e.message)));
    assert.equal(b.blocked, true);
    assert.equal(ch.balance, -1);
    b.kill();
  });
});
