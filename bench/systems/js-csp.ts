/**
 * js-csp 1.0.1: `go` processes and unbuffered `chan()` (true rendezvous). Every resume goes
 * through setImmediate. A channel accepts at most 1,024 pending takes, so the parked-memory
 * workload parks its tasks on ceil(N/1,000) channels (1,000 takers each) instead of one.
 * The cooperative yield is `yield 0` (a plain value: rescheduled via setImmediate).
 */
import csp, { type Chan } from 'js-csp';
import type { System } from '../workloads.js';
import { SYSTEM_INFO } from './info.js';

const keep: unknown[] = [];

/** Resolve when every done-channel of `procs` delivered (go() returns such a channel). */
function joinAll(procs: Chan[]): Promise<void> {
  return new Promise((resolve) => {
    csp.go(function* () {
      for (const p of procs) yield csp.take(p);
      resolve();
    });
  });
}

function* nested(depth: number, bottom: () => Generator<unknown, number, unknown>): Generator<unknown, number, unknown> {
  return depth <= 1 ? yield* bottom() : yield* nested(depth - 1, bottom);
}

export const system: System = {
  ...SYSTEM_INFO['js-csp'],
  async pingPong(n) {
    const a = csp.chan();
    const b = csp.chan();
    let sum = 0;
    await joinAll([
      csp.go(function* () {
        for (let i = 0; i < n; i++) {
          yield csp.put(a, i);
          sum += (yield csp.take(b)) as number;
        }
      }),
      csp.go(function* () {
        for (let i = 0; i < n; i++) {
          const v = (yield csp.take(a)) as number;
          yield csp.put(b, v);
        }
      }),
    ]);
    return sum;
  },
  async ring(size, laps) {
    const chans = Array.from({ length: size }, () => csp.chan());
    const done = csp.chan();
    const procs: Chan[] = [];
    for (let i = 0; i < size; i++) {
      const inp = chans[i]!;
      const next = chans[(i + 1) % size]!;
      procs.push(
        csp.go(function* () {
          for (let k = 0; k < laps; k++) {
            const v = (yield csp.take(inp)) as number;
            yield csp.put(i === size - 1 && k === laps - 1 ? done : next, v + 1);
          }
        }),
      );
    }
    let r = -1;
    await joinAll([
      csp.go(function* () {
        yield csp.put(chans[0]!, 0);
        r = (yield csp.take(done)) as number;
      }),
      ...procs,
    ]);
    return r;
  },
  async spawn(rounds, perRound) {
    let counter = 0;
    const body = function* (): Generator<unknown, void, unknown> {
      counter++;
    };
    for (let r = 0; r < rounds; r++) {
      const procs = new Array<Chan>(perRound);
      for (let i = 0; i < perRound; i++) procs[i] = csp.go(body);
      await joinAll(procs);
    }
    return counter;
  },
  async parked(n, whileParked) {
    const chans: Chan[] = [];
    let parked = 0;
    const body = function* (ch: Chan): Generator<unknown, void, unknown> {
      parked++;
      yield csp.take(ch);
    };
    for (let i = 0; i < n; i++) {
      if (i % 1000 === 0) chans.push(csp.chan());
      keep.push(csp.go(body, [chans[chans.length - 1]!]));
    }
    while (parked < n) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    whileParked(parked);
    keep.push(chans);
  },
  async schedule(tasks, each) {
    let total = 0;
    const procs: Chan[] = [];
    for (let i = 0; i < tasks; i++)
      procs.push(
        csp.go(function* () {
          for (let k = 0; k < each; k++) {
            yield 0;
            total++;
          }
        }),
      );
    await joinAll(procs);
    return total;
  },
  async deepResume(mode, depth, resumes, atBottom) {
    if (mode !== 'yield*') throw new Error('no call()');
    let done = 0;
    await joinAll([
      csp.go(function* () {
        yield* nested(depth, function* () {
          atBottom();
          for (let k = 0; k < resumes; k++) {
            yield 0;
            done++;
          }
          return 0;
        });
      }),
      csp.go(function* () {
        for (let k = 0; k < resumes; k++) yield 0;
      }),
    ]);
    return done;
  },
  async reachDepth(mode, depth) {
    if (mode !== 'yield*') throw new Error('no call()');
    let ok = false;
    await joinAll([
      csp.go(function* () {
        try {
          ok = (yield* nested(depth, function* () {
            yield 0;
            return depth;
          })) === depth;
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
        }
      }),
    ]);
    return ok;
  },
};
