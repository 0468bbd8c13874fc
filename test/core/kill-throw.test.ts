/**
 * kill / throw / raiseException / TaskletExit: stackless-tests.md §2.5 items 109-125 and
 * 132, ported from test_miscell TestTaskletThrowImmediate / TestTaskletThrowNonImmediate,
 * TestTaskletSwitching.test_raise_exception and TestKill.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Channel,
  getCurrent,
  getMain,
  isTaskletExit,
  run,
  runMain,
  schedule,
  scheduleRemove,
  Tasklet,
  TaskletExit,
  TaskletStateError,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

class IndexError extends Error {
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    super(args.join(', '));
    this.args = args;
  }
}

for (const pending of [false, true]) {
  const variant = pending ? 'TestTaskletThrowNonImmediate' : 'TestTaskletThrowImmediate';
  describe(`${variant} (pending: ${pending})`, () => {
    useCleanScheduler();

    /** A tasklet blocked in receive that records what it catches. */
    function blockedReceiver(): { t: Tasklet; caught: () => unknown } {
      const ch = new Channel();
      let caught: unknown = null;
      const t = new Tasklet(function* () {
        try {
          yield* ch.receive();
        } catch (e) {
          caught = e;
        }
      }).setup();
      run();
      assert.equal(t.blocked, true);
      return { t, caught: () => caught };
    }

    /** After the throw: immediate ⇒ already dead; pending ⇒ alive until it runs. */
    function finish(t: Tasklet): void {
      if (pending) {
        assert.equal(t.alive, true);
        assert.equal(t.scheduled, true);
        assert.equal(t.blocked, false);
        t.run();
      }
      assert.equal(t.alive, false);
    }

    it('test_throw_noargs (item 109)', () => {
      const { t, caught } = blockedReceiver();
      const err = new IndexError();
      t.throw(err, { pending });
      finish(t);
      assert.equal(caught(), err);
    });

    it('test_throw_args / test_throw_inst (items 110, 111)', () => {
      const { t, caught } = blockedReceiver();
      t.throw(new IndexError(1, 2, 3), { pending });
      finish(t);
      const e = caught();
      assert.ok(e instanceof IndexError);
      assert.deepEqual(e.args, [1, 2, 3]);
    });

    it('test_throw_exc_info (item 112): rethrow a caught error', () => {
      const { t, caught } = blockedReceiver();
      let err: unknown;
      try {
        (undefined as unknown as { f(): void }).f();
      } catch (e) {
        err = e;
      }
      t.throw(err, { pending });
      finish(t);
      assert.ok(caught() instanceof TypeError);
      assert.equal(caught(), err);
    });

    it('test_throw_traceback (item 113): the target sees the thrower\'s frames', () => {
      const { t, caught } = blockedReceiver();
      function errfunc(): never {
        throw new IndexError('from errfunc');
      }
      try {
        errfunc();
      } catch (e) {
        t.throw(e, { pending });
      }
      finish(t);
      assert.match((caught() as Error).stack ?? '', /errfunc/);
    });

    it('test_new (item 114): thrown into a tasklet that never ran: uncaught, propagates to main', () => {
      let ran = false;
      const t = new Tasklet(function* () {
        ran = true;
      }).setup();
      const err = new IndexError('early');
      if (pending) {
        t.throw(err, { pending });
        assert.equal(t.alive, true);
        assert.throws(() => run(), (e) => e === err);
      } else {
        assert.throws(() => t.throw(err), (e) => e === err);
      }
      assert.equal(ran, false);
      assert.equal(t.alive, false);
    });

    it('test_kill_new (item 115): TaskletExit into an unstarted tasklet; it never runs; then run() says dead', () => {
      let ran = false;
      const t = new Tasklet(function* () {
        ran = true;
      }).setup();
      t.throw(new TaskletExit(), { pending });
      if (pending) run();
      assert.equal(ran, false);
      assert.equal(t.alive, false);
      assert.throws(() => t.run(), { name: 'TaskletStateError', message: /dead/ });
    });

    it('test_dead (item 116): throwing into a finished tasklet', () => {
      const t = new Tasklet(function* () {}).setup();
      run();
      assert.throws(() => t.throw(new IndexError(), { pending }), { name: 'TaskletStateError', message: /dead tasklet/ });
      assert.equal(t.status, 'dead');
    });

    it('test_kill_dead (item 117): TaskletExit into a finished tasklet does nothing', () => {
      const t = new Tasklet(function* () {}).setup();
      run();
      assert.equal(t.throw(new TaskletExit(), { pending }).value, undefined);
      assert.equal(t.kill({ pending }).value, undefined);
      assert.equal(t.status, 'dead');
    });

    it('test_throw_invalid (item 118): throw() without an error is a TypeError and changes nothing', () => {
      const { t, caught } = blockedReceiver();
      assert.throws(() => (t.throw as (e?: unknown, o?: { pending: boolean }) => unknown)(undefined, { pending }), {
        name: 'TypeError',
        message: /exceptions must be classes, or instances/,
      });
      assert.throws(() => t.throw(null, { pending }), TypeError);
      assert.equal(t.blocked, true);
      t.kill();
      assert.ok(isTaskletExit(caught()), "the kill, not the refused throw, reached it");
    });

    it('pending throw into a blocked tasklet takes it off its channel at once', () => {
      const ch = new Channel();
      const t = new Tasklet(function* () {
        yield* ch.receive();
      }).setup();
      run();
      assert.equal(ch.balance, -1);
      t.throw(new IndexError(), { pending: true });
      assert.equal(ch.balance, 0);
      ch.checkInvariants();
      assert.throws(() => run(), IndexError);
    });
  });
}

