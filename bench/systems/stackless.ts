/**
 * Our runtime, through its public API only (`import ... from 'stackless'`).
 * Channels are Stackless rendezvous channels with the default preference (-1: the
 * receiver runs first after a hand-off).
 *
 * This one file is measured twice: as written (native generators: the `stackless` column)
 * and compiled by the tasklet compiler (`stackless-compiled`: bench/run.ts bundles
 * ./stackless-compiled.ts as this source through `compile()`), so the two columns differ only
 * in how frames are represented. The pickle workloads run only compiled (native frames are
 * not restorable).
 */
import { call, Channel, run, runMain, schedule, Tasklet, type Trap } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';
import type { DeepMode, PickleCase, System } from '../workloads.js';
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

/** What the last pickled counter / deep tasklet to finish computed (a tasklet's return value is dropped). */
let finished: unknown = null;

/** The small paused tasklet of the pickle workload (the one examples/pickle-bench.ts measures). */
function* counter(label: string, n: number): Gen<void> {
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += i;
    yield* schedule();
  }
  finished = `${label} ${total}`;
}

/** `n` frames deep on the tasklet's frame stack, then blocked receiving. Returns n + the value. */
function* deep(n: number, ch: Channel<number>): Gen<number> {
  if (n === 0) return yield* ch.receive();
  return 1 + (yield* call(deep, n - 1, ch));
}
/** The tasklet's bottom frame: `n` frames of `deep` above it, so its depth is n + 1. */
function* deepRoot(n: number, ch: Channel<number>): Gen<void> {
  finished = yield* call(deep, n - 1, ch);
}

function pickleCase(kind: 'counter' | 'deep', depth: number): PickleCase {
  if (kind === 'counter') {
    const t = new Tasklet(counter).setup('count', 1000);
    t.run();
    t.run();
    t.remove();
    if (!t.restorable) throw new Error('the counter tasklet is not restorable: this system must run compiled');
    return {
      pickle: () => pickle(t),
      unpickle: (b) => unpickle(b),
      finish(copy) {
        finished = null;
        (copy as Tasklet).insert();
        run();
        return finished;
      },
      expected: 'count 499500',
    };
  }
  const ch = new Channel<number>();
  const d = new Tasklet(deepRoot).setup(depth, ch);
  run();
  if (d.depth !== depth + 1) throw new Error(`deep tasklet: depth ${d.depth}, expected ${depth + 1}`);
  return {
    pickle: () => pickle({ d, ch }),
    unpickle: (b) => unpickle(b),
    finish(copy) {
      finished = null;
      (copy as { ch: Channel<number> }).ch.send(0);
      run();
      return finished;
    },
    expected: depth - 1,
  };
}

/** Keeps parked tasklets reachable until the process exits. */
const keep: unknown[] = [];

export const system: System = {
  ...SYSTEM_INFO['stackless'],
  pickleCase,
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
