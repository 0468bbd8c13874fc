import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, checkInvariants, DeadlockError, schedule, Tasklet } from 'stackless';
import {
  ioStats,
  main,
  realClock,
  setClock,
  sleep,
  spawn,
  spawnNamed,
  tasklets,
  Timeout,
  TimeoutError,
  useVirtualClock,
  wait,
  withTimeout,
  advanceClock,
  checkHubInvariants,
} from 'stackless/io';
import { useCleanScheduler } from '../support/harness.js';

function assertNoLeaks(): void {
  checkHubInvariants();
  const s = ioStats();
  assert.deepEqual(
    { timers: s.timers, waits: s.waits, turns: s.turns, tasklets: s.tasklets },
    { timers: 0, waits: 0, turns: 0, tasklets: 1 },
  );
}

describe('hub: main, sleep, wait', () => {
  useCleanScheduler();

  it('main returns the body result and sleeping tasklets wake in deadline order', async () => {
    const log: string[] = [];
    const r = await main(function* () {
      spawn(function* () {
        yield* sleep(30);
        log.push('a30');
      });
      spawn(function* () {
        yield* sleep(5);
        log.push('b5');
      });
      while (log.length < 2) yield* sleep(1);
      log.push('main');
      return 42;
    });
    assert.equal(r, 42);
    assert.deepEqual(log, ['b5', 'a30', 'main']);
    assertNoLeaks();
  });

  it('virtual clock: timers fire exactly when advanced, in order', async () => {
    const clock = useVirtualClock();
    try {
      const log: string[] = [];
      await main(function* () {
        for (const ms of [300, 100, 200, 100]) {
          spawn(function* () {
            yield* sleep(ms);
            log.push(`${ms}`);
          });
        }
        yield* sleep(0); // let them park
        assert.equal(clock.pending, 4);
        clock.advance(99);
        yield* sleep(0);
        assert.deepEqual(log, []);
        clock.advance(1);
        yield* sleep(0);
        assert.deepEqual(log, ['100', '100']);
        clock.advance(150);
        yield* sleep(0);
        assert.deepEqual(log, ['100', '100', '200']);
        clock.advance(1000);
        yield* sleep(0);
        assert.deepEqual(log, ['100', '100', '200', '300']);
      });
      clock.checkInvariants();
    } finally {
      setClock(realClock);
    }
    assertNoLeaks();
  });

  it('wait(promise) returns the value or raises the rejection in the tasklet', async () => {
    const out = await main(function* () {
      const v: number = yield* wait(Promise.resolve(7));
      let err: unknown = null;
      try {
        yield* wait(Promise.reject(new RangeError('nope')));
      } catch (e) {
        err = e;
      }
      return { v, err };
    });
    assert.equal(out.v, 7);
    assert.ok(out.err instanceof RangeError);
  });

  it('wait(promise, {timeout}) raises TimeoutError; the late result is dropped', async () => {
    let resolveLate!: (v: string) => void;
    const late = new Promise<string>((r) => (resolveLate = r));
    const err = await main(function* () {
      try {
        yield* wait(late, { timeout: 10 });
        return null;
      } catch (e) {
        return e;
      }
    });
    assert.ok(err instanceof TimeoutError);
    assert.ok(err instanceof Timeout);
    resolveLate('x');
    await new Promise((r) => setImmediate(r));
    assertNoLeaks();
  });
});

