/**
 * Our runtime, through its public API only (`import ... from 'stackless'`).
 * Channels are Stackless rendezvous channels with the default preference (-1: the
 * receiver runs first after a hand-off).
 */
import { call, Channel, run, runMain, schedule, Tasklet, type Trap } from 'stackless';
import type { DeepMode, System } from '../workloads.js';
import { SYSTEM_INFO } from './info.js';

type Gen<R> = Generator<Trap, R, unknown>;

function* viaCall(depth: number, bottom: () => Gen<number>): Gen<number> {
  return depth <= 1 ? yield* bottom() : yield* call(viaCall, depth - 1, bottom);
}
function* viaYield(depth: number, bottom: () => Gen<number>): Gen<number> {
  return depth <= 1 ? yield* bottom() : yield* viaYield(depth - 1, bottom);
}
function descend(mode: DeepMode, depth: number, bottom: () => Gen<number>): Gen<number> {
  return mode === 'call' ? viaCall(depth, bottom) : viaYield(depth, bottom);
}

/** Keeps parked tasklets reachable until the process exits. */
const keep: unknown[] = [];

export const system: System = {
  ...SYSTEM_INFO['stackless'],
  pingPong(n) {
    const a = new Channel<number>();
    const b = new Channel<number>();
    let sum = 0;
    new Tasklet(function* () {
      for (let i = 0; i < n; i++) {
        yield* a.send(i);
        sum += yield* b.receive();
      }
    }).setup();
    new Tasklet(function* () {
      for (let i = 0; i < n; i++) yield* b.send(yield* a.receive());
    }).setup();
    run();
    return sum;
  },
  ring(size, laps) {
    const chans = Array.from({ length: size }, () => new Channel<number>());
    const done = new Channel<number>();
    for (let i = 0; i < size; i++) {
      new Tasklet(function* () {
        const inp = chans[i]!;
        const next = chans[(i + 1) % size]!;
        for (let k = 0; k < laps; k++) {
          const v = yield* inp.receive();
          yield* (i === size - 1 && k === laps - 1 ? done : next).send(v + 1);
        }
      }).setup();
    }
    return runMain(function* () {
      yield* chans[0]!.send(0);
      return yield* done.receive();
    });
  },
  spawn(rounds, perRound) {
    let counter = 0;
    const body = function* (): Gen<void> {
      counter++;
    };
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) new Tasklet(body).setup();
      run();
    }
    return counter;
  },
  parked(n, whileParked) {
    const ch = new Channel<number>();
    const body = function* (): Gen<void> {
      yield* ch.receive();
    };
    for (let i = 0; i < n; i++) new Tasklet(body).setup();
    run();
    whileParked(-ch.balance);
    keep.push(ch);
  },
  schedule(tasks, each) {
    let total = 0;
    for (let i = 0; i < tasks; i++)
      new Tasklet(function* () {
        for (let k = 0; k < each; k++) {
          yield* schedule();
          total++;
        }
      }).setup();
    run();
    return total;
  },
  deepResume(mode, depth, resumes, atBottom) {
    let done = 0;
    new Tasklet(function* () {
      yield* descend(mode, depth, function* () {
        atBottom();
        for (let k = 0; k < resumes; k++) {
          yield* schedule();
          done++;
        }
        return 0;
      });
    }).setup();
    new Tasklet(function* () {
      for (let k = 0; k < resumes; k++) yield* schedule();
    }).setup();
    run();
    return done;
  },
  reachDepth(mode, depth) {
    try {
      return runMain(function* () {
        const r = yield* descend(mode, depth, function* () {
          yield* schedule();
          return depth;
        });
        return r === depth;
      });
    } catch (e) {
      if (e instanceof RangeError || /call stack/i.test(String(e))) return false;
      throw e;
    }
  },
};
