/**
 * co 4.6: generator tasks that yield promises (one promise hop per resume). co has no
 * channel, so it uses the same promise rendezvous channel as the async baseline; the
 * cooperative yield is `yield Promise.resolve()`. Nested calls are `yield* gen()`.
 */
import co from 'co';
import type { System } from '../workloads.js';
import { PromiseChannel } from './promise-channel.js';
import { SYSTEM_INFO } from './info.js';

const RESOLVED = Promise.resolve();
const keep: unknown[] = [];

function* nested(depth: number, bottom: () => Generator<unknown, number, unknown>): Generator<unknown, number, unknown> {
  return depth <= 1 ? yield* bottom() : yield* nested(depth - 1, bottom);
}

export const system: System = {
  ...SYSTEM_INFO['co'],
  async pingPong(n) {
    const a = new PromiseChannel<number>();
    const b = new PromiseChannel<number>();
    let sum = 0;
    await Promise.all([
      co(function* () {
        for (let i = 0; i < n; i++) {
          yield a.send(i);
          sum += (yield b.receive()) as number;
        }
      }),
      co(function* () {
        for (let i = 0; i < n; i++) {
          const v = (yield a.receive()) as number;
          yield b.send(v);
        }
      }),
    ]);
    return sum;
  },
  async ring(size, laps) {
    const chans = Array.from({ length: size }, () => new PromiseChannel<number>());
    const done = new PromiseChannel<number>();
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      tasks.push(
        co(function* () {
          const inp = chans[i]!;
          const next = chans[(i + 1) % size]!;
          for (let k = 0; k < laps; k++) {
            const v = (yield inp.receive()) as number;
            yield (i === size - 1 && k === laps - 1 ? done : next).send(v + 1);
          }
        }),
      );
    }
    const r = (await co(function* () {
      yield chans[0]!.send(0);
      return (yield done.receive()) as number;
    })) as number;
    await Promise.all(tasks);
    return r;
  },
  async spawn(rounds, perRound) {
    let counter = 0;
    const body = function* (): Generator<unknown, void, unknown> {
      counter++;
    };
    const ps: Promise<void>[] = new Array(perRound);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) ps[i] = co(body);
      await Promise.all(ps);
    }
    return counter;
  },
  async parked(n, whileParked) {
    const ch = new PromiseChannel<number>();
    const body = function* (): Generator<unknown, void, unknown> {
      yield ch.receive();
    };
    for (let i = 0; i < n; i++) keep.push(co(body));
    await null;
    whileParked(ch.waitingReceivers);
    keep.push(ch);
  },
  async schedule(tasks, each) {
    let total = 0;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < tasks; i++)
      ps.push(
        co(function* () {
          for (let k = 0; k < each; k++) {
            yield RESOLVED;
            total++;
          }
        }),
      );
    await Promise.all(ps);
    return total;
  },
  async deepResume(mode, depth, resumes, atBottom) {
    if (mode !== 'yield*') throw new Error('no call()');
    let done = 0;
    await Promise.all([
      co(function* () {
        yield* nested(depth, function* () {
          atBottom();
          for (let k = 0; k < resumes; k++) {
            yield RESOLVED;
            done++;
          }
          return 0;
        });
      }),
      co(function* () {
        for (let k = 0; k < resumes; k++) yield RESOLVED;
      }),
    ]);
    return done;
  },
  async reachDepth(mode, depth) {
    if (mode !== 'yield*') throw new Error('no call()');
    try {
      const r = await co(function* () {
        return yield* nested(depth, function* () {
          yield RESOLVED;
          return depth;
        });
      });
      return r === depth;
    } catch (e) {
      if (e instanceof RangeError) return false;
      throw e;
    }
  },
};