describe('hub: timeouts', () => {
  useCleanScheduler();

  it('withTimeout raises TimeoutError when the operation is too slow, returns its result otherwise', async () => {
    useVirtualClock();
    try {
      const r = await main(function* () {
        const log: unknown[] = [];
        spawn(function* () {
          try {
            yield* withTimeout(50, sleep(100));
            log.push('slow finished');
          } catch (e) {
            log.push(e instanceof TimeoutError ? 'timeout' : e);
          }
        });
        spawn(function* () {
          log.push(yield* withTimeout(50, function* () {
            yield* sleep(10);
            return 'fast';
          }));
        });
        spawn(function* () {
          log.push(yield* withTimeout(5, sleep(10), { default: 'dflt' }));
        });
        yield* sleep(0);
        yield* advanceClock(200);
        return log;
      });
      assert.deepEqual(r.sort(), ['dflt', 'fast', 'timeout']);
    } finally {
      setClock(realClock);
    }
    assertNoLeaks();
  });

  it('withTimeout on a channel receive takes the tasklet off the channel (balance restored)', async () => {
    const ch = new Channel<number>({ name: 'slow' });
    await main(function* () {
      let err: unknown = null;
      try {
        yield* withTimeout(5, ch.receive());
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(ch.balance, 0);
      ch.checkInvariants();
      spawn(function* () {
        yield* ch.send(7);
      });
      assert.equal(yield* withTimeout(1000, ch.receive()), 7);
    });
    assertNoLeaks();
  });

  it('a scoped Timeout is matched by identity; an inner one does not catch an outer one', async () => {
    const clock = useVirtualClock();
    try {
      const r = await main(function* () {
        spawn(function* () {
          yield* sleep(0);
          clock.advance(1000); // fires both timers in one go: the first one wins
        });
        const outer = Timeout.start(20);
        try {
          const inner = Timeout.start(100);
          try {
            yield* sleep(1000);
            return 'slept';
          } catch (e) {
            if (e === inner) return 'inner';
            throw e;
          } finally {
            inner.cancel();
          }
        } catch (e) {
          if (e === outer) return 'outer';
          throw e;
        } finally {
          outer.cancel();
        }
      });
      assert.equal(r, 'outer');
    } finally {
      setClock(realClock);
    }
  });
});

describe('hub: deadlock, fairness, cancellation', () => {
  useCleanScheduler();

  it('a main blocked on a channel with nothing runnable and nothing pending gets a DeadlockError naming the waiters', async () => {
    const other = new Channel<number>({ name: 'other' });
    const err = await main(function* () {
      spawnNamed('stuck-worker', function* () {
        yield* other.receive();
      });
      yield* sleep(0);
      yield* new Channel<number>({ name: 'never' }).receive();
    }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof DeadlockError, String(err));
    assert.match(err.message, /never/);
    assert.match(err.message, /stuck-worker.*receiving on channel#\d+\(other\)/);
    assertNoLeaks();
  });

  it('with I/O pending, a blocked main waits instead of deadlocking', async () => {
    const ch = new Channel<string>();
    const got = await main(function* () {
      spawn(function* () {
        yield* sleep(20);
        yield* ch.send('late');
      });
      return yield* ch.receive();
    });
    assert.equal(got, 'late');
  });

  it('tasklets that only call schedule() do not starve the event loop', async () => {
    let flag = false;
    setTimeout(() => (flag = true), 15);
    const rounds = await main(function* () {
      let n = 0;
      const t = spawn(function* () {
        for (;;) yield* schedule();
      });
      while (!flag) {
        yield* schedule();
        n++;
      }
      yield* t.kill();
      return n;
    });
    assert.ok(rounds > 0);
  });

  it('sleep(0) lets pending I/O callbacks in and goes behind the runnable tasklets', async () => {
    const log: string[] = [];
    await main(function* () {
      setImmediate(() => log.push('loop'));
      spawn(function* () {
        log.push('a');
      });
      yield* sleep(0);
      log.push('main');
    });
    // the event loop gets its turn at once; the runnable tasklet 'a' still runs before main
    assert.deepEqual(log, ['loop', 'a', 'main']);
  });

  it('while sleep(0) has returned to the event loop with tasklets runnable, the scheduler invariants hold', async () => {
    const seen: unknown[] = [];
    await main(function* () {
      const a = spawn(function* () {
        yield* schedule();
      });
      setImmediate(() => {
        try {
          const st = checkInvariants();
          seen.push(st.mode, a.status);
        } catch (e) {
          seen.push(e);
        }
      });
      yield* sleep(0);
    });
    assert.deepEqual(seen, ['idle', 'scheduled']);
  });

  it('killing tasklets blocked on sleep, promises and withTimeout unregisters them: no late wake-up, no leaked timer', async () => {
    let resolve!: (v: number) => void;
    const never = new Promise<number>((r) => (resolve = r));
    const woke: string[] = [];
    const finals: string[] = [];
    await main(function* () {
      const ts = [
        spawn(function* () {
          try {
            yield* sleep(10_000);
            woke.push('sleep');
          } finally {
            finals.push('sleep');
          }
        }),
        spawn(function* () {
          try {
            yield* wait(never);
            woke.push('promise');
          } finally {
            finals.push('promise');
          }
        }),
        spawn(function* () {
          try {
            yield* withTimeout(10_000, sleep(20_000));
            woke.push('timeout');
          } finally {
            finals.push('timeout');
          }
        }),
      ];
      yield* sleep(0);
      assert.equal(ioStats().timers, 3);
      assert.equal(ioStats().waits, 3);
      const names = tasklets().filter((i) => i.status === 'blocked').map((i) => i.kind);
      assert.deepEqual(names.sort(), ['promise', 'timer', 'timer']);
      for (const t of ts) yield* t.kill();
      assert.equal(ioStats().timers, 0);
      assert.equal(ioStats().waits, 0);
      for (const t of ts) assert.equal(t.status, 'dead');
    });
    resolve(1);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(woke, []);
    assert.deepEqual(finals.sort(), ['promise', 'sleep', 'timeout']);
    assertNoLeaks();
  });

  it('main() kills leftover tasklets when its body ends, running their finally blocks', async () => {
    const finals: string[] = [];
    await main(function* () {
      spawn(function* () {
        try {
          yield* sleep(60_000);
        } finally {
          finals.push('sleeper');
        }
      });
      new Tasklet(function* () {
        try {
          for (;;) yield* schedule();
        } finally {
          finals.push('spinner');
        }
      }).setup();
      yield* sleep(0);
    });
    assert.deepEqual(finals.sort(), ['sleeper', 'spinner']);
    assertNoLeaks();
  });

  it('an uncaught error in a tasklet reaches main (Stackless semantics) and main() rejects with it', async () => {
    const err = await main(function* () {
      spawn(function* () {
        yield* sleep(1);
        throw new SyntaxError('boom');
      });
      yield* sleep(50);
    }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SyntaxError);
    assertNoLeaks();
  });
});
