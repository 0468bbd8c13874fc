import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DeadlockError, schedule } from 'stackless';
import {
  advanceClock,
  AsyncResult,
  BoundedSemaphore,
  Event,
  Group,
  ioStats,
  Lock,
  main,
  Pool,
  Queue,
  realClock,
  Semaphore,
  setClock,
  sleep,
  spawn,
  SyncUsageError,
  TimeoutError,
  useVirtualClock,
  QueueEmptyError,
  QueueFullError,
} from 'stackless/io';
import { useCleanScheduler } from '../support/harness.js';

function noLeaks(): void {
  const s = ioStats();
  assert.equal(s.waits, 0);
  assert.equal(s.timers, 0);
  assert.equal(s.tasklets, 1);
}

describe('Event and AsyncResult', () => {
  useCleanScheduler();

  it('Event.set wakes every waiter; wait with timeout returns false when not set', async () => {
    const ev = new Event();
    const log: string[] = [];
    await main(function* () {
      for (const n of ['a', 'b']) spawn(function* () {
        log.push(`${n}:${yield* ev.wait()}`);
      });
      spawn(function* () {
        log.push(`t:${yield* ev.wait({ timeout: 5 })}`);
      });
      while (log.length < 1) yield* sleep(1);
      yield* sleep(5);
      assert.deepEqual(log, ['t:false']);
      ev.set();
      ev.clear(); // waiters woken by set() still return true
      yield* sleep(0);
      assert.deepEqual(log, ['t:false', 'a:true', 'b:true']);
      ev.checkInvariants();
    });
    noLeaks();
  });

  it('a main waiting on an Event nobody can set gets a DeadlockError (no timeout = no I/O pending)', async () => {
    const err = await main(function* () {
      yield* new Event().wait();
    }).catch((e: unknown) => e);
    assert.ok(err instanceof DeadlockError, String(err));
    noLeaks();
  });

  it('AsyncResult delivers a value or an error to every getter, once', async () => {
    const r = new AsyncResult<number>();
    const bad = new AsyncResult<number>();
    const out = await main(function* () {
      const got: unknown[] = [];
      spawn(function* () {
        got.push(yield* r.get());
      });
      spawn(function* () {
        try {
          yield* bad.get();
        } catch (e) {
          got.push((e as Error).message);
        }
      });
      yield* sleep(0);
      r.set(5);
      bad.setException(new Error('failed'));
      assert.throws(() => r.set(6), /already done/);
      got.push(yield* r.get());
      r.checkInvariants();
      bad.checkInvariants();
      let timedOut: unknown = null;
      try {
        yield* new AsyncResult<number>().get({ timeout: 1 });
      } catch (e) {
        timedOut = e;
      }
      assert.ok(timedOut instanceof TimeoutError);
      yield* sleep(0);
      return got;
    });
    assert.deepEqual(out.sort(), [5, 5, 'failed'].sort());
    noLeaks();
  });
});

