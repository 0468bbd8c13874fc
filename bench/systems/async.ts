/**
 * The baseline a Node user would write: async functions as tasks and a promise-based
 * rendezvous channel (systems/promise-channel.ts). The cooperative yield is
 * `await null` (one microtask turn).
 */
import type { System } from '../workloads.js';
import { PromiseChannel } from './promise-channel.js';
import { SYSTEM_INFO } from './info.js';

async function nested(depth: number, bottom: () => Promise<number>): Promise<number> {
  return depth <= 1 ? bottom() : nested(depth - 1, bottom);
}
async function nestedAwait(depth: number, bottom: () => Promise<number>): Promise<number> {
  return depth <= 1 ? await bottom() : await nestedAwait(depth - 1, bottom);
}
void nested;

const keep: unknown[] = [];

export const system: System = {
  ...SYSTEM_INFO['async'],
  async pingPong(n) {
    const a = new PromiseChannel<number>();
    const b = new PromiseChannel<number>();
    let sum = 0;
    const p1 = (async () => {
      for (let i = 0; i < n; i++) {
        await a.send(i);
        sum += await b.receive();
      }
    })();
    const p2 = (async () => {
      for (let i = 0; i < n; i++) await b.send(await a.receive());
    })();
    await Promise.all([p1, p2]);
    return sum;
  },
  async ring(size, laps) {
    const chans = Array.from({ length: size }, () => new PromiseChannel<number>());
    const done = new PromiseChannel<number>();
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      tasks.push(
        (async () => {
          const inp = chans[i]!;
          const next = chans[(i + 1) % size]!;
          for (let k = 0; k < laps; k++) {
            const v = await inp.receive();
            await (i === size - 1 && k === laps - 1 ? done : next).send(v + 1);
          }
        })(),
      );
    }
    await chans[0]!.send(0);
    const r = await done.receive();
    await Promise.all(tasks);
    return r;
  },
  async spawn(rounds, perRound) {
    let counter = 0;
    const body = async (): Promise<void> => {
      counter++;
    };
    const ps: Promise<void>[] = new Array(perRound);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) ps[i] = body();
      await Promise.all(ps);
    }
    return counter;
  },
  async parked(n, whileParked) {
    const ch = new PromiseChannel<number>();
    const body = async (): Promise<void> => {
      await ch.receive();
    };
    for (let i = 0; i < n; i++) keep.push(body());
    await null;
    whileParked(ch.waitingReceivers);
    keep.push(ch);
  },
  async schedule(tasks, each) {
    let total = 0;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < tasks; i++)
      ps.push(
        (async () => {
          for (let k = 0; k < each; k++) {
            await null;
            total++;
          }
        })(),
      );
    await Promise.all(ps);
    return total;
  },
  async deepResume(mode, depth, resumes, atBottom) {
    if (mode !== 'yield*') throw new Error('no call()');
    let done = 0;
    const deep = nestedAwait(depth, async () => {
      atBottom();
      for (let k = 0; k < resumes; k++) {
        await null;
        done++;
      }
      return 0;
    });
    const partner = (async () => {
      for (let k = 0; k < resumes; k++) await null;
    })();
    await Promise.all([deep, partner]);
    return done;
  },
  async reachDepth(mode, depth) {
    if (mode !== 'yield*') throw new Error('no call()');
    try {
      return (await nestedAwait(depth, async () => {
        await null;
        return depth;
      })) === depth;
    } catch (e) {
      if (e instanceof RangeError) return false;
      throw e;
    }
  },
};
