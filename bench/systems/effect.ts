/**
 * Effect 4.1: fibers (`Effect.forkChild`) and `Queue.bounded(0)`, Effect's rendezvous-like
 * queue (an offer completes only when a taker takes it). The ring uses `Queue.bounded(1)`:
 * with bounded(0) a ring of >= 2,000 fibers never finishes (every fiber ends up suspended,
 * the process exits with the result promise pending; 1,000 works); with one token in flight
 * a 1-slot buffer behaves the same. The cooperative yield is
 * `Effect.yieldNow`; nested calls are nested `Effect.gen` run with `yield*`.
 */
import { Effect, Fiber, Queue } from 'effect';
import type { System } from '../workloads.js';
import { SYSTEM_INFO } from './info.js';

const keep: unknown[] = [];

const nested = (depth: number, bottom: Effect.Effect<number>): Effect.Effect<number> =>
  depth <= 1 ? bottom : Effect.gen(function* () {
    return yield* nested(depth - 1, bottom);
  });

export const system: System = {
  ...SYSTEM_INFO['effect'],
  pingPong(n) {
    return Effect.runPromise(
      Effect.gen(function* () {
        const a = yield* Queue.bounded<number>(0);
        const b = yield* Queue.bounded<number>(0);
        let sum = 0;
        const f1 = yield* Effect.forkChild(
          Effect.gen(function* () {
            for (let i = 0; i < n; i++) {
              yield* Queue.offer(a, i);
              sum += yield* Queue.take(b);
            }
          }),
        );
        const f2 = yield* Effect.forkChild(
          Effect.gen(function* () {
            for (let i = 0; i < n; i++) yield* Queue.offer(b, yield* Queue.take(a));
          }),
        );
        yield* Fiber.join(f1);
        yield* Fiber.join(f2);
        return sum;
      }),
    );
  },
  ring(size, laps) {
    return Effect.runPromise(
      Effect.gen(function* () {
        const chans: Queue.Queue<number>[] = [];
        for (let i = 0; i < size; i++) chans.push(yield* Queue.bounded<number>(1));
        const done = yield* Queue.bounded<number>(1);
        const fibers = [];
        for (let i = 0; i < size; i++) {
          const inp = chans[i]!;
          const next = chans[(i + 1) % size]!;
          fibers.push(
            yield* Effect.forkChild(
              Effect.gen(function* () {
                for (let k = 0; k < laps; k++) {
                  const v = yield* Queue.take(inp);
                  yield* Queue.offer(i === size - 1 && k === laps - 1 ? done : next, v + 1);
                }
              }),
            ),
          );
        }
        yield* Queue.offer(chans[0]!, 0);
        const r = yield* Queue.take(done);
        yield* Fiber.joinAll(fibers);
        return r;
      }),
    );
  },
  spawn(rounds, perRound) {
    let counter = 0;
    const body = Effect.sync(() => {
      counter++;
    });
    return Effect.runPromise(
      Effect.gen(function* () {
        for (let r = 0; r < rounds; r++) {
          const fibers = new Array<Fiber.Fiber<void>>(perRound);
          for (let i = 0; i < perRound; i++) fibers[i] = yield* Effect.forkChild(body);
          yield* Fiber.joinAll(fibers);
        }
        return counter;
      }),
    );
  },
  parked(n, whileParked) {
    return Effect.runPromise(
      Effect.gen(function* () {
        const q = yield* Queue.bounded<number>(0);
        let parked = 0;
        const body = Effect.gen(function* () {
          parked++;
          yield* Queue.take(q);
        });
        for (let i = 0; i < n; i++) keep.push(yield* Effect.forkChild(body));
        while (parked < n) yield* Effect.yieldNow;
        yield* Effect.yieldNow;
        whileParked(parked);
        keep.push(q);
      }),
    );
  },
  schedule(tasks, each) {
    let total = 0;
    return Effect.runPromise(
      Effect.gen(function* () {
        const fibers = [];
        for (let i = 0; i < tasks; i++)
          fibers.push(
            yield* Effect.forkChild(
              Effect.gen(function* () {
                for (let k = 0; k < each; k++) {
                  yield* Effect.yieldNow;
                  total++;
                }
              }),
            ),
          );
        yield* Fiber.joinAll(fibers);
        return total;
      }),
    );
  },
  deepResume(mode, depth, resumes, atBottom) {
    if (mode !== 'yield*') throw new Error('no call()');
    let done = 0;
    const bottom = Effect.gen(function* () {
      atBottom();
      for (let k = 0; k < resumes; k++) {
        yield* Effect.yieldNow;
        done++;
      }
      return 0;
    });
    return Effect.runPromise(
      Effect.gen(function* () {
        const f1 = yield* Effect.forkChild(nested(depth, bottom));
        const f2 = yield* Effect.forkChild(
          Effect.gen(function* () {
            for (let k = 0; k < resumes; k++) yield* Effect.yieldNow;
          }),
        );
        yield* Fiber.join(f1);
        yield* Fiber.join(f2);
        return done;
      }),
    );
  },
  async reachDepth(mode, depth) {
    if (mode !== 'yield*') throw new Error('no call()');
    try {
      const bottom = Effect.gen(function* () {
        yield* Effect.yieldNow;
        return depth;
      });
      return (await Effect.runPromise(nested(depth, bottom))) === depth;
    } catch (e) {
      if (e instanceof RangeError || /call stack/i.test(String(e))) return false;
      throw e;
    }
  },
};