describe('Queue', () => {
  useCleanScheduler();

  it('property: FIFO, LIFO and priority queues return items in their order, whatever the put/get interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('fifo', 'lifo', 'priority'),
        fc.integer({ min: 1, max: 5 }),
        async (items, order, maxsize) => {
          const out = await main(function* () {
            const q = new Queue<number>({ order: order as 'fifo' | 'lifo' | 'priority', maxsize: order === 'fifo' ? maxsize : Infinity });
            if (order === 'fifo') {
              // bounded: producer and consumer interleave
              spawn(function* () {
                for (const x of items) yield* q.put(x);
              });
              const got: number[] = [];
              for (let i = 0; i < items.length; i++) {
                got.push(yield* q.get());
                q.checkInvariants();
              }
              return got;
            }
            for (const x of items) yield* q.put(x);
            const got: number[] = [];
            while (!q.empty) got.push(yield* q.get());
            return got;
          });
          const expected =
            order === 'fifo' ? items : order === 'lifo' ? [...items].reverse() : [...items].sort((a, b) => a - b);
          assert.deepEqual(out, expected);
        },
      ),
      { numRuns: 60 },
    );
    noLeaks();
  });

  it('bounded put waits while full; get/put timeouts; nowait variants raise typed errors', async () => {
    await main(function* () {
      const q = new Queue<string>({ maxsize: 1 });
      yield* q.put('a');
      assert.throws(() => q.putNowait('b'), QueueFullError);
      let err: unknown = null;
      try {
        yield* q.put('b', { timeout: 5 });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TimeoutError);
      const putter = spawn(function* () {
        yield* q.put('c');
      });
      yield* sleep(0);
      assert.equal(putter.status, 'blocked');
      assert.equal(yield* q.get(), 'a');
      assert.equal(yield* q.get(), 'c');
      assert.throws(() => q.getNowait(), QueueEmptyError);
      err = null;
      try {
        yield* q.get({ timeout: 5 });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TimeoutError);
    });
    noLeaks();
  });

  it('join() returns when every item has been marked done', async () => {
    const log: string[] = [];
    await main(function* () {
      const q = new Queue<number>();
      for (let w = 0; w < 3; w++)
        spawn(function* () {
          for (;;) {
            const x = yield* q.get();
            yield* sleep(1);
            log.push(`done ${x}`);
            q.taskDone();
          }
        });
      for (let i = 0; i < 6; i++) yield* q.put(i);
      assert.equal(yield* q.join({ timeout: 2000 }), true);
      assert.equal(log.length, 6);
      assert.throws(() => q.taskDone(), SyncUsageError);
    });
    noLeaks();
  });

  it('a getter killed after being woken does not lose the item', async () => {
    await main(function* () {
      const q = new Queue<string>();
      const g1 = spawn(function* () {
        yield* q.get();
      });
      let got2 = '';
      spawn(function* () {
        got2 = yield* q.get();
      });
      yield* sleep(0);
      q.putNowait('x'); // wakes g1 (READY) ...
      yield* g1.kill(); // ... which dies before taking it
      yield* sleep(0);
      assert.equal(got2, 'x');
    });
    noLeaks();
  });
});

describe('Semaphore, BoundedSemaphore, Lock', () => {
  useCleanScheduler();

  it('property: a Semaphore(n) never lets more than n tasklets in at once and serves everyone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 }), async (n, work) => {
        let inside = 0;
        let peak = 0;
        let served = 0;
        await main(function* () {
          const sem = new Semaphore(n);
          for (const w of work)
            spawn(function* () {
              yield* sem.run(function* () {
                inside++;
                peak = Math.max(peak, inside);
                for (let i = 0; i < w; i++) yield* schedule();
                inside--;
                served++;
              });
            });
          while (served < work.length) yield* sleep(0);
          assert.equal(sem.value, n);
          sem.checkInvariants();
        });
        assert.ok(peak <= n, `peak ${peak} > ${n}`);
      }),
      { numRuns: 40 },
    );
    noLeaks();
  });

  it('acquire timeout returns false; BoundedSemaphore refuses an extra release', async () => {
    await main(function* () {
      const sem = new BoundedSemaphore(1);
      assert.equal(yield* sem.acquire(), true);
      assert.equal(yield* sem.acquire({ timeout: 5 }), false);
      sem.release();
      assert.throws(() => sem.release(), (e: unknown) => e instanceof SyncUsageError && /released too many times/.test((e as Error).message));
    });
    noLeaks();
  });

  it('Lock: mutual exclusion, FIFO hand-over, owner checks', async () => {
    const log: string[] = [];
    await main(function* () {
      const lock = new Lock();
      for (const n of ['a', 'b', 'c'])
        spawn(function* () {
          yield* lock.run(function* () {
            log.push(`${n}+`);
            yield* sleep(1);
            log.push(`${n}-`);
          });
        });
      yield* sleep(0);
      assert.throws(() => lock.release(), /held by/);
      while (log.length < 6) yield* sleep(1);
      yield* lock.acquire();
      assert.throws(() => lock.acquire(), /not reentrant/);
      lock.release();
      lock.checkInvariants();
    });
    assert.deepEqual(log, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    noLeaks();
  });
});

