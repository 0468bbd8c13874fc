/**
 * Channel preference and scheduleAll: stackless-tests.md §2.4 items 98, 99, 105 (the verified
 * preference matrix of spec §5.1) and item 49's preference variant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Channel, getRunCount, run, runMain, Tasklet } from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

type Setting = -1 | 0 | 1 | 'scheduleAll';

/**
 * Main operates on a channel where partner P is blocked, with another runnable tasklet X
 * queued. Returns the order in which P, X and main continue.
 */
function order(setting: Setting, mainDoes: 'send' | 'receive', form: 'plain' | 'generator'): string {
  const ch = new Channel<number>();
  if (setting === 'scheduleAll') ch.scheduleAll = true;
  else ch.preference = setting;
  const log: string[] = [];
  new Tasklet(function* () {
    if (mainDoes === 'send') yield* ch.receive();
    else yield* ch.send(1);
    log.push('P');
  }).setup();
  run();
  assert.equal(ch.balance, mainDoes === 'send' ? -1 : 1);
  new Tasklet(function* () {
    log.push('X');
  }).setup();
  if (form === 'plain') {
    if (mainDoes === 'send') ch.send(1);
    else ch.receive();
    log.push('main');
  } else {
    runMain(function* () {
      if (mainDoes === 'send') yield* ch.send(1);
      else yield* ch.receive();
      log.push('main');
    });
  }
  run();
  assert.equal(getRunCount(), 1);
  return log.join(',');
}

describe('preference matrix (verified probe, item 105)', () => {
  useCleanScheduler();
  const expected: [Setting, string, string][] = [
    [-1, 'P,X,main', 'main,X,P'],
    [0, 'main,X,P', 'main,X,P'],
    [1, 'main,X,P', 'P,X,main'],
    ['scheduleAll', 'X,P,main', 'X,P,main'],
  ];
  for (const [setting, send, receive] of expected) {
    for (const form of ['plain', 'generator'] as const) {
      it(`preference ${setting}, ${form} main: send → ${send}; receive → ${receive}`, () => {
        assert.equal(order(setting, 'send', form), send);
        assert.equal(order(setting, 'receive', form), receive);
      });
    }
  }

  it('scheduleAll overrides preference', () => {
    for (const p of [-1, 0, 1] as const) {
      const ch = new Channel<number>();
      ch.preference = p;
      ch.scheduleAll = true;
      const log: string[] = [];
      new Tasklet(function* () {
        yield* ch.receive();
        log.push('P');
      }).setup();
      run();
      new Tasklet(function* () {
        log.push('X');
      }).setup();
      ch.send(1);
      log.push('main');
      run();
      assert.equal(log.join(','), 'X,P,main');
    }
  });
});

describe('preference / scheduleAll attributes (TS ChannelTest)', () => {
  useCleanScheduler();

  it('testAttr_preference (item 98): default -1, clamped by sign, non-integer rejected', () => {
    const ch = new Channel();
    assert.equal(ch.preference, -1);
    for (const [set, get] of [
      [0, 0],
      [1, 1],
      [-1, -1],
      [2, 1],
      [-2, -1],
      [true, 1],
      [false, 0],
    ] as const) {
      ch.preference = set;
      assert.equal(ch.preference, get, `set ${set}`);
    }
    ch.preference = -1;
    assert.throws(() => {
      ch.preference = 1.5;
    }, { name: 'TypeError', message: /preference must be set to an integer/ });
    assert.throws(() => {
      ch.preference = '1' as never;
    }, TypeError);
    assert.equal(ch.preference, -1, 'bad preference changes nothing');
    ch.checkInvariants();
  });

  it('testAttr_preference (property): any integer is clamped to its sign', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const ch = new Channel();
        ch.preference = n;
        return ch.preference === Math.sign(n) + 0;
      }),
      { numRuns: 200 },
    );
  });

  it('testAttr_schedule_all (item 99): default false; non-zero → true; float rejected', () => {
    const ch = new Channel();
    assert.equal(ch.scheduleAll, false);
    ch.scheduleAll = 5;
    assert.equal(ch.scheduleAll, true);
    ch.scheduleAll = 0;
    assert.equal(ch.scheduleAll, false);
    ch.scheduleAll = true;
    assert.equal(ch.scheduleAll, true);
    ch.scheduleAll = false;
    assert.equal(ch.scheduleAll, false);
    assert.throws(() => {
      ch.scheduleAll = 0.5;
    }, TypeError);
    assert.equal(ch.scheduleAll, false);
  });

  it('the pump idiom (spec §5.4): receivers with preference 1 are queued, not run, by the pump', () => {
    const ch = new Channel<null>();
    ch.preference = 1;
    const log: string[] = [];
    for (const name of ['a', 'b', 'c'])
      new Tasklet(function* () {
        yield* ch.receive();
        log.push(name);
      }).setup();
    run();
    assert.equal(ch.balance, -3);
    while (ch.balance < 0) ch.send(null);
    log.push('pump done');
    run();
    assert.equal(log.join(','), 'pump done,a,b,c');
  });
});
