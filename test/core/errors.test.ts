/**
 * The error catalogue (spec §13) and "misuse changes nothing": every misuse raises a typed
 * error whose message starts with Stackless's wording, and leaves the scheduler, the
 * tasklets and the channels as they were.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Channel,
  ChannelClosedError,
  checkInvariants,
  DeadlockError,
  getCurrent,
  getMain,
  getRunCount,
  run,
  runMain,
  runMainAsync,
  schedule,
  switchTrap,
  Tasklet,
  TaskletStateError,
  UsageError,
  call,
  type TaskletStatus,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';
import { Gate } from '../support/gate.js';

/** Snapshot of everything a misuse must not change. */
function snapshot(ts: Tasklet[], chs: Channel<unknown>[]) {
  return JSON.stringify({
    sched: checkInvariants(),
    tasklets: ts.map((t) => [t.status satisfies TaskletStatus, t.next?.id ?? null, t.prev?.id ?? null]),
    channels: chs.map((c) => [c.balance, c.queue?.id ?? null, c.closing, c.preference]),
  });
}

/** Assert `fn` throws `expected` and changes nothing observable. */
function misuse(fn: () => unknown, expected: assert.AssertPredicate, ts: Tasklet[] = [], chs: Channel<unknown>[] = []) {
  const before = snapshot(ts, chs);
  assert.throws(fn, expected);
  assert.equal(snapshot(ts, chs), before, 'misuse changed nothing');
  for (const t of ts) t.checkInvariants();
  for (const c of chs) c.checkInvariants();
}

