/**
 * Schedule and channel callbacks: stackless-tests.md §2.9 (items 177-184) and item 107,
 * ported from test_sched_cb, test_chan_cb and test_defects TestExceptionInScheduleCallback.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Bomb,
  CallbackError,
  Channel,
  getChannelCallback,
  getCurrent,
  getMain,
  getScheduleCallback,
  run,
  schedule,
  setChannelCallback,
  setScheduleCallback,
  Tasklet,
  type ChannelCallback,
  type ScheduleCallback,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

/** Capture what the runtime reports on stderr (console.error) while `fn` runs. */
function captureStderr(fn: () => void): string {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => {
    lines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
  };
  try {
    fn();
  } finally {
    console.error = original;
  }
  return lines.join('\n');
}

function* schedules(n: number) {
  for (let i = 0; i < n; i++) yield* schedule();
}

describe('schedule callback (test_sched_cb)', () => {
  useCleanScheduler();

  it('test0 (item 177): not called before run(); two tasklets x 3 schedules give >= 6 calls', () => {
    let calls = 0;
    setScheduleCallback(() => {
      calls++;
    });
    new Tasklet(schedules).setup(3);
    new Tasklet(schedules).setup(3);
    assert.equal(calls, 0);
    run();
    assert.ok(calls >= 6, `calls = ${calls}`);
  });

  it('test1 (item 178): replacing the callback stops the old one; null stops all', () => {
    let a = 0;
    let b = 0;
    setScheduleCallback(() => {
      a++;
    });
    new Tasklet(schedules).setup(2);
    run();
    const aBefore = a;
    assert.ok(aBefore > 0);
    setScheduleCallback(() => {
      b++;
    });
    new Tasklet(schedules).setup(2);
    run();
    assert.equal(a, aBefore);
    const bFew = b;
    new Tasklet(schedules).setup(10);
    run();
    assert.ok(b > bFew, 'more switches, more calls');
    setScheduleCallback(null);
    const bEnd = b;
    new Tasklet(schedules).setup(2);
    run();
    assert.equal(b, bEnd);
  });

  it('test2currentWithPrevAndNext (item 179): during the callback getCurrent() is prev', () => {
    const seen: boolean[] = [];
    setScheduleCallback((prev) => {
      seen.push(getCurrent() === prev);
    });
    new Tasklet(schedules).setup(2);
    new Tasklet(schedules).setup(2);
    run();
    assert.ok(seen.length > 0);
    assert.ok(seen.every(Boolean));
  });

  it('testGetCallback (item 180)', () => {
    const cb: ScheduleCallback = () => {};
    assert.equal(getScheduleCallback(), null);
    assert.equal(setScheduleCallback(cb), null);
    assert.equal(getScheduleCallback(), cb);
    assert.equal(setScheduleCallback(null), cb);
    assert.equal(getScheduleCallback(), null);
    assert.throws(() => setScheduleCallback(1 as never), { name: 'TypeError', message: /schedule callback must be callable/ });
  });

  it('TestExceptionInScheduleCallback (item 183): a raising callback does not break run(); reported on stderr', () => {
    let done = false;
    setScheduleCallback((_prev, next) => {
      if (next.isMain) throw new Error('callback failure');
    });
    const err = captureStderr(() => {
      new Tasklet(function* () {
        yield* schedule();
        done = true;
      }).setup();
      run();
    });
    setScheduleCallback(null);
    assert.equal(done, true);
    assert.match(err, /Error in scheduling callback/);
    assert.match(err, /callback failure/);
  });

  it('verified probe (item 184): run() over one tasklet that schedules once sees main→t, t→main only', () => {
    const calls: string[] = [];
    const t = new Tasklet(function* () {
      yield* schedule();
    });
    const name = (x: Tasklet | null) => (x === null ? 'null' : x === t ? 't' : x === getMain() ? 'main' : '?');
    setScheduleCallback((prev, next) => {
      calls.push(`${name(prev)}>${name(next)}`);
    });
    t.setup();
    run();
    assert.deepEqual(calls, ['main>t', 't>main']);
  });

  it('a switching operation inside the schedule callback is refused', () => {
    let err: unknown = null;
    const ch = new Channel();
    setScheduleCallback(() => {
      try {
        schedule();
      } catch (e) {
        err ??= e;
      }
      try {
        ch.send(1);
      } catch {
        // also refused
      }
    });
    new Tasklet(function* () {}).setup();
    run();
    setScheduleCallback(null);
    assert.ok(err instanceof CallbackError);
    assert.match(err.message, /Recursive scheduler call due to callbacks!/);
    assert.equal(ch.balance, 0);
  });
});

describe('channel callback (test_chan_cb)', () => {
  useCleanScheduler();

  it('test0 (item 181): (channel, main, sending, !willBlock) and the value in tempval', () => {
    const ch = new Channel<number>();
    new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    run();
    const calls: unknown[][] = [];
    setChannelCallback((c, t, sending, willBlock) => {
      calls.push([c, t, sending, willBlock, t.tempval]);
    });
    ch.send(42);
    setChannelCallback(null);
    assert.deepEqual(calls, [[ch, getMain(), true, false, 42]]);
  });

  it('every operation is reported, before it acts, with willBlock (item 107)', () => {
    const ch = new Channel<string>();
    const calls: string[] = [];
    setChannelCallback((_c, t, sending, willBlock) => {
      const v = t.tempval instanceof Bomb ? 'bomb' : String(t.tempval);
      calls.push(`${t.isMain ? 'main' : 't'} ${sending ? 'send' : 'recv'} ${willBlock ? 'blocks' : 'ok'} ${v}`);
    });
    new Tasklet(function* () {
      yield* ch.send('in flight');
      yield* ch.sendException(Error, 'x');
    }).setup();
    run();
    ch.receive();
    assert.throws(() => ch.receive());
    setChannelCallback(null);
    run();
    assert.deepEqual(calls, [
      't send blocks in flight',
      'main recv ok undefined',
      // preference -1: main (receiving) continued, so t had not re-run yet
      'main recv blocks undefined',
      't send ok bomb',
    ]);
  });

  it('testGetCallback (item 182)', () => {
    const cb: ChannelCallback = () => {};
    assert.equal(getChannelCallback(), null);
    assert.equal(setChannelCallback(cb), null);
    assert.equal(getChannelCallback(), cb);
    assert.equal(setChannelCallback(null), cb);
    assert.equal(getChannelCallback(), null);
    assert.throws(() => setChannelCallback('x' as never), { name: 'TypeError', message: /channel callback must be callable/ });
  });

  it('a channel operation inside the channel callback is refused: "Recursive channel call due to callbacks!"', () => {
    const ch = new Channel<number>();
    const other = new Channel<number>();
    let err: unknown = null;
    new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    run();
    setChannelCallback(() => {
      try {
        other.send(1);
      } catch (e) {
        err = e;
      }
    });
    ch.send(1);
    setChannelCallback(null);
    assert.ok(err instanceof CallbackError);
    assert.match(err.message, /Recursive channel call due to callbacks!/);
    assert.equal(other.balance, 0);
  });

  it('an error in the channel callback is reported and ignored (spec §2.2 advice)', () => {
    const ch = new Channel<number>();
    let got = 0;
    new Tasklet(function* () {
      got = yield* ch.receive();
    }).setup();
    run();
    setChannelCallback(() => {
      throw new Error('cb broke');
    });
    const err = captureStderr(() => ch.send(3));
    setChannelCallback(null);
    assert.equal(got, 3);
    assert.match(err, /Error in channel callback/);
  });
});
