/**
 * run() from non-main tasklets and nested run(): stackless-tests.md §2.7 items 152-158
 * (test_watchdog TestNewWatchdog), the parts that do not need preemption.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, checkInvariants, getMain, getRunCount, run, runMain, schedule, Tasklet } from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

class InnerError extends Error {}

describe('non-main and nested run() (test_watchdog TestNewWatchdog)', () => {
  useCleanScheduler();

  it('test_run_from_worker (item 152): the runner\'s run() waits while main is runnable', () => {
    const log: string[] = [];
    const runner = new Tasklet(function* () {
      yield* run();
      log.push('runner returned');
    }).setup();
    new Tasklet(function* () {
      log.push('worker');
    }).setup();
    for (let i = 0; i < 3; i++) schedule();
    assert.deepEqual(log, ['worker']);
    assert.equal(runner.paused, true, 'the runner waits in run()');
    assert.equal(checkInvariants().watchdogs, 1);
    runner.run();
    assert.deepEqual(log, ['worker', 'runner returned']);
    assert.equal(runner.alive, false);
  });

  it('test_run_from_worker_main_blocked (item 153): the runner\'s run() returns when the queue empties', () => {
    const ch = new Channel<string>();
    const log: string[] = [];
    const got = runMain(function* () {
      new Tasklet(function* () {
        yield* run();
        log.push('runner returned');
        yield* ch.send('from runner');
      }).setup();
      new Tasklet(function* () {
        log.push('worker');
      }).setup();
      return yield* ch.receive();
    });
    assert.equal(got, 'from runner');
    assert.deepEqual(log, ['worker', 'runner returned']);
    run();
  });

  it('test_run_from_worker_main_running / test_inner_run_completes_first (items 154, 155)', () => {
    const log: string[] = [];
    let mainPausedWhenInnerReturned: boolean | null = null;
    new Tasklet(function* () {
      new Tasklet(function* () {
        log.push('worker');
      }).setup();
      yield* run();
      mainPausedWhenInnerReturned = getMain().paused;
      log.push('inner run returned');
    }).setup();
    run();
    log.push('outer run returned');
    assert.deepEqual(log, ['worker', 'inner run returned', 'outer run returned']);
    assert.equal(mainPausedWhenInnerReturned, true);
  });

  it('test_inner_run_gets_error (item 156): the inner run() raises, not main\'s', () => {
    let innerCaught: unknown = null;
    new Tasklet(function* () {
      new Tasklet(function* () {
        throw new InnerError('inner');
      }).setup();
      try {
        yield* run();
      } catch (e) {
        innerCaught = e;
      }
    }).setup();
    assert.equal(run().value, undefined, 'main\'s run() returns normally');
    assert.ok(innerCaught instanceof InnerError);
  });

  it('test_manual_wakeup (item 157): main.run() from a tasklet wakes the outer watchdog', () => {
    const log: string[] = [];
    const runner = new Tasklet(function* () {
      yield* run();
      log.push('inner returned');
    }).setup();
    new Tasklet(function* () {
      log.push('worker');
      yield* getMain().run();
      log.push('worker end');
    }).setup();
    run();
    assert.deepEqual(log, ['worker']);
    assert.equal(checkInvariants().watchdogs, 0, 'waking main popped the deeper watchdog too');
    assert.equal(runner.scheduled, true, 'the deeper watchdog is runnable again');
    run();
    assert.deepEqual(log, ['worker', 'worker end', 'inner returned']);
  });

  it('test_main_exiting (item 158): with a tasklet parked in its own run(), main\'s run() returns at once', () => {
    const runner = new Tasklet(function* () {
      yield* run();
    }).setup();
    runner.run();
    assert.equal(runner.paused, true);
    for (let i = 0; i < 3; i++) assert.equal(run().value, undefined);
    assert.equal(getRunCount(), 1);
    runner.kill();
    assert.equal(runner.alive, false);
    assert.equal(checkInvariants().watchdogs, 0);
  });

  it('inside run(), the caller is paused and not counted (spec §2.1)', () => {
    let seen: [boolean, number] | null = null;
    new Tasklet(function* () {
      seen = [getMain().paused, getRunCount()];
    }).setup();
    run();
    assert.deepEqual(seen, [true, 1]);
  });

  it('a generator main nests run() in a tasklet too', () => {
    const log: string[] = [];
    runMain(function* () {
      new Tasklet(function* () {
        new Tasklet(function* () {
          log.push('w');
          yield* schedule();
          log.push('w2');
        }).setup();
        yield* run();
        log.push('inner');
      }).setup();
      yield* run();
      log.push('outer');
    });
    assert.deepEqual(log, ['w', 'w2', 'inner', 'outer']);
  });
});
