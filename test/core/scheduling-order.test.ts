/**
 * Scheduling order of schedule, scheduleRemove, run and switch: stackless-tests.md §2.3
 * (items 69-82), ported from test_miscell TestTaskletSwitching/TestSchedule/TestSwitch and
 * test_defects Schedule.
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
  TaskletStateError,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

describe('run / switch / schedule order (test_miscell)', () => {
  useCleanScheduler();

  it('test_run (item 69): t.run() executes the function immediately', () => {
    let ran = false;
    new Tasklet(function* () {
      ran = true;
    })
      .setup()
      .run();
    assert.equal(ran, true);
  });

  it('test_switch_to_current (item 70, 74): current.switch() twice is a no-op', () => {
    const c = getCurrent();
    c.switch();
    c.switch();
    assert.equal(getCurrent(), c);
    assert.equal(c.status, 'current');
    let inner = '';
    const t: Tasklet = new Tasklet(function* () {
      yield* t.switch();
      yield* t.switch();
      inner = t.status;
    }).setup();
    run();
    assert.equal(inner, 'current');
  });

  it('self-switch with others runnable is a no-op (spec §16: Stackless misbehaves here, we do not)', () => {
    let ran = false;
    const other = new Tasklet(function* () {
      ran = true;
    }).setup();
    getCurrent().tempval = 'kept';
    assert.equal(getCurrent().switch().value, 'kept');
    assert.equal(getCurrent().run().value, undefined);
    assert.equal(ran, false);
    assert.equal(getCurrent().isMain, true);
    assert.equal(other.status, 'scheduled');
    run();
    assert.equal(ran, true);
  });

  it('testSchedule (item 71, as tasklet): the other tasklet ran and saw the caller still scheduled', () => {
    let seen: boolean | null = null;
    const log: string[] = [];
    const a: Tasklet = new Tasklet(function* () {
      log.push('a1');
      yield* schedule();
      log.push('a2');
    }).setup();
    new Tasklet(function* () {
      seen = a.scheduled && !a.isCurrent;
      log.push('b');
    }).setup();
    run();
    assert.equal(seen, true);
    assert.deepEqual(log, ['a1', 'b', 'a2']);
  });

  it('testScheduleRemoveFail (item 72): the other tasklet sees the caller unscheduled and re-inserts it', () => {
    let seen: boolean | null = null;
    let resumed = false;
    const a: Tasklet = new Tasklet(function* () {
      yield* scheduleRemove();
      resumed = true;
    }).setup();
    new Tasklet(function* () {
      seen = a.scheduled;
      a.insert();
    }).setup();
    run();
    assert.equal(seen, false);
    assert.equal(resumed, true);
  });

  it('test_switch (item 73): inside t the source is paused; t re-inserts it and finishes', () => {
    const log: string[] = [];
    let sourcePaused: boolean | null = null;
    const main = getMain();
    const t = new Tasklet(function* () {
      sourcePaused = main.paused;
      main.insert();
      log.push('t');
    }).setup();
    t.switch();
    log.push('main');
    assert.equal(sourcePaused, true);
    assert.deepEqual(log, ['t', 'main']);
    assert.equal(t.alive, false);
  });

  it('test_switch_blocked (item 75): switching to a blocked tasklet fails; a later send completes it', () => {
    const ch = new Channel<number>();
    let got = 0;
    const t = new Tasklet(function* () {
      got = yield* ch.receive();
    }).setup();
    run();
    assert.throws(() => t.switch(), { name: 'TaskletStateError', message: /blocked/ });
    assert.equal(t.blocked, true);
    assert.equal(ch.balance, -1);
    ch.send(7);
    assert.equal(got, 7);
    assert.equal(t.alive, false);
  });

  it('test_switch_paused (item 76): switching to a paused (bound-with-args) tasklet runs it', () => {
    let got = 0;
    const t = new Tasklet(function* (x: number) {
      got = x;
    }, [5]);
    t.switch();
    assert.equal(got, 5);
    assert.equal(t.alive, false);
  });

  it('doc example (item 81): three looping tasklets and run/remove', () => {
    const log: string[] = [];
    function* loop(name: string) {
      for (;;) {
        log.push(name);
        yield* schedule();
      }
    }
    const t1 = new Tasklet(loop).setup('t1');
    const t2 = new Tasklet(loop).setup('t2');
    const t3 = new Tasklet(loop).setup('t3');
    t1.run();
    assert.deepEqual(log.splice(0), ['t1', 't2', 't3']);
    t2.run();
    assert.deepEqual(log.splice(0), ['t2', 't3']);
    t2.remove();
    t2.run();
    assert.deepEqual(log.splice(0), ['t2']);
    assert.equal(t2.scheduled, true);
    for (const t of [t1, t2, t3]) t.kill();
  });

  it('doc example (item 81): t1.switch() loops without main until the tasklets stop', () => {
    const log: string[] = [];
    function* loop(name: string, n: number) {
      for (let i = 0; i < n; i++) {
        log.push(name);
        yield* schedule();
      }
    }
    const t1 = new Tasklet(loop).setup('t1', 3);
    new Tasklet(loop).setup('t2', 3);
    new Tasklet(loop).setup('t3', 3);
    t1.switch();
    log.push('main');
    assert.deepEqual(log.join(' '), 't1 t2 t3 t1 t2 t3 t1 t2 t3 main');
  });

  function* worker(log: string[], name: string) {
    log.push(`${name}1`);
    yield* schedule();
    log.push(`${name}2`);
  }

  it('verified probe (item 82), main as a generator: b.run() and b.switch() orders', () => {
    const log: string[] = [];
    runMain(function* () {
      new Tasklet(worker).setup(log, 'a');
      const b = new Tasklet(worker).setup(log, 'b');
      new Tasklet(worker).setup(log, 'c');
      yield* b.run();
      log.push('main');
      yield* run();
      log.push('|');
      new Tasklet(worker).setup(log, 'a');
      const b2 = new Tasklet(worker).setup(log, 'b');
      new Tasklet(worker).setup(log, 'c');
      yield* b2.switch();
      log.push('main');
    });
    assert.equal(log.join(' '), 'b1 c1 main a1 b2 c2 a2 | b1 c1 a1 b2 c2 a2 main');
  });

  it('verified probe (spec §3.2): b.remove(); b.run() runs b, then the caller resumes first', () => {
    const log: string[] = [];
    new Tasklet(worker).setup(log, 'a');
    const b = new Tasklet(worker).setup(log, 'b');
    b.remove();
    b.run();
    log.push('main');
    run();
    assert.equal(log.join(' '), 'b1 main a1 b2 a2');
  });
});

describe('schedule_remove defects (test_defects Schedule)', () => {
  useCleanScheduler();

  it('testScheduleRemove (item 77): the only tasklet under run() calls scheduleRemove(): run returns', () => {
    let resumed = false;
    const t = new Tasklet(function* () {
      yield* scheduleRemove();
      resumed = true;
    }).setup();
    assert.equal(run().value, undefined);
    assert.equal(t.paused, true);
    assert.equal(resumed, false);
    assert.equal(getRunCount(), 1);
    t.kill();
    assert.equal(resumed, false);
    assert.equal(t.alive, false);
  });

  it('testScheduleRemove2 (item 78): main blocked in receive; the only tasklet scheduleRemove()s → Deadlock there', () => {
    const ch = new Channel<string>();
    const got = runMain(function* () {
      new Tasklet(function* () {
        try {
          yield* scheduleRemove();
        } catch (e) {
          assert.ok(e instanceof DeadlockError);
          assert.match(e.message, /Deadlock/);
          yield* ch.send('deadlock seen');
        }
      }).setup();
      return yield* ch.receive();
    });
    assert.equal(got, 'deadlock seen');
    assert.equal(getRunCount(), 2, 'preference -1: the receiving main ran first, the sender is queued');
    run();
  });

  it('testScheduleRemove3/4 (item 79): scheduleRemove(null) under run(), and by a lone main', () => {
    new Tasklet(function* () {
      yield* scheduleRemove(null);
    }).setup();
    assert.equal(run().value, undefined);
    assert.equal(scheduleRemove(null).value, null, 'a lone main: no-op returning retval');
    assert.equal(getMain().isCurrent, true);
  });

  it('plain main scheduleRemove(): the others run, then the floating main is revived', () => {
    const log: string[] = [];
    new Tasklet(function* () {
      log.push('a1');
      yield* schedule();
      log.push('a2');
    }).setup();
    new Tasklet(function* () {
      log.push('b');
    }).setup();
    const r = scheduleRemove('back').value;
    log.push('main');
    assert.equal(r, 'back');
    assert.deepEqual(log, ['a1', 'b', 'a2', 'main']);
    assert.equal(getMain().isCurrent, true);
  });

  it('insert() of a scheduled tasklet does not move it; remove() of a paused one is a no-op', () => {
    const a = new Tasklet(function* () {}).setup();
    const b = new Tasklet(function* () {}).setup();
    a.insert();
    assert.equal(getMain().next, a);
    assert.equal(a.next, b);
    b.remove();
    b.remove();
    assert.equal(b.paused, true);
    assert.equal(a.next, getMain());
    b.insert();
    run();
    assert.equal(a.alive || b.alive, false);
  });

  it('schedule() alone returns its retval without switching; a lone main generator too', () => {
    const o = { o: 1 };
    assert.equal(schedule(o).value, o);
    assert.equal(
      runMain(function* () {
        return yield* scheduleRemove(o);
      }),
      o,
    );
  });

  it('schedule() returns an overwritten tempval (verified: anyone may overwrite it while the caller waits)', () => {
    let got: unknown = null;
    const a: Tasklet = new Tasklet(function* () {
      got = yield* schedule('mine');
    }).setup();
    new Tasklet(function* () {
      a.tempval = 'overwritten';
    }).setup();
    run();
    assert.equal(got, 'overwritten');
  });

  it('run() of a dead tasklet fails and changes nothing', () => {
    const t = new Tasklet(function* () {}).setup();
    run();
    assert.throws(() => t.run(), TaskletStateError);
    assert.throws(() => t.insert(), /unbound\(dead\)/);
    assert.equal(t.status, 'dead');
  });
});
