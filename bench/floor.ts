/**
 * The floor: raw V8 generators driven by a minimal round-robin scheduler with a rendezvous
 * channel. No features (no kill, errors, preference, callbacks, nesting of run()); it is
 * what the workloads cost with nothing but generators and a queue, and the ratio baseline
 * for the speed targets.
 *
 * Invariants: a task is in at most one queue (the run queue or one channel's wait queue),
 * linked through `next`; a channel's queue holds only senders (balance > 0) or only
 * receivers (balance < 0); a waiting sender's value is in its `value` slot.
 */
import type { DeepMode, System } from './workloads.js';
import { SYSTEM_INFO } from './systems/info.js';

const PARK = 1; // yielded by an operation that blocked: do not requeue
const YIELD = 2; // yielded by schedule(): requeue at the tail

interface Task {
  gen: Generator<number, unknown, unknown>;
  value: unknown;
  next: Task | null;
}

let head: Task | null = null;
let tail: Task | null = null;
let current: Task | null = null;

function enqueue(t: Task): void {
  t.next = null;
  if (tail === null) head = t;
  else tail.next = t;
  tail = t;
}

export function spawn<A extends unknown[]>(fn: (...a: A) => Generator<number, unknown, unknown>, ...args: A): void {
  enqueue({ gen: fn(...args), value: undefined, next: null });
}

/** Run until no task is runnable. */
export function runAll(): void {
  while (head !== null) {
    const t = head;
    head = t.next;
    if (head === null) tail = null;
    current = t;
    const v = t.value;
    t.value = undefined;
    const r = t.gen.next(v);
    if (r.done !== true && r.value === YIELD) enqueue(t);
  }
  current = null;
}

export function* schedule(): Generator<number, void, unknown> {
  yield YIELD;
}

export class FloorChannel<T> {
  private qHead: Task | null = null;
  private qTail: Task | null = null;
  private balance = 0;

  private push(t: Task): void {
    t.next = null;
    if (this.qTail === null) this.qHead = t;
    else this.qTail.next = t;
    this.qTail = t;
  }
  private pop(): Task {
    const t = this.qHead!;
    this.qHead = t.next;
    if (this.qHead === null) this.qTail = null;
    return t;
  }
  *send(v: T): Generator<number, void, unknown> {
    if (this.balance < 0) {
      this.balance++;
      const r = this.pop();
      r.value = v;
      enqueue(r);
      return;
    }
    const cur = current!;
    cur.value = v;
    this.push(cur);
    this.balance++;
    yield PARK;
  }
  *receive(): Generator<number, T, unknown> {
    if (this.balance > 0) {
      this.balance--;
      const s = this.pop();
      const v = s.value as T;
      s.value = undefined;
      enqueue(s);
      return v;
    }
    this.push(current!);
    this.balance--;
    return (yield PARK) as T;
  }
}

function* nested(depth: number, bottom: () => Generator<number, number, unknown>): Generator<number, number, unknown> {
  return depth <= 1 ? yield* bottom() : yield* nested(depth - 1, bottom);
}

export const system: System = {
  ...SYSTEM_INFO['floor'],
  pingPong(n) {
    const a = new FloorChannel<number>();
    const b = new FloorChannel<number>();
    let sum = 0;
    spawn(function* () {
      for (let i = 0; i < n; i++) {
        yield* a.send(i);
        sum += yield* b.receive();
      }
    });
    spawn(function* () {
      for (let i = 0; i < n; i++) yield* b.send(yield* a.receive());
    });
    runAll();
    return sum;
  },
  ring(size, laps) {
    const chans = Array.from({ length: size }, () => new FloorChannel<number>());
    const done = new FloorChannel<number>();
    for (let i = 0; i < size; i++) {
      spawn(function* () {
        const inp = chans[i]!;
        const next = chans[(i + 1) % size]!;
        for (let k = 0; k < laps; k++) {
          const v = yield* inp.receive();
          yield* (i === size - 1 && k === laps - 1 ? done : next).send(v + 1);
        }
      });
    }
    let result = -1;
    spawn(function* () {
      yield* chans[0]!.send(0);
      result = yield* done.receive();
    });
    runAll();
    return result;
  },
  spawn(rounds, perRound) {
    let counter = 0;
    const body = function* (): Generator<number, void, unknown> {
      counter++;
    };
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) spawn(body);
      runAll();
    }
    return counter;
  },
  parked(n, whileParked) {
    const ch = new FloorChannel<number>();
    let parked = 0;
    for (let i = 0; i < n; i++)
      spawn(function* () {
        parked++;
        yield* ch.receive();
      });
    runAll();
    whileParked(parked);
    keep.push(ch);
  },
  schedule(tasks, each) {
    let total = 0;
    for (let i = 0; i < tasks; i++)
      spawn(function* () {
        for (let k = 0; k < each; k++) {
          yield* schedule();
          total++;
        }
      });
    runAll();
    return total;
  },
  deepResume(mode: DeepMode, depth, resumes, atBottom) {
    if (mode !== 'yield*') throw new Error('floor has no call()');
    let done = 0;
    spawn(function* () {
      yield* nested(depth, function* () {
        atBottom();
        for (let k = 0; k < resumes; k++) {
          yield* schedule();
          done++;
        }
        return 0;
      });
    });
    spawn(function* () {
      for (let k = 0; k < resumes; k++) yield* schedule();
    });
    runAll();
    return done;
  },
  reachDepth(mode, depth) {
    if (mode !== 'yield*') throw new Error('floor has no call()');
    let ok = false;
    spawn(function* () {
      try {
        yield* nested(depth, function* () {
          yield* schedule();
          return 0;
        });
        ok = true;
      } catch {
        ok = false;
      }
    });
    runAll();
    return ok;
  },
};

/** Keeps parked tasks reachable until the process exits. */
const keep: unknown[] = [];