describe('error catalogue: tasklets (spec §13 scheduling/binding)', () => {
  useCleanScheduler();

  it('insert() of a blocked tasklet: "You cannot run a blocked tasklet"', () => {
    const ch = new Channel();
    const b = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    run();
    misuse(() => b.insert(), { name: 'TaskletStateError', message: /^You cannot run a blocked tasklet/ }, [b], [ch]);
    misuse(() => b.run(), /^TaskletStateError: You cannot run a blocked tasklet/, [b], [ch]);
    misuse(() => b.remove(), { message: /^You cannot remove a blocked tasklet\./ }, [b], [ch]);
    b.kill();
  });

  it('insert() of a dead or unbound tasklet: "You cannot run an unbound(dead) tasklet"', () => {
    const dead = new Tasklet(function* () {}).setup();
    run();
    const fresh = new Tasklet();
    for (const t of [dead, fresh]) {
      misuse(() => t.insert(), { name: 'TaskletStateError', message: /^You cannot run an unbound\(dead\) tasklet/ }, [t]);
      misuse(() => t.run(), /unbound\(dead\)/, [t]);
      misuse(() => t.switch(), /unbound\(dead\)/, [t]);
    }
  });

  it('remove() of the current tasklet: "The current tasklet cannot be removed."', () => {
    misuse(() => getCurrent().remove(), { name: 'TaskletStateError', message: /^The current tasklet cannot be removed\./ }, [getMain()]);
  });

  it('setup() of an alive tasklet: "tasklet is alive"; of an unbound one: "not bound to a function"', () => {
    const t = new Tasklet(function* () {}).setup();
    misuse(() => t.setup(), { name: 'TaskletStateError', message: /^tasklet is alive/ }, [t]);
    const p = new Tasklet(function* () {}, []);
    misuse(() => p.setup(), /tasklet is alive/, [p]);
    const u = new Tasklet();
    misuse(() => u.setup(), { name: 'TaskletStateError', message: /^the tasklet was not bound to a function/ }, [u]);
    t.kill();
  });

  it('bind: "callable", "current tasklet", "tasklet is scheduled", "can\'t unbind the main tasklet"', () => {
    const t = new Tasklet(function* () {}).setup();
    misuse(() => t.bind(function* () {}), /^TaskletStateError: tasklet is scheduled/, [t]);
    misuse(() => new Tasklet().bind({} as never), { name: 'TypeError', message: /^tasklet function must be a callable or None/ });
    misuse(() => getMain().bind(null), /^TaskletStateError: can't \(re\)bind the current tasklet/, [getMain()]);
    t.kill();
  });

  it('throw into a dead tasklet: "You cannot throw to a dead tasklet"', () => {
    const t = new Tasklet(function* () {}).setup();
    run();
    misuse(() => t.throw(new Error('x')), { name: 'TaskletStateError', message: /^You cannot throw to a dead tasklet/ }, [t]);
  });

  it('raiseException with a non-error class: TypeError "needs Exception"', () => {
    const t = new Tasklet(function* () {}).setup();
    misuse(() => (t.raiseException as (c: unknown) => unknown)(Number), { name: 'TypeError', message: /^tasklet\.raiseException needs Exception/ }, [t]);
    t.kill();
  });

  it('flags: setAtomic and blockTrap need a bool or integer', () => {
    const c = getCurrent();
    misuse(() => c.setAtomic('x' as never), /^TypeError: set_atomic needs exactly one bool or integer/);
    misuse(() => {
      c.blockTrap = 'x' as never;
    }, /^TypeError: block_trap must be set to a bool or integer/);
    assert.equal(c.atomic, false);
    assert.equal(c.blockTrap, false);
  });

  it('switchTrap: the "switch_trap" message says how to undo it', () => {
    const t = new Tasklet(function* () {}).setup();
    switchTrap(1);
    try {
      misuse(() => schedule(), { name: 'SwitchTrapError', message: /^switch_trap.*switchTrap\(-1\)/ }, [t]);
    } finally {
      switchTrap(-1);
    }
    misuse(() => switchTrap(0.5), TypeError);
    t.kill();
  });

  it('run({ timeout }) is refused until preemption exists', () => {
    const t = new Tasklet(function* () {}).setup();
    misuse(() => run({ timeout: 100 }), { name: 'UsageError', message: /timeout/ }, [t]);
    t.kill();
  });
});

describe('error catalogue: channels (spec §13 channel)', () => {
  useCleanScheduler();

  it('bad preference: TypeError "preference must be set to an integer"', () => {
    const ch = new Channel();
    misuse(() => {
      ch.preference = 0.5;
    }, { name: 'TypeError', message: /^preference must be set to an integer/ }, [], [ch]);
    misuse(() => {
      ch.preference = null as never;
    }, TypeError, [], [ch]);
  });

  it('send/receive on a closed channel: ChannelClosedError "Send/receive operation on a closed channel"', () => {
    const ch = new Channel<number>();
    ch.close();
    misuse(() => ch.send(1), { name: 'ChannelClosedError', message: /^Send\/receive operation on a closed channel/ }, [], [ch]);
    misuse(() => ch.receive(), ChannelClosedError, [], [ch]);
    // a closing channel with a waiting receiver: a send that completes still works
    ch.open();
    const r = new Tasklet(function* () {
      yield* ch.receive();
    }).setup();
    run();
    ch.close();
    misuse(() => ch.receive(), ChannelClosedError, [r], [ch]);
    ch.send(1);
    assert.equal(r.alive, false);
  });

  it('sendException with a non-error class: TypeError "needs Exception"', () => {
    const ch = new Channel();
    misuse(() => (ch.sendException as (c: unknown) => unknown)(String), { name: 'TypeError', message: /^channel\.send_exception needs Exception/ }, [], [ch]);
  });

  it('Deadlock messages start with Stackless\'s wording', () => {
    const ch = new Channel();
    misuse(() => ch.receive(), (e) => e instanceof DeadlockError && e.message.startsWith('Deadlock: the last runnable tasklet cannot be blocked.'), [getMain()], [ch]);
  });
});

describe('using operations the wrong way (UsageError)', () => {
  useCleanScheduler();

  it('forgotten yield*: detected at the next operation, the forgotten one never acted', () => {
    const ch = new Channel<number>();
    let err: unknown = null;
    new Tasklet(function* () {
      try {
        ch.send(1); // forgotten yield*
        yield* schedule();
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /channel#\d+\.send\(\) was created but never performed: did you forget `yield\*`\?/);
    assert.equal(ch.balance, 0);
  });

  it('forgotten yield*: a second operation of the same kind on the same channel is refused too', () => {
    const ch = new Channel<number>();
    const got: unknown[] = [];
    let err: unknown = null;
    const r = new Tasklet(function* () {
      for (;;) got.push(yield* ch.receive());
    }).setup();
    run();
    new Tasklet(function* () {
      try {
        ch.send(1); // forgotten yield*
        yield* ch.send(2);
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof UsageError);
    assert.deepEqual(got, [], 'neither value was sent');
    assert.equal(ch.balance, -1);
    r.kill();
  });

  it('forgotten yield*: detected when the tasklet returns', () => {
    const ch = new Channel<number>();
    new Tasklet(function* () {
      ch.send(1);
    }).setup();
    assert.throws(() => run(), { name: 'UsageError', message: /did you forget `yield\*`/ });
    assert.equal(ch.balance, 0);
  });

  it('a forgotten operation in a tasklet that dies of another error does not blame the next tasklet', () => {
    const ch = new Channel<number>();
    new Tasklet(function* () {
      ch.receive();
      throw new RangeError('died first');
    }).setup();
    assert.throws(() => run(), RangeError);
    let ok = false;
    new Tasklet(function* () {
      yield* schedule();
      ok = true;
    }).setup();
    run();
    assert.equal(ok, true);
    assert.equal(getRunCount(), 1);
  });

  it('`yield` of something that is not an operation', () => {
    let err: unknown = null;
    new Tasklet(function* () {
      try {
        yield 5 as never;
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /yielded 5 to the scheduler: use `yield\*` \(not `yield`\)/);
    new Tasklet(function* () {
      yield { not: 'an op' } as never;
    }).setup();
    assert.throws(() => run(), /yielded a Object to the scheduler: use `yield\*`/);
  });

  it('a switching operation in a plain-function tasklet: "needs a generator tasklet"', () => {
    new Tasklet(() => {
      schedule();
    }).setup();
    assert.throws(() => run(), { name: 'UsageError', message: /needs a generator tasklet/ });
  });

  it('op.value before the operation completed', () => {
    let err: unknown = null;
    const ch = new Channel<number>();
    new Tasklet(function* () {
      const op = ch.receive();
      try {
        void op.value;
      } catch (e) {
        err = e;
      }
      yield* op;
    }).setup();
    run();
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /has not completed/);
    ch.send(1);
  });

  it('runMain from inside a tasklet, or with a non-generator', () => {
    let err: unknown = null;
    new Tasklet(function* () {
      try {
        runMain(function* () {});
      } catch (e) {
        err = e;
      }
    }).setup();
    run();
    assert.ok(err instanceof UsageError);
    assert.throws(() => runMain((() => 1) as never), { name: 'TypeError', message: /generator function/ });
    assert.equal(checkInvariants().mode, 'plain');
  });

  it('call() outside a tasklet', () => {
    assert.throws(() => call(function* () {}), { name: 'UsageError', message: /call\(\)/ });
  });

  it('an operation outside any tasklet, while the scheduler waits for I/O', async () => {
    const gate = new Gate<string>();
    const ch = new Channel<number>();
    let outside: unknown = null;
    const done = runMainAsync(function* () {
      return yield* gate.wait();
    });
    assert.equal(checkInvariants().mode, 'idle');
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        try {
          ch.send(1);
        } catch (e) {
          outside = e;
        }
        gate.open('opened');
        resolve();
      }, 1);
    });
    assert.equal(await done, 'opened');
    assert.ok(outside instanceof UsageError);
    assert.match(outside.message, /called outside a tasklet/);
    assert.equal(ch.balance, 0);
    assert.equal(checkInvariants().mode, 'plain');
  });

  it('plain main cannot wait for I/O: Deadlock says to use runMainAsync()', () => {
    const gate = new Gate<number>();
    const ch = new Channel<number>();
    const waiter = new Tasklet(function* () {
      yield* gate.wait();
    }).setup();
    run();
    assert.equal(waiter.blocked, true);
    misuse(() => ch.receive(), { name: 'DeadlockError', message: /runMainAsync/ }, [waiter], [ch]);
    waiter.kill();
    gate.checkInvariants();
    assert.equal(gate.waiters.length, 0);
  });

  it('TaskletStateError and friends are StacklessErrors (one catch for misuse)', async () => {
    const { StacklessError } = await import('stackless');
    for (const E of [TaskletStateError, UsageError, DeadlockError, ChannelClosedError])
      assert.ok(new E('x') instanceof StacklessError);
  });
});