describe('raise_exception and kill (test_miscell)', () => {
  useCleanScheduler();

  it('test_raise_exception (item 119): into a tasklet blocked on receive', () => {
    const ch = new Channel();
    let caught: unknown = null;
    const t = new Tasklet(function* () {
      try {
        yield* ch.receive();
      } catch (e) {
        caught = e;
      }
    }).setup();
    run();
    t.raiseException(IndexError, 1, 2);
    assert.ok(caught instanceof IndexError);
    assert.deepEqual(caught.args, [1, 2]);
    assert.equal(t.alive, false);
  });

  it('raiseException with a non-error class is a TypeError', () => {
    const t = new Tasklet(function* () {}).setup();
    assert.throws(() => (t.raiseException as (c: unknown) => unknown)(Object), { name: 'TypeError', message: /needs Exception/ });
    assert.equal(t.scheduled, true);
    t.kill();
  });

  it('test_kill_pending_true (item 120): not yet killed; after t.run() its TaskletExit handler ran', () => {
    let handled = false;
    const t = new Tasklet(function* () {
      try {
        yield* schedule();
      } catch (e) {
        if (isTaskletExit(e)) handled = true;
        throw e;
      }
    }).setup();
    t.run();
    t.kill({ pending: true });
    assert.equal(handled, false);
    assert.equal(t.alive, true);
    t.run();
    assert.equal(handled, true);
    assert.equal(t.alive, false);
  });

  it('test_kill_pending_False (item 121): kill() runs the TaskletExit handler before returning', () => {
    let handled = false;
    const t = new Tasklet(function* () {
      try {
        yield* schedule();
      } catch (e) {
        if (isTaskletExit(e)) handled = true;
        throw e;
      }
    }).setup();
    t.run();
    t.kill();
    assert.equal(handled, true);
    assert.equal(t.alive, false);
  });

  it('test_kill_current (item 122): current.kill() raises TaskletExit at once', () => {
    let caught: unknown = null;
    let after = false;
    const t = new Tasklet(function* () {
      try {
        yield* getCurrent().kill();
        after = true;
      } catch (e) {
        caught = e;
        throw e;
      }
    }).setup();
    const thread = t.threadId;
    run();
    assert.ok(isTaskletExit(caught));
    assert.equal(after, false);
    assert.equal(t.alive, false);
    assert.equal(t.threadId, thread);
  });

  it('raise_exception on a dead tasklet (item 124, >= 3.3.7): TaskletStateError', () => {
    const t = new Tasklet(function* () {}).setup();
    run();
    assert.throws(() => t.raiseException(IndexError), TaskletStateError);
  });

  it('verified probe (item 132): kill() on a blocked receiver removes it from the channel', () => {
    const ch = new Channel();
    let seen: unknown = null;
    const t = new Tasklet(function* () {
      try {
        yield* ch.receive();
      } catch (e) {
        seen = e;
        throw e;
      }
    }).setup();
    run();
    assert.equal(ch.balance, -1);
    t.kill();
    assert.equal(ch.balance, 0);
    assert.ok(isTaskletExit(seen));
    assert.equal(ch.queue, null);
    ch.checkInvariants();
  });

  it('verified probe (item 132): a tasklet that catches TaskletExit and suspends stays alive and paused', () => {
    let kills = 0;
    const t = new Tasklet(function* () {
      for (;;) {
        try {
          yield* scheduleRemove();
        } catch (e) {
          if (!isTaskletExit(e)) throw e;
          kills++;
          if (kills === 3) return;
        }
      }
    }).setup();
    t.run();
    t.kill();
    assert.equal(kills, 1);
    assert.equal(t.alive, true);
    assert.equal(t.paused, true);
    t.kill();
    assert.equal(t.alive, true);
    t.kill();
    assert.equal(kills, 3);
    assert.equal(t.alive, false);
  });

  it('verified probe (item 132): main.kill() from a tasklet makes run() in main raise TaskletExit', () => {
    new Tasklet(function* () {
      yield* getMain().kill();
    }).setup();
    assert.throws(() => run(), (e) => isTaskletExit(e));
    run();
  });

  it('main does not swallow TaskletExit: a generator main that is killed ends with it', () => {
    assert.throws(
      () =>
        runMain(function* () {
          new Tasklet(function* () {
            yield* getMain().kill();
          }).setup();
          yield* schedule();
          return 'not reached';
        }),
      (e) => isTaskletExit(e),
    );
    run();
  });

  it('a broad catch guarded by instanceof Error lets a kill through (spec §15)', () => {
    let swallowed = 0;
    const t = new Tasklet(function* () {
      for (;;) {
        try {
          yield* schedule();
        } catch (e) {
          if (!(e instanceof Error)) throw e;
          swallowed++;
        }
      }
    }).setup();
    t.run();
    t.throw(new Error('ordinary'));
    assert.equal(swallowed, 1);
    t.kill();
    assert.equal(t.alive, false);
  });
});
