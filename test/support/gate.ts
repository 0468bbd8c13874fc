/**
 * A minimal external waitable for core tests: tasklets `yield* gate.wait()` until plain code
 * (e.g. a timer callback) calls `gate.open(value)`. It stands in for the I/O layer so core
 * tests can reach the scheduler's 'idle' mode through the documented seams (park/unpark,
 * Waitable.external, resumeFromIdle) without importing a higher layer.
 *
 * Invariants:
 *  - `waiters` holds exactly the tasklets parked on this gate, in arrival order.
 */
import { Op, type Tasklet } from 'stackless';
import { launch, SUSPEND } from '../../src/core/op.js';
import { park, unpark } from '../../src/core/park.js';
import { sched } from '../../src/core/scheduler.js';
import { resumeFromIdle } from '../../src/core/main.js';
import type { Waitable } from '../../src/core/waitable.js';

export class Gate<T> implements Waitable {
  /** External by default (stands for I/O); `new Gate({ external: false })` for an internal primitive. */
  readonly external: boolean;
  constructor(options?: { external?: boolean }) {
    this.external = options?.external ?? true;
  }
  /** Writer: GateOp.start, open(), cancelWait(). */
  readonly waiters: Tasklet[] = [];

  wait(): Op<T> {
    return launch(new GateOp<T>(this));
  }

  /** Wake every waiter with `value` and restart the scheduler if it was idle. Caller: plain code. */
  open(value: T): void {
    for (const t of this.waiters.splice(0)) unpark(t, value);
    resumeFromIdle();
  }

  /** Caller: the scheduler (kill/throw of a waiter). */
  cancelWait(t: Tasklet): void {
    const i = this.waiters.indexOf(t);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  describeWait(): string {
    return 'waiting on a test gate';
  }

  checkInvariants(): void {
    for (const t of this.waiters) if (t.status !== 'blocked') throw new Error(`gate waiter ${t} is ${t.status}`);
  }
}

class GateOp<T> extends Op<T> {
  constructor(private readonly gate: Gate<T>) {
    super();
  }
  protected start(): typeof SUSPEND {
    const t = sched.current;
    park(t, this.gate);
    this.gate.waiters.push(t);
    return SUSPEND;
  }
  toString(): string {
    return 'gate.wait()';
  }
}
