/**
 * Module surface and signatures: stackless-tests.md §2.1 (items 1-35), ported from
 * stackless-testsuite v3_1 test_content / test_functionality.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as stackless from 'stackless';
import {
  atomic,
  Channel,
  getCurrent,
  getMain,
  getRunCount,
  isTaskletExit,
  run,
  runMain,
  schedule,
  scheduleRemove,
  StopIteration,
  Tasklet,
  TaskletExit,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

describe('module content (TS test_content)', () => {
  useCleanScheduler();

  it('testDeclaredNames (item 1): the portable core names exist with the right kind', () => {
    for (const name of ['atomic', 'getMain', 'run', 'schedule', 'getRunCount', 'scheduleRemove', 'getCurrent'] as const)
      assert.equal(typeof stackless[name], 'function', name);
    for (const name of ['Tasklet', 'Channel'] as const) assert.equal(typeof stackless[name], 'function', name);
  });

  it('testAdditionalNames (item 2): current/main/runcount are reachable through the functions', () => {
    assert.ok(getCurrent() instanceof Tasklet);
    assert.ok(getMain() instanceof Tasklet);
    assert.equal(typeof getRunCount(), 'number');
  });

  it('testTaskletExit (item 3, 125): TaskletExit is outside the Error hierarchy and has a code', () => {
    const e = new TaskletExit('bye', 3);
    assert.ok(!(e instanceof Error), 'a broad `instanceof Error` guard lets a kill through');
    assert.ok(isTaskletExit(e));
    assert.ok(!isTaskletExit(new Error('x')));
    assert.equal(e.code, 3);
    class MyExit extends TaskletExit {}
    assert.ok(isTaskletExit(new MyExit()));
  });

  it('channel/test_content (item 5): every channel member exists', () => {
    const ch = new Channel();
    for (const m of ['close', 'open', 'receive', 'send', 'sendException', 'sendSequence', 'sendThrow', 'next'] as const)
      assert.equal(typeof ch[m], 'function', m);
    assert.equal(typeof ch.balance, 'number');
    assert.equal(typeof ch.closed, 'boolean');
    assert.equal(typeof ch.closing, 'boolean');
    assert.equal(typeof ch.preference, 'number');
    assert.equal(typeof ch.scheduleAll, 'boolean');
    assert.equal(ch.queue, null);
  });

  it('tasklet/test_content (item 5): every tasklet member exists', () => {
    const t = new Tasklet();
    for (const m of ['bind', 'insert', 'kill', 'raiseException', 'remove', 'run', 'setAtomic', 'setup', 'switch', 'throw'] as const)
      assert.equal(typeof t[m], 'function', m);
    for (const a of ['alive', 'atomic', 'blocked', 'isCurrent', 'isMain', 'paused', 'restorable', 'scheduled'] as const)
      assert.equal(typeof t[a], 'boolean', a);
    assert.equal(typeof t.threadId, 'number');
    assert.equal(t.next, null);
    assert.equal(t.prev, null);
    assert.equal(t.tempval, undefined);
  });
});

describe('module functions (TS test_functionality OtherTestCases)', () => {
  useCleanScheduler();

  it('testSig_run (item 6): run() with an empty queue returns undefined', () => {
    assert.equal(run().value, undefined);
    assert.equal(run({}).value, undefined);
    assert.equal(run({ timeout: 0 }).value, undefined);
  });

  it('testSig_schedule (item 7): schedule() returns current, schedule(o) returns o', () => {
    assert.equal(schedule().value, getCurrent());
    const o = {};
    assert.equal(schedule(o).value, o);
    // also with another tasklet runnable, and from inside a tasklet
    const seen: unknown[] = [];
    new Tasklet(function* () {
      seen.push(yield* schedule());
      seen.push(yield* schedule(o));
    }).setup();
    const t2 = new Tasklet(function* () {
      yield* schedule();
    }).setup();
    run();
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0], t2);
    assert.ok(seen[0] instanceof Tasklet && !seen[0].isMain);
    assert.equal(seen[1], o);
  });

  it('testSig_schedule_remove (item 8, 80): a removed tasklet re-inserted by a helper returns its retval', () => {
    const o = {};
    const results: unknown[] = [];
    const worker = new Tasklet(function* () {
      for (let i = 0; i < 3; i++) results.push(yield* scheduleRemove(o));
      results.push(yield* scheduleRemove());
    }).setup();
    new Tasklet(function* () {
      for (let i = 0; i < 4; i++) {
        assert.equal(worker.paused, true);
        worker.insert();
        yield* schedule();
      }
    }).setup();
    run();
    assert.deepEqual(results, [o, o, o, worker]);
    assert.equal(worker.alive, false);
  });

  it('testMain / testCurrent (item 12): main is getMain(), current is getCurrent(), both tasklets', () => {
    assert.ok(getMain().isMain);
    assert.equal(getCurrent(), getMain());
    assert.ok(getCurrent().isCurrent);
  });

  it('testCurrent2 (item 13): inside t.run() current is t; back in main it is not', () => {
    let inside: Tasklet | null = null;
    const t = new Tasklet(function* () {
      inside = getCurrent();
    }).setup();
    t.run();
    assert.equal(inside, t);
    assert.notEqual(getCurrent(), t);
  });

  it('testRuncount (item 15): setup adds one; inside t.run() the caller still counts', () => {
    const rc = getRunCount();
    let inside = -1;
    const t = new Tasklet(function* () {
      inside = getRunCount();
    }).setup();
    assert.equal(getRunCount(), rc + 1);
    t.run();
    assert.equal(inside, rc + 1);
    assert.equal(getRunCount(), rc);
  });

  it('in plain code each operation keeps its own result in op.value', () => {
    const ch = new Channel<number>();
    new Tasklet(function* () {
      yield* ch.send(1);
      yield* ch.send(2);
    }).setup();
    const a = ch.receive();
    const b = ch.receive();
    assert.equal(a.value, 1);
    assert.equal(b.value, 2);
    const s1 = schedule('one');
    const s2 = schedule('two');
    assert.equal(s1.value, 'one');
    assert.equal(s2.value, 'two');
    const r1 = scheduleRemove('x');
    const r2 = scheduleRemove('y');
    assert.deepEqual([r1.value, r2.value], ['x', 'y']);
    run();
  });

  it('main as a generator: the same signatures hold with yield*', () => {
    const o = {};
    const got = runMain(function* () {
      const a = yield* schedule(o);
      const b = yield* run();
      return [a, b];
    });
    assert.deepEqual(got, [o, undefined]);
  });
});

describe('channel signatures (TS channel/test_functionality)', () => {
  useCleanScheduler();

  it('testSig_constructor (item 19): options are optional', () => {
    assert.equal(new Channel().balance, 0);
    assert.equal(new Channel({ name: 'x' }).name, 'x');
  });

  it('testSig_send / receive (item 20): send returns undefined', () => {
    const ch = new Channel<number>();
    let got = 0;
    new Tasklet(function* () {
      got = yield* ch.receive();
    }).setup();
    run();
    assert.equal(ch.send(5).value, undefined);
    assert.equal(got, 5);
  });

  it('testSig_send_exception (item 21): any number of extra args, returns undefined', () => {
    const ch = new Channel<number>();
    const caught: unknown[] = [];
    const r = new Tasklet(function* () {
      for (;;) {
        try {
          yield* ch.receive();
        } catch (e) {
          caught.push(e);
        }
      }
    }).setup();
    run();
    assert.equal(ch.sendException(Error).value, undefined);
    assert.equal(ch.sendException(RangeError, 'msg').value, undefined);
    class MultiArg extends Error {
      constructor(readonly a: number, readonly b: number, readonly c: number) {
        super(`${a}${b}${c}`);
      }
    }
    assert.equal(ch.sendException(MultiArg, 1, 2, 3).value, undefined);
    assert.equal(caught.length, 3);
    assert.ok(caught[1] instanceof RangeError && caught[1].message === 'msg');
    assert.ok(caught[2] instanceof MultiArg && caught[2].c === 3);
    r.kill();
  });

  it('testSig_send_throw (item 22): returns undefined', () => {
    const ch = new Channel();
    let caught: unknown = null;
    new Tasklet(function* () {
      try {
        yield* ch.receive();
      } catch (e) {
        caught = e;
      }
    }).setup();
    run();
    const err = new Error('boom');
    assert.equal(ch.sendThrow(err).value, undefined);
    assert.equal(caught, err);
  });

  it('testSig_send_sequence (item 23): sending 42 items to a looping receiver returns 42', () => {
    const ch = new Channel<number>();
    const got: number[] = [];
    const r = new Tasklet(function* () {
      for (;;) got.push(yield* ch.receive());
    }).setup();
    run();
    assert.equal(ch.sendSequence(Array.from({ length: 42 }, (_, i) => i)).value, 42);
    assert.equal(got.length, 42);
    assert.equal(got[41], 41);
    r.kill();
  });

  it('testSig___iter__ / testSig_next (item 24): collect() after [0,1] then StopIteration is [0,1]', () => {
    const ch = new Channel<number>();
    new Tasklet(function* () {
      yield* ch.send(0);
      yield* ch.send(1);
      yield* ch.sendException(StopIteration);
    }).setup();
    assert.deepEqual(ch.collect().value, [0, 1]);
    run();
  });

  it('testSig_open / close (item 25): no args, return undefined', () => {
    const ch = new Channel();
    assert.equal(ch.close(), undefined);
    assert.equal(ch.open(), undefined);
  });
});

describe('tasklet signatures (TS tasklet/test_functionality)', () => {
  useCleanScheduler();
  function* f(..._args: unknown[]) {}

  it('testSig_constructor (item 26): (), (fn), (fn, args) return tasklets', () => {
    assert.ok(new Tasklet() instanceof Tasklet);
    assert.ok(new Tasklet(null) instanceof Tasklet);
    assert.ok(new Tasklet(f) instanceof Tasklet);
    const t = new Tasklet(f, [1, 2]);
    assert.ok(t.paused);
    t.kill();
  });

  it('testSig_bind (item 27): every form returns the tasklet', () => {
    const t = new Tasklet();
    assert.equal(t.bind(f), t);
    assert.equal(t.bind(f, []), t);
    assert.equal(t.bind(null), t);
    assert.equal(t.bind(), t);
    assert.equal(t.bind(f, [1]), t);
    assert.equal(t.bind(null), t);
    assert.equal(new Tasklet(f).bind(null, [2]).paused, true);
    assert.equal(t.bind(f).bind(null, [2]), t);
    t.bind(null);
  });

  it('testSig_setup (item 28): arbitrary args, returns the tasklet', () => {
    const t = new Tasklet(f);
    assert.equal(t.setup(1, 2, 3), t);
    t.remove();
    t.bind(f);
    assert.equal(t.setup(), t);
    t.remove();
    t.bind(null);
  });

  it('testSig_insert / testSig_remove (item 29): return the tasklet itself', () => {
    const t = new Tasklet(f, []);
    assert.equal(t.insert(), t);
    assert.equal(t.remove(), t);
    t.bind(null);
  });

  it('testSig_run / testSig_switch (item 30): return the caller\'s tempval', () => {
    const o = { o: 1 };
    const t = new Tasklet(f).setup();
    getCurrent().tempval = o;
    assert.equal(t.run().value, o);
    const t2 = new Tasklet(f).setup();
    getCurrent().tempval = o;
    assert.equal(t2.switch().value, o);
  });

  it('testSig_raise_exception (item 31): returns undefined; the paused target catches it each time', () => {
    class TestError extends Error {}
    let caught = 0;
    const t = new Tasklet(function* () {
      for (;;) {
        try {
          yield* scheduleRemove();
        } catch (e) {
          if (e instanceof TestError) caught++;
          else throw e;
        }
      }
    }).setup();
    t.run();
    assert.equal(t.raiseException(TestError).value, undefined);
    assert.equal(t.raiseException(TestError, 'with message').value, undefined);
    assert.equal(caught, 2);
    t.kill();
  });

  it('testSig_throw (item 32): every form returns undefined', () => {
    let caught = 0;
    const t = new Tasklet(function* () {
      for (;;) {
        try {
          yield* scheduleRemove();
        } catch (e) {
          if (isTaskletExit(e)) throw e;
          caught++;
        }
      }
    }).setup();
    t.run();
    assert.equal(t.throw(new Error('a')).value, undefined);
    assert.equal(t.throw(new Error('b'), { pending: false }).value, undefined);
    assert.equal(t.throw(new Error('c'), { pending: true }).value, undefined);
    t.run();
    assert.equal(caught, 3);
    t.kill();
  });

  it('testSig_kill (item 33): kill() / kill({pending:false}) return undefined', () => {
    const t = new Tasklet(f).setup();
    assert.equal(t.kill().value, undefined);
    const t2 = new Tasklet(f).setup();
    assert.equal(t2.kill({ pending: false }).value, undefined);
    assert.ok(!t.alive && !t2.alive);
  });

  it('testSig_set_atomic (item 34): returns a boolean', () => {
    const c = getCurrent();
    assert.equal(c.setAtomic(true), false);
    assert.equal(c.setAtomic(false), true);
    assert.equal(typeof atomic, 'function');
  });
});