describe('Pool and Group', () => {
  useCleanScheduler();

  it('Pool(3).map runs at most 3 at a time and returns results in input order', async () => {
    const clock = useVirtualClock();
    try {
      let running = 0;
      let peak = 0;
      const out = await main(function* () {
        const pool = new Pool(3);
        spawn(function* () {
          while (clock.pending > 0 || pool.running > 0) yield* advanceClock(10);
        });
        return yield* pool.map(function* (x: number) {
          running++;
          peak = Math.max(peak, running);
          yield* sleep(10 * (5 - (x % 5)));
          running--;
          return x * x;
        }, [1, 2, 3, 4, 5, 6, 7, 8]);
      });
      assert.deepEqual(out, [1, 4, 9, 16, 25, 36, 49, 64]);
      assert.equal(peak, 3);
    } finally {
      setClock(realClock);
    }
    noLeaks();
  });

  it('Group: errors are stored per job, join waits for all, killAll kills the rest', async () => {
    await main(function* () {
      const g = new Group();
      const ok = yield* g.spawn(function* () {
        yield* sleep(1);
        return 'ok';
      });
      const bad = yield* g.spawn(function* () {
        yield* sleep(1);
        throw new RangeError('bad job');
      });
      assert.equal(yield* g.join({ timeout: 1000 }), true);
      assert.equal(yield* ok.get(), 'ok');
      let err: unknown = null;
      try {
        yield* bad.get();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof RangeError);
      const finals: number[] = [];
      for (let i = 0; i < 3; i++)
        yield* g.spawn(function* () {
          try {
            yield* sleep(60_000);
          } finally {
            finals.push(i);
          }
        });
      assert.equal(g.running, 3);
      yield* sleep(0);
      const unstarted = yield* g.spawn(function* () {
        finals.push(99);
      });
      g.checkInvariants();
      yield* g.killAll();
      g.checkInvariants();
      assert.equal(g.running, 0);
      assert.deepEqual(finals, [0, 1, 2], 'started jobs ran their finally; the unstarted one never ran');
      assert.equal(unstarted.ready, true);
    });
    noLeaks();
  });
});

describe('cancellation of primitive waits', () => {
  useCleanScheduler();

  it('killing tasklets blocked on Event, Queue get/put, Semaphore, Lock, AsyncResult, Pool.join and sleep(0) leaves no waiter behind', async () => {
    await main(function* () {
      const ev = new Event();
      const q = new Queue<number>({ maxsize: 1 });
      q.putNowait(1);
      const empty = new Queue<number>();
      const sem = new Semaphore(0);
      const lock = new Lock();
      const r = new AsyncResult<number>();
      const pool = new Pool(1);
      yield* pool.spawn(function* () {
        yield* sleep(60_000);
      });
      yield* lock.acquire();
      const blocked = [
        spawn(function* () {
          yield* ev.wait({ timeout: 60_000 });
        }),
        spawn(function* () {
          yield* q.put(2);
        }),
        spawn(function* () {
          yield* empty.get();
        }),
        spawn(function* () {
          yield* sem.acquire();
        }),
        spawn(function* () {
          yield* lock.acquire();
        }),
        spawn(function* () {
          yield* r.get();
        }),
        spawn(function* () {
          yield* pool.join();
        }),
      ];
      yield* sleep(0);
      for (const t of blocked) assert.equal(t.status, 'blocked', `${t}: ${t.waitReason}`);
      for (const t of blocked) yield* t.kill();
      for (const t of blocked) assert.equal(t.status, 'dead');
      assert.equal(ev.waiting, 0);
      assert.equal(sem.waiting, 0);
      ev.checkInvariants();
      q.checkInvariants();
      empty.checkInvariants();
      lock.checkInvariants();
      // the primitives still work for the next user
      sem.release();
      assert.equal(yield* sem.acquire({ timeout: 10 }), true);
      lock.release();
      assert.equal(yield* lock.acquire({ timeout: 10 }), true);
      lock.release();
      yield* pool.killAll();
      assert.equal(ioStats().waits, 0);
      assert.equal(ioStats().timers, 0);
    });
    noLeaks();
  });
});
