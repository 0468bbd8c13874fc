import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, getRunCount, run, runMain, schedule, Tasklet } from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

describe('ring order (spec §3.2, verified probe)', () => {
  useCleanScheduler();
  function* worker(log: string[], name: string) {
    log.push(`${name}1`);
    yield* schedule();
    log.push(`${name}2`);
  }
  it('b.run() from main skips tasklets between caller and target', () => {
    const log: string[] = [];
    new Tasklet(worker).setup(log, 'a');
    const b = new Tasklet(worker).setup(log, 'b');
    new Tasklet(worker).setup(log, 'c');
    b.run();
    log.push('main-back');
    run();
    log.push('main-end');
    assert.deepEqual(log.join(' '), 'b1 c1 main-back a1 b2 c2 a2 main-end');
  });
  it('b.switch() runs everything, then revives the floating main', () => {
    const log: string[] = [];
    new Tasklet(worker).setup(log, 'a');
    const b = new Tasklet(worker).setup(log, 'b');
    new Tasklet(worker).setup(log, 'c');
    b.switch();
    log.push('main-back');
    assert.deepEqual(log.join(' '), 'b1 c1 a1 b2 c2 a2 main-back');
  });
  it('a generator main receives what a tasklet sends', () => {
    const ch = new Channel<string>();
    const got = runMain(function* () {
      new Tasklet(function* () {
        yield* ch.send('hello');
      }).setup();
      return yield* ch.receive();
    });
    assert.equal(got, 'hello');
    // preference -1: the receiving main ran first; the sender is still queued.
    assert.equal(getRunCount(), 2);
    run();
  });
});
