/**
 * The error handler: stackless-tests.md §2.5 items 126-131, ported from test_miscell
 * TestErrorHandler.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CallbackError,
  Channel,
  getCurrent,
  getErrorHandler,
  run,
  runMain,
  schedule,
  setErrorHandler,
  Tasklet,
  type ErrorHandler,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

class ZeroDivisionError extends Error {}
class IndexError extends Error {}

describe('error handler (test_miscell TestErrorHandler)', () => {
  useCleanScheduler();

  it('test_set (item 126): returns the previous handler', () => {
    const f: ErrorHandler = () => {};
    assert.equal(setErrorHandler(f), null);
    assert.equal(getErrorHandler(), f);
    assert.equal(setErrorHandler(null), f);
    assert.equal(setErrorHandler(null), null);
    assert.throws(() => setErrorHandler(42 as never), { name: 'TypeError', message: /callable/ });
    assert.equal(getErrorHandler(), null, 'a bad handler changes nothing');
  });

  it('test_handler (item 127): an uncaught error calls the handler; run() returns normally', () => {
    const calls: [unknown, Tasklet][] = [];
    setErrorHandler((e, t) => {
      calls.push([e, t]);
    });
    const err = new ZeroDivisionError('div');
    const t = new Tasklet(function* () {
      throw err;
    }).setup();
    assert.equal(run().value, undefined);
    setErrorHandler(null);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]![0], err);
    assert.equal(calls[0]![1], t);
    assert.equal(t.alive, false);
  });

  it('test_borken_handler (item 128): a handler that raises: run() raises the new error', () => {
    setErrorHandler(() => {
      throw new IndexError('from the handler');
    });
    new Tasklet(function* () {
      throw new ZeroDivisionError();
    }).setup();
    try {
      assert.throws(() => run(), IndexError);
    } finally {
      setErrorHandler(null);
    }
  });

  it('test_early_hrow (item 129): an error thrown into an unstarted tasklet goes to the handler', () => {
    const seen: unknown[] = [];
    setErrorHandler((e) => {
      seen.push(e);
    });
    let ran = false;
    const t = new Tasklet(function* () {
      ran = true;
    }).setup();
    const err = new IndexError('early');
    t.throw(err);
    setErrorHandler(null);
    assert.deepEqual(seen, [err]);
    assert.equal(ran, false);
    assert.equal(t.alive, false);
  });

  it('test_getcurrent (item 130): inside the handler getCurrent() is the failing tasklet', () => {
    const currents: Tasklet[] = [];
    setErrorHandler(() => {
      currents.push(getCurrent());
    });
    const a = new Tasklet(function* () {}).setup();
    a.throw(new IndexError());
    const b = new Tasklet(function* () {
      throw new ZeroDivisionError();
    }).setup();
    run();
    setErrorHandler(null);
    assert.deepEqual(currents, [a, b]);
  });

  it('test_throw_pending (item 131): a pending throw does not call the handler until the target runs', () => {
    const seen: unknown[] = [];
    setErrorHandler((e) => {
      seen.push(e);
    });
    const t = new Tasklet(function* () {
      yield* schedule();
    }).setup();
    t.run();
    t.throw(new IndexError(), { pending: true });
    assert.equal(seen.length, 0);
    run();
    setErrorHandler(null);
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof IndexError);
  });

  it('the handler runs in the dying tasklet: a switching operation there is a CallbackError that says so', () => {
    let err: unknown = null;
    const ch = new Channel<unknown>();
    setErrorHandler((e) => {
      try {
        ch.send(e);
      } catch (x) {
        err = x;
      }
    });
    new Tasklet(function* () {
      throw new ZeroDivisionError();
    }).setup();
    run();
    setErrorHandler(null);
    assert.ok(err instanceof CallbackError);
    assert.match(err.message, /inside the error handler: it runs in the dying tasklet, which cannot suspend/);
    assert.equal(ch.balance, 0);
    // the handler may still create and schedule tasklets (that does not switch)
    const errors: unknown[] = [];
    setErrorHandler((e) => {
      new Tasklet(function* () {
        errors.push(e);
      }).setup();
    });
    new Tasklet(function* () {
      throw new IndexError('reported later');
    }).setup();
    run();
    setErrorHandler(null);
    assert.equal(errors.length, 1);
  });

  it('TaskletExit never reaches the handler', () => {
    const seen: unknown[] = [];
    setErrorHandler((e) => {
      seen.push(e);
    });
    const t = new Tasklet(function* () {
      yield* schedule();
    }).setup();
    t.run();
    t.kill();
    setErrorHandler(null);
    assert.equal(seen.length, 0);
  });

  it('a generator main blocked in schedule() is not disturbed by a handled error', () => {
    const seen: unknown[] = [];
    setErrorHandler((e) => {
      seen.push(e);
    });
    try {
      const r = runMain(function* () {
        new Tasklet(function* () {
          throw new ZeroDivisionError();
        }).setup();
        yield* schedule();
        return 'main continued';
      });
      assert.equal(r, 'main continued');
    } finally {
      setErrorHandler(null);
    }
    assert.equal(seen.length, 1);
  });
});
