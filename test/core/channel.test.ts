/**
 * Channels: stackless-tests.md §2.4 (items 83-104, 106-108), ported from test_channel
 * TestChannels/TestClose/Subclassing and stackless-testsuite channel/test_functionality.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BlockTrapError,
  bomb,
  Channel,
  ChannelClosedError,
  DeadlockError,
  getCurrent,
  getRunCount,
  run,
  runMain,
  StopIteration,
  Tasklet,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

class ValueError extends Error {
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    super(args.join(', '));
    this.args = args;
  }
}

describe('blocking and non-blocking (test_channel TestChannels)', () => {
  useCleanScheduler();

  it('testBlockingSend (item 83)', () => {
    const ch = new Channel<number>();
    const t = new Tasklet(function* () {
      yield* ch.send(1);
    }).setup();
    run();
    assert.equal(t.blocked, true);
    assert.equal(ch.balance, 1);
    ch.checkInvariants();
    t.kill();
    assert.equal(ch.balance, 0);
  });

  it('testBlockingReceive (item 84)', () => {
    const ch = new Channel<number>();
    const t = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    run();
    assert.equal(t.blocked, true);
    assert.equal(ch.balance, -1);
    ch.checkInvariants();
    t.kill();
    assert.equal(ch.balance, 0);
  });

  it('testNonBlockingSend (item 85): main with blockTrap sends to a waiting receiver', () => {
    const ch = new Channel<object>();
    const value = { v: 1 };
    let got: unknown = null;
    new Tasklet(function* () {
      got = yield* ch.receive();
    }).setup();
    run();
    const main = getCurrent();
    main.blockTrap = true;
    try {
      ch.send(value);
    } finally {
      main.blockTrap = false;
    }
    assert.equal(got, value);
  });

  it('testNonBlockingReceive (item 86): main with blockTrap receives from a waiting sender', () => {
    const ch = new Channel<object>();
    const value = { v: 2 };
    new Tasklet(function* () {
      yield* ch.send(value);
    }).setup();
    run();
    const main = getCurrent();
    main.blockTrap = true;
    let got: unknown;
    try {
      got = ch.receive().value;
    } finally {
      main.blockTrap = false;
    }
    assert.equal(got, value);
    run();
  });

  it('testMainTaskletBlockingWithoutASender (item 87): plain main and generator main', () => {
    const ch = new Channel();
    assert.throws(() => ch.receive(), DeadlockError);
    assert.throws(
      () =>
        runMain(function* () {
          yield* ch.receive();
        }),
      DeadlockError,
    );
    assert.equal(ch.balance, 0, 'misuse changes nothing');
  });

  it('testSendException (item 89): the receiver raises the class built from the args', () => {
    const ch = new Channel();
    new Tasklet(function* () {
      yield* ch.sendException(ValueError, 1, 2, 3);
    }).setup();
    run();
    assert.throws(
      () => ch.receive(),
      (e: unknown) => e instanceof ValueError && JSON.stringify(e.args) === '[1,2,3]',
    );
    run();
  });

  it('testSendThrow (item 90): an existing error crosses the channel with its stack trace', () => {
    const ch = new Channel();
    function bar(): never {
      throw new ValueError(1, 2, 3);
    }
    new Tasklet(function* () {
      try {
        bar();
      } catch (e) {
        yield* ch.sendThrow(e);
      }
    }).setup();
    run();
    let err: unknown = null;
    try {
      ch.receive();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ValueError);
    assert.deepEqual(err.args, [1, 2, 3]);
    assert.match(err.stack ?? '', /at bar /);
    run();
  });

  it('a raw Bomb sent with plain send() explodes in the receiver (spec §5.2)', () => {
    const ch = new Channel<unknown>();
    let caught: unknown = null;
    new Tasklet(function* () {
      try {
        yield* ch.receive();
      } catch (e) {
        caught = e;
      }
    }).setup();
    run();
    const err = new Error('in a bomb');
    ch.send(bomb(err));
    assert.equal(caught, err);
  });

  it('testBlockTrapSend / testBlockTrapRecv (item 91): in main and in a tasklet', () => {
    const ch = new Channel<number>();
    const main = getCurrent();
    main.blockTrap = true;
    try {
      assert.throws(() => ch.send(1), { name: 'BlockTrapError', message: /does not like to be blocked/ });
      assert.throws(() => ch.receive(), BlockTrapError);
    } finally {
      main.blockTrap = false;
    }
    const errors: unknown[] = [];
    let continued = false;
    new Tasklet(function* () {
      getCurrent().blockTrap = true;
      try {
        yield* ch.send(1);
      } catch (e) {
        errors.push(e);
      }
      try {
        yield* ch.receive();
      } catch (e) {
        errors.push(e);
      }
      continued = true;
    }).setup();
    run();
    assert.equal(errors.length, 2);
    assert.ok(errors.every((e) => e instanceof BlockTrapError));
    assert.equal(continued, true);
    assert.equal(ch.balance, 0);
  });
});

describe('close and iteration (test_channel TestClose)', () => {
  useCleanScheduler();

  it('testSequence (item 92): close does not wake the receiver; the sender pumps it', () => {
    const ch = new Channel<number | null>();
    const out: (number | null)[] = [];
    new Tasklet(function* () {
      yield* ch.sendSequence([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      ch.close();
      while (ch.closing && !ch.closed) yield* ch.send(null);
    }).setup();
    new Tasklet(function* () {
      for (;;) {
        const r = yield* ch.next();
        if (r.done === true) break;
        out.push(r.value);
      }
      out.push(10);
    }).setup();
    run();
    assert.deepEqual(
      out.filter((x) => x !== null),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(ch.closed, true);
  });

  it('testSequence2 (item 93): sendSequence returns 10, then StopIteration ends the loop', () => {
    const ch = new Channel<number>();
    let sent = -1;
    let out: number[] = [];
    new Tasklet(function* () {
      sent = yield* ch.sendSequence([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      yield* ch.sendException(StopIteration);
      ch.close();
    }).setup();
    new Tasklet(function* () {
      out = yield* ch.collect();
    }).setup();
    run();
    assert.equal(sent, 10);
    assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(ch.closed, true);
  });

  it('TS testSequence (item 94): sendThrow(StopIteration) then close; forEach ends', () => {
    const ch = new Channel<number>();
    const out: number[] = [];
    new Tasklet(function* () {
      yield* ch.sendSequence([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      yield* ch.sendThrow(new StopIteration());
      ch.close();
    }).setup();
    new Tasklet(function* () {
      yield* ch.forEach((x) => {
        out.push(x);
      });
      out.push(10);
    }).setup();
    run();
    assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(ch.closed, true);
  });

  it('testSender / testReceiver (item 95): send/receive on a closed empty channel', () => {
    const ch = new Channel<number>();
    ch.close();
    assert.equal(ch.closed, true);
    assert.throws(() => ch.send(1), { name: 'ChannelClosedError', message: /closed channel/ });
    assert.throws(() => ch.receive(), ChannelClosedError);
    const errors: unknown[] = [];
    new Tasklet(function* () {
      try {
        yield* ch.send(1);
      } catch (e) {
        errors.push(e);
      }
      try {
        yield* ch.receive();
      } catch (e) {
        errors.push(e);
      }
    }).setup();
    run();
    assert.equal(errors.filter((e) => e instanceof ChannelClosedError).length, 2);
    assert.equal(ch.balance, 0);
  });

  it('testIterator (item 96): next() on a closed channel is done', () => {
    const ch = new Channel<number>();
    ch.close();
    assert.deepEqual(ch.next().value, { done: true, value: undefined });
    assert.deepEqual(ch.collect().value, []);
  });

  it('verified probe (item 106): a waiting sender is still received from after close; close wakes no receiver', () => {
    const ch = new Channel<number>();
    new Tasklet(function* () {
      yield* ch.send(5);
    }).setup();
    run();
    ch.close();
    assert.equal(ch.closing, true);
    assert.equal(ch.closed, false);
    assert.equal(ch.receive().value, 5);
    assert.equal(ch.closed, true);
    run();

    const ch2 = new Channel<number>();
    const r = new Tasklet(function* () {
      yield* ch2.receive();
    }).setup();
    run();
    ch2.close();
    run();
    assert.equal(r.blocked, true, 'close() does not wake a blocked receiver');
    assert.equal(ch2.closed, false);
    r.kill();
    assert.equal(ch2.closed, true);
  });

  it('test_init (item 97): a channel subclass with its own constructor', () => {
    class Named<T> extends Channel<T> {
      constructor(readonly label: string) {
        super({ name: label });
      }
    }
    const ch = new Named<number>('x');
    new Tasklet(function* () {
      yield* ch.send(1);
    }).setup();
    assert.equal(ch.receive().value, 1);
    assert.equal(ch.label, 'x');
    run();
  });
});

describe('channel attributes (TS channel/test_functionality)', () => {
  useCleanScheduler();

  it('testAttr_balance (item 100): blocked senders and receivers, then killed', () => {
    const ch = new Channel<number>();
    const s1 = new Tasklet(function* () {
      yield* ch.send(1);
    }).setup();
    s1.run();
    assert.equal(ch.balance, 1);
    const s2 = new Tasklet(function* () {
      yield* ch.send(2);
    }).setup();
    s2.run();
    assert.equal(ch.balance, 2);
    s1.kill();
    assert.equal(ch.balance, 1);
    s2.kill();
    assert.equal(ch.balance, 0);
    const r1 = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    r1.run();
    assert.equal(ch.balance, -1);
    const r2 = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    r2.run();
    assert.equal(ch.balance, -2);
    ch.checkInvariants();
    r1.kill();
    assert.equal(ch.balance, -1);
    r2.kill();
    assert.equal(ch.balance, 0);
    ch.checkInvariants();
  });

  it('testAttr_closing_closed (item 101)', () => {
    const ch = new Channel<number>();
    assert.equal(ch.closing, false);
    assert.equal(ch.closed, false);
    const s = new Tasklet(function* () {
      yield* ch.send(1);
    }).setup();
    run();
    ch.close();
    assert.equal(ch.closing, true);
    assert.equal(ch.closed, false);
    s.kill();
    assert.equal(ch.closed, true);
    ch.open();
    assert.equal(ch.closing, false);
    assert.equal(ch.closed, false);
  });

  it('testAttr_queue (item 102): FIFO through queue.next; ends are null', () => {
    const ch = new Channel<number>();
    assert.equal(ch.queue, null);
    const s1 = new Tasklet(function* () {
      yield* ch.send(1);
    }).setup();
    const s2 = new Tasklet(function* () {
      yield* ch.send(2);
    }).setup();
    run();
    assert.equal(ch.queue, s1);
    assert.equal(s1.next, s2);
    assert.equal(s2.next, null);
    assert.equal(s1.prev, null);
    assert.equal(ch.receive().value, 1);
    assert.equal(ch.receive().value, 2);
    run();
  });

  it('testTemporaryChannel (item 104): a tasklet blocked on an unreferenced channel does not break run()', () => {
    const t = new Tasklet(function* () {
      yield* new Channel().receive();
    }).setup();
    const other = new Tasklet(function* () {}).setup();
    assert.equal(run().value, undefined);
    assert.equal(t.blocked, true);
    assert.equal(other.alive, false);
    t.kill();
  });

  it('verified probe (item 107): a blocked sender\'s tempval holds the value in flight', () => {
    const ch = new Channel<string>();
    const s = new Tasklet(function* () {
      yield* ch.send('in flight');
    }).setup();
    run();
    assert.equal(s.tempval, 'in flight');
    assert.equal(ch.receive().value, 'in flight');
    run();
    assert.equal(s.tempval, undefined);
  });

  it('test_send_recv (item 108): 3 clients x 20 sends; sendException(StopIteration) ends the server and comes back to main', () => {
    const ch = new Channel<number>();
    let count = 0;
    new Tasklet(function* () {
      for (;;) {
        yield* ch.receive();
        count++;
      }
    }).setup();
    for (let c = 0; c < 3; c++)
      new Tasklet(function* () {
        for (let i = 0; i < 20; i++) yield* ch.send(i);
      }).setup();
    run();
    assert.equal(count, 60);
    assert.throws(() => ch.sendException(StopIteration), StopIteration);
    assert.equal(getRunCount(), 1);
  });
});
