import { performance } from 'node:perf_hooks';
import { UsageError } from '../core/errors.js';
import { getScheduleCallback, setScheduleCallback } from '../core/callbacks.js';
import type { ScheduleCallback } from '../core/scheduler.js';
import { sched } from '../core/scheduler.js';
import type { Tasklet } from '../core/tasklet.js';
import { setDriveObserver, type DriveObserver } from './hub.js';

/** One tasklet that ran longer than the threshold without switching. */
export interface StallReport {
  readonly tasklet: Tasklet;
  readonly name: string;
  /** How long it ran without switching (ms of real time). */
  readonly ms: number;
}

export interface StallDetector {
  /** Reports so far (the last 100). */
  readonly reports: readonly StallReport[];
  stop(): void;
}

let activeDetector: StallDetector | null = null;

/**
 * Report every tasklet that runs longer than `thresholdMs` without switching (a CPU-bound
 * loop, a *Sync call): while it runs nothing else does, I/O included. Measured on each
 * switch (a schedule callback chained in front of any existing one) and each time the
 * trampoline returns to the event loop; the report comes when the slice ends (JS cannot
 * interrupt the running tasklet). `onStall` defaults to a console.warn naming the tasklet.
 * Replacing the schedule callback while the detector runs disables it.
 */
export function startStallDetector(options: { thresholdMs: number; onStall?: (r: StallReport) => void }): StallDetector {
  if (activeDetector !== null) throw new UsageError('a stall detector is already running: stop() it first');
  const threshold = options.thresholdMs;
  if (!(threshold > 0)) throw new RangeError(`thresholdMs must be > 0, got ${threshold}`);
  const onStall =
    options.onStall ??
    ((r: StallReport) => console.warn(`stackless/io: ${r.tasklet} ran ${r.ms.toFixed(1)} ms without switching (stalls I/O)`));
  const reports: StallReport[] = [];
  let sliceStart = performance.now();
  const check = (t: Tasklet): void => {
    const now = performance.now();
    const ms = now - sliceStart;
    sliceStart = now;
    if (ms < threshold) return;
    const r: StallReport = { tasklet: t, name: t.name, ms };
    reports.push(r);
    if (reports.length > 100) reports.shift();
    onStall(r);
  };
  const chained: ScheduleCallback | null = getScheduleCallback();
  const cb: ScheduleCallback = (prev, next) => {
    if (prev !== null && prev !== next) check(prev);
    if (chained !== null) chained(prev, next);
  };
  setScheduleCallback(cb);
  const observer: DriveObserver = {
    started: () => {
      sliceStart = performance.now();
    },
    returned: () => check(sched.current),
  };
  const prevObserver = setDriveObserver(observer);
  const d: StallDetector = {
    reports,
    stop() {
      if (activeDetector !== d) return;
      activeDetector = null;
      if (getScheduleCallback() === cb) setScheduleCallback(chained);
      setDriveObserver(prevObserver);
    },
  };
  activeDetector = d;
  return d;
}
