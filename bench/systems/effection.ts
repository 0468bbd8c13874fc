/**
 * Effection 4.1: tasks (`spawn`) and `createQueue` (unbounded: Effection has no rendezvous
 * channel; its `Channel` is a broadcast that drops messages without subscribers). Effection
 * has no cooperative yield, so schedule() is n/a. Nested calls are plain `yield*`.
 */
import { createQueue, run, sleep, spawn, type Operation, type Task } from 'effection';
import type { System } from '../workloads.js';
import { SYSTEM_INFO } from './info.js';

const keep: unknown[] = [];

function* nested(depth: number, bottom: () => Operation<number>): Operation<number> {
  return depth <= 1 ? yield* bottom() : yield* nested(depth - 1, bottom);
}

function* take<T>(q: { next(): Operation<IteratorResult<T, void>> }): Operation<T> {
  const r = yield* q.next();
  if (r.done === true) throw new Error('queue closed');
  return r.value;
}

export const system: System = {
  ...SYSTEM_INFO['effection'],
  async pingPong(n) {
    return run(function* () {
      const a = createQueue<number, void>();
      const b = createQueue<number, void>();
      let sum = 0;
      const t1 = yield* spawn(function* () {
        for (let i = 0; i < n; i++) {
          a.add(i);
          sum += yield* take(b);
        }
      });
      const t2 = yield* spawn(function* () {
        for (let i = 0; i < n; i++) b.add(yield* take(a));
      });
      yield* t1;
      yield* t2;
      return sum;
    });
  },
  async ring(size, laps) {
    return run(function* () {
      const chans = Array.from({ length: size }, () => createQueue<number, void>());
      const done = createQueue<number, void>();
      const tasks: Task<void>[] = [];
      for (let i = 0; i < size; i++) {
        const inp = chans[i]!;
        const next = chans[(i + 1) % size]!;
        tasks.push(
          yield* spawn(function* () {
            for (let k = 0; k < laps; k++) {
              const v = yield* take(inp);
              (i === size - 1 && k === laps - 1 ? done : next).add(v + 1);
            }
          }),
        );
      }
      chans[0]!.add(0);
      const r = yield* take(done);
      for (const t of tasks) yield* t;
      return r;
    });
  },
  async spawn(rounds, perRound) {
    let counter = 0;
    const body = function* (): Operation<void> {
      counter++;
    };
    return run(function* () {
      for (let r = 0; r < rounds; r++) {
        const tasks = new Array<Task<void>>(perRound);
        for (let i = 0; i < perRound; i++) tasks[i] = yield* spawn(body);
        for (const t of tasks) yield* t;
      }
      return counter;
    });
  },
  async parked(n, whileParked) {
    await run(function* () {
      const q = createQueue<number, void>();
      let parked = 0;
      const body = function* (): Operation<void> {
        parked++;
        yield* take(q);
      };
      for (let i = 0; i < n; i++) keep.push(yield* spawn(body));
      while (parked < n) yield* sleep(0);
      yield* sleep(0);
      whileParked(parked);
      keep.push(q);
    });
  },
  async reachDepth(mode, depth) {
    if (mode !== 'yield*') throw new Error('no call()');
    try {
      const r = await run(function* () {
        return yield* nested(depth, function* () {
          yield* sleep(0);
          return depth;
        });
      });
      return r === depth;
    } catch (e) {
      if (e instanceof RangeError || /call stack/i.test(String(e))) return false;
      throw e;
    }
  },
};
