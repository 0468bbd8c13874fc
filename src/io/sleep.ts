import { UsageError } from '../core/errors.js';
import { GenOp, launch, Op, SUSPEND } from '../core/op.js';
import { getClock, VirtualClock } from './clock.js';
import { nextTurn } from './hub.js';
import { Waiter } from './waiter.js';

/**
 * Block the current tasklet for `ms` milliseconds on the installed clock. `sleep(0)` (or no
 * argument) lets the event loop run one turn, so pending I/O is delivered, and puts the
 * caller behind the tasklets that were runnable: a cooperative yield that also lets I/O in.
 */
export function sleep(ms = 0): Op<void> {
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new TypeError(`sleep(ms) needs a number of milliseconds, got ${String(ms)}`);
  if (ms <= 0) return nextTurn();
  return launch(new SleepOp(ms));
}

class SleepOp extends Op<void> {
  constructor(private readonly ms: number) {
    super();
  }
  protected start(): typeof SUSPEND {
    new Waiter('timer', `sleep(${this.ms})`, true, null).parkCurrent(this.ms, null);
    return SUSPEND;
  }
  protected override resume(): void {}
  toString(): string {
    return `sleep(${this.ms})`;
  }
}

/**
 * Tests: advance the installed VirtualClock by `ms`, one due time at a time, letting the
 * tasklets each step wakes run (an event-loop turn) before the next step, as real time
 * would. `clock.advance(ms)` instead fires every due timer at once.
 */
export function advanceClock(ms: number): Op<void> {
  const c = getClock();
  if (!(c instanceof VirtualClock)) throw new UsageError('advanceClock() needs a VirtualClock: call useVirtualClock() first');
  return launch(
    new GenOp(`advanceClock(${ms})`, function* () {
      const end = c.now() + ms;
      for (;;) {
        const due = c.nextDue();
        if (due === null || due > end) break;
        c.advance(due - c.now());
        yield* nextTurn();
      }
      c.advance(end - c.now());
      yield* nextTurn();
    }),
  );
}
