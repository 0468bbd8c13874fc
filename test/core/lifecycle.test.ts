/**
 * Tasklet life cycle and state flags: stackless-tests.md §2.2 (items 36-66), ported from
 * stackless-testsuite tasklet/test_functionality (testLC_*) and test_miscell TestBind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  call,
  Channel,
  getCurrent,
  getMain,
  run,
  runMain,
  schedule,
  scheduleRemove,
  Tasklet,
  TaskletStateError,
  type TaskletStatus,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

class TestError extends Error {}

function flags(t: Tasklet) {
  return { alive: t.alive, paused: t.paused, blocked: t.blocked, scheduled: t.scheduled };
}
const NOT_ALIVE = { alive: false, paused: false, blocked: false, scheduled: false };
const PAUSED = { alive: true, paused: true, blocked: false, scheduled: false };
const SCHEDULED = { alive: true, paused: false, blocked: false, scheduled: true };
const BLOCKED = { alive: true, paused: false, blocked: true, scheduled: true };

function* nothing(..._args: unknown[]) {}

describe('life-cycle state matrix (TS tasklet testLC_*)', () => {
  useCleanScheduler();

  it('testLC_initial_notalive (item 36)', () => {
    const t = new Tasklet();
    assert.deepEqual(flags(t), NOT_ALIVE);
    assert.equal(t.status, 'new' satisfies TaskletStatus);
    assert.equal(t.restorable, true);
    assert.equal(t.atomic, false);
    assert.equal(t.blockTrap, false);
    assert.equal(t.isCurrent, false);
    assert.equal(t.isMain, false);
    assert.equal(t.tempval, undefined);
    assert.equal(t.depth, 0);
    t.checkInvariants();
  });

  it('testLC_initial_bound (item 37)', () => {
    const t = new Tasklet(nothing);
    assert.deepEqual(flags(t), NOT_ALIVE);
    assert.equal(t.restorable, true);
    assert.equal(t.isCurrent || t.isMain || t.atomic || t.blockTrap, false);
    assert.equal(t.tempval, nothing);
  });

  it('testLC_notalive_bound / testLC_bound_notalive (item 38)', () => {
    const t = new Tasklet();
    t.bind(nothing);
    assert.deepEqual(flags(t), NOT_ALIVE);
    assert.equal(t.tempval, nothing);
    t.bind(null);
    assert.deepEqual(flags(t), NOT_ALIVE);
    assert.equal(t.tempval, undefined);
    t.bind(nothing);
    t.bind();
    assert.equal(t.tempval, undefined);
  });

  it('testLC_bound_scheduled (item 39): setup() makes it alive and scheduled, tempval cleared', () => {
    const t = new Tasklet(nothing);
    t.setup();
    assert.deepEqual(flags(t), SCHEDULED);
    assert.equal(t.tempval, undefined);
    t.checkInvariants();
    t.kill();
  });

  it('testLC_scheduled_paused (item 40): remove() pauses', () => {
    const t = new Tasklet(nothing).setup();
    t.remove();
    assert.deepEqual(flags(t), PAUSED);
    t.kill();
    assert.equal(t.alive, false);
  });

  it('testLC_scheduled_notalive (item 41): kill() on a scheduled, unstarted tasklet', () => {
    let ran = false;
    const t = new Tasklet(function* () {
      ran = true;
    }).setup();
    t.kill();
    assert.deepEqual(flags(t), NOT_ALIVE);
    assert.equal(t.status, 'dead');
    assert.equal(ran, false);
  });

  it('testLC_paused_scheduled (item 42): insert() or kill({pending:true}) on paused schedules it', () => {
    const t = new Tasklet(nothing, []);
    assert.deepEqual(flags(t), PAUSED);
    t.insert();
    assert.deepEqual(flags(t), SCHEDULED);
    t.remove();
    t.kill({ pending: true });
    assert.deepEqual(flags(t), SCHEDULED);
    run();
    assert.equal(t.alive, false);
  });

  it('testLC_notalive_paused (item 43): bind(f, args) makes it alive and paused', () => {
    const t = new Tasklet();
    t.bind(nothing, []);
    assert.deepEqual(flags(t), PAUSED);
    const t2 = new Tasklet(nothing);
    t2.bind(null, [1, 2]);
    assert.deepEqual(flags(t2), PAUSED);
  });

  it('testLC_paused_notalive (item 44): bind(), bind(null) or kill() from paused', () => {
    for (const how of ['bind()', 'bind(null)', 'kill()'] as const) {
      const t = new Tasklet(nothing, []);
      if (how === 'bind()') t.bind();
      else if (how === 'bind(null)') t.bind(null);
      else t.kill();
      assert.deepEqual(flags(t), NOT_ALIVE, how);
    }
  });

  it('testLC_paused_current_notalive (item 45): t.run() and t.switch() on a paused tasklet', () => {
    const seen: Record<string, unknown> = {};
    function* body(tag: string) {
      seen[tag] = { current: getCurrent() === t, tScheduled: t.scheduled, mainFlags: flags(getMain()) };
    }
    const t = new Tasklet(body, ['run']);
    t.run();
    assert.deepEqual(seen['run'], { current: true, tScheduled: true, mainFlags: SCHEDULED });
    assert.equal(t.alive, false);
    t.bind(body, ['switch']);
    t.switch();
    assert.deepEqual(seen['switch'], { current: true, tScheduled: true, mainFlags: PAUSED });
    assert.equal(t.alive, false);
  });

  it('testLC_scheduled_current_notalive (item 46): t.run(), t.switch() and run() on a scheduled tasklet', () => {
    const seen: Record<string, unknown> = {};
    const body = function* (tag: string) {
      seen[tag] = { current: getCurrent().isMain === false, mainFlags: flags(getMain()) };
    };
    const a = new Tasklet(body).setup('run');
    a.run();
    const b = new Tasklet(body).setup('switch');
    b.switch();
    const c = new Tasklet(body).setup('module run');
    run();
    assert.deepEqual(seen['run'], { current: true, mainFlags: SCHEDULED });
    assert.deepEqual(seen['switch'], { current: true, mainFlags: PAUSED });
    assert.deepEqual(seen['module run'], { current: true, mainFlags: PAUSED });
    for (const t of [a, b, c]) assert.equal(t.alive, false);
  });

  it('testLC_current_notalive (item 47): a tasklet killing itself ends', () => {
    let after = false;
    const t: Tasklet = new Tasklet(function* () {
      yield* t.kill();
      after = true;
    }).setup();
    run();
    assert.equal(after, false);
    assert.equal(t.alive, false);
  });

  it('testLC_current_blocked_scheduled (item 48): send 123 / receive 456 / sendThrow / sendException', () => {
    const ch = new Channel<number>();
    // t sends and blocks
    const t = new Tasklet(function* () {
      yield* ch.send(123);
    }).setup();
    run();
    assert.deepEqual(flags(t), BLOCKED);
    assert.equal(ch.receive().value, 123);
    assert.deepEqual(flags(t), SCHEDULED, 'the sender is scheduled, not run yet');
    run();
    assert.equal(t.alive, false);

    // t receives; main's send finishes t immediately (preference -1: receiver runs)
    let got = 0;
    const r = new Tasklet(function* () {
      got = yield* ch.receive();
    }).setup();
    run();
    assert.deepEqual(flags(r), BLOCKED);
    ch.send(456);
    assert.equal(got, 456);
    assert.equal(r.alive, false);

    // sendThrow / sendException: main's receive raises, the sender is then scheduled
    for (const how of ['sendThrow', 'sendException'] as const) {
      const s = new Tasklet(function* () {
        if (how === 'sendThrow') yield* ch.sendThrow(new TestError('thrown'));
        else yield* ch.sendException(TestError, 'msg');
      }).setup();
      run();
      assert.deepEqual(flags(s), BLOCKED);
      assert.throws(() => ch.receive(), TestError);
      assert.deepEqual(flags(s), SCHEDULED);
      run();
      assert.equal(s.alive, false);
    }
  });

  it('testLC_blocked_current (item 49): the woken partner runs to completion before main continues', () => {
    const ch = new Channel<number>();
    const log: number[] = [];
    new Tasklet(function* () {
      yield* ch.receive();
      log.push(0);
    }).setup();
    run();
    ch.send(123);
    log.push(1);
    assert.deepEqual(log, [0, 1]);

    const log2: number[] = [];
    ch.preference = 1;
    new Tasklet(function* () {
      yield* ch.send(1);
      log2.push(0);
    }).setup();
    run();
    ch.receive();
    log2.push(1);
    assert.deepEqual(log2, [0, 1]);
  });

  it('test_unbind_scheduled (item 50): bind() / bind(null) on a scheduled tasklet', () => {
    const t = new Tasklet(nothing).setup();
    assert.throws(() => t.bind(), { name: 'TaskletStateError', message: /tasklet is scheduled/ });
    assert.throws(() => t.bind(null), /tasklet is scheduled/);
    assert.deepEqual(flags(t), SCHEDULED, 'misuse changes nothing');
    t.kill();
  });

  it('testAttr_prev_next (item 51)', () => {
    const main = getCurrent();
    const t = new Tasklet();
    assert.equal(t.prev, null);
    assert.equal(t.next, null);
    t.bind(nothing);
    assert.equal(t.next, null);
    t.setup();
    assert.equal(t.prev, main);
    assert.equal(t.next, main);
    const t2 = new Tasklet(nothing).setup();
    assert.equal(t.next, t2);
    assert.equal(t2.prev, t);
    assert.equal(t2.next, main);
    assert.equal(main.prev, t2);
    assert.equal(main.next, t);
    run();
  });
});

describe('bind (test_miscell TestBind)', () => {
  useCleanScheduler();

  it('test_bind (item 53): pause in scheduleRemove, then insert and run to completion', () => {
    let finallyRuns = 0;
    function* task(remove: boolean) {
      try {
        if (remove) yield* scheduleRemove();
      } finally {
        finallyRuns++;
      }
    }
    const t = new Tasklet<[boolean]>();
    assert.equal(t.alive, false);
    assert.equal(t.depth, 0);
    t.bind(null);
    assert.equal(t.alive, false);
    t.bind(task);
    t.setup(true);
    t.run();
    assert.deepEqual(flags(t), PAUSED);
    assert.equal(t.depth, 1, 'it has a frame');
    // Our deviation (spec §15): a native generator frame is the analogue of a C frame.
    assert.equal(t.restorable, false);
    t.insert();
    t.run();
    assert.equal(t.alive, false);
    assert.equal(finallyRuns, 1);
  });

  it('test_bind_fail_not_callable (item 54)', () => {
    const t = new Tasklet();
    assert.throws(() => t.bind(42 as never), { name: 'TypeError', message: /callable/ });
    assert.equal(t.alive, false);
  });

  it('test_unbind_ok (item 55): unbinding a paused tasklet drops its frames without running finally', () => {
    let finallyRuns = 0;
    const t = new Tasklet(function* () {
      try {
        yield* scheduleRemove();
      } finally {
        finallyRuns++;
      }
    }).setup();
    t.run();
    assert.deepEqual(flags(t), PAUSED);
    t.bind(null);
    assert.deepEqual(flags(t), NOT_ALIVE);
    assert.equal(t.depth, 0);
    assert.equal(finallyRuns, 0);
  });

  it('test_unbind_fail_current (item 56)', () => {
    assert.throws(() => getCurrent().bind(null), { name: 'TaskletStateError', message: /current tasklet/ });
    let err: unknown = null;
    new Tasklet(function* () {
      try {
        getCurrent().bind(null);
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof TaskletStateError && /current tasklet/.test(err.message));
  });

  it('test_unbind_fail_scheduled (item 57): paused then inserted', () => {
    const t = new Tasklet(nothing, []);
    t.insert();
    assert.throws(() => t.bind(null), /scheduled/);
    t.kill();
  });

  it('test_bind_noargs (item 59): bind(f) then run() fails: not alive', () => {
    const t = new Tasklet();
    t.bind(nothing);
    assert.throws(() => t.run(), { name: 'TaskletStateError', message: /dead/ });
    assert.deepEqual(flags(t), NOT_ALIVE);
  });

  it('test_bind_args (item 60): the function gets exactly the bound arguments', () => {
    let got: unknown[] = [];
    function* f(...args: unknown[]) {
      got = args;
    }
    new Tasklet().bind(f, [1, 'two', null]).run();
    assert.deepEqual(got, [1, 'two', null]);
    new Tasklet().bind(f, []).run();
    assert.deepEqual(got, []);
  });

  it('test_bind_args_kwargs_nofunc (item 61): bind(null, args) keeps the constructor function', () => {
    let got: unknown[] = [];
    function* f(...args: unknown[]) {
      got = args;
    }
    const t = new Tasklet(f);
    t.bind(null, [7]);
    t.run();
    assert.deepEqual(got, [7]);
  });

  it('test_bind_args_not_runnable (item 62)', () => {
    const t = new Tasklet(nothing);
    t.bind(nothing, [1]);
    assert.equal(t.scheduled, false);
    assert.equal(t.paused, true);
  });

  it('test_unbind_main (item 63): main cannot be unbound, from main or a tasklet', () => {
    let err: unknown = null;
    new Tasklet(function* () {
      try {
        getMain().bind(null);
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof TaskletStateError && /can't unbind the main tasklet/.test(err.message), String(err));
    assert.ok(getMain().alive);
  });

  it('test_rebind_recursion_depth (item 65): re-binding resets depth; the new call runs at depth 1', () => {
    function* inner() {
      yield* scheduleRemove();
    }
    function* outer() {
      yield* call(inner);
    }
    let depthInside = -1;
    function* test() {
      depthInside = t.depth;
    }
    const t = new Tasklet(outer).setup();
    t.run();
    assert.equal(t.depth, 2);
    t.bind(test, []);
    assert.equal(t.depth, 0);
    t.run();
    assert.equal(depthInside, 1);
    assert.equal(t.alive, false);
  });

  it('test_setup_fail_alive (item 66): setup() from inside the running tasklet', () => {
    let err: unknown = null;
    const t = new Tasklet(function* () {
      try {
        t.setup();
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof TaskletStateError && /tasklet is alive/.test(err.message));
  });

  it('a Tasklet subclass lives on the ring like any tasklet (spec §2.4: subclassable)', () => {
    class Worker extends Tasklet<[number]> {
      readonly results: number[] = [];
    }
    const w: Worker = new Worker(function* (n: number) {
      yield* schedule();
      w.results.push(n * 2);
    });
    w.setup(21);
    assert.equal(getMain().next, w);
    run();
    assert.deepEqual(w.results, [42]);
    assert.equal(w.status, 'dead');
  });

  it('waitReason says what a tasklet waits for', () => {
    const ch = new Channel<number>({ name: 'jobs' });
    const r = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    r.run();
    assert.match(r.waitReason, /^receiving on channel#\d+\(jobs\)$/);
    const s = new Tasklet(function* () {
      yield* run();
    }).setup();
    s.run();
    assert.equal(s.waitReason, 'waiting in run()');
    assert.equal(new Tasklet().waitReason, 'new');
    s.kill();
    r.kill();
  });

  it('a dead tasklet can be re-bound and reused (identity kept)', () => {
    let n = 0;
    const t = new Tasklet(function* () {
      n++;
    }).setup();
    run();
    assert.equal(t.status, 'dead');
    t.bind(function* () {
      n += 10;
    });
    t.setup();
    run();
    assert.equal(n, 11);
  });

  it('main as a generator sees itself current and t paused after scheduleRemove', () => {
    const r = runMain(function* () {
      const t = new Tasklet(function* () {
        yield* scheduleRemove();
      }).setup();
      yield* schedule();
      const st = t.status;
      t.insert();
      yield* schedule();
      return [st, t.status, getCurrent().isMain];
    });
    assert.deepEqual(r, ['paused', 'dead', true]);
  });
});
