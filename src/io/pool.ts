import { isTaskletExit, TaskletExit } from '../core/errors.js';
import type { Trap } from '../core/frame.js';
import { GenOp, launch, type Op } from '../core/op.js';
import type { Tasklet } from '../core/tasklet.js';
import { AsyncResult } from './async-result.js';
import { Event } from './event.js';
import { spawn } from './hub.js';
import { Semaphore } from './semaphore.js';

/** A tasklet started by a Pool/Group, with its outcome. */
export class Job<R> {
  readonly result = new AsyncResult<R>();
  /** @internal set by Pool.spawn */
  tasklet!: Tasklet;
  /** The job's return value (waits); raises its error. A killed job raises TaskletExit. */
  get(options?: { timeout?: number | null }): Op<R> {
    return this.result.get(options);
  }
  get ready(): boolean {
    return this.result.ready;
  }
}

/**
 * Runs tasklets with a concurrency cap (gevent.pool.Pool); Group is the uncapped version.
 * spawn() waits for a free slot; map() runs a function over inputs and returns the results
 * in input order (raising the first error by position); join() waits until all jobs are
 * done; killAll() kills them. A job's error is stored in its result (not propagated to main):
 * read it with job.get() or map().
 *
 * Invariants: `jobs` holds exactly the jobs whose tasklet has not finished; `idle` is set ⇔
 * `jobs` is empty; with a cap, `slots.value + jobs.size === size` (modulo spawners waiting).
 */
export class Pool {
  private readonly slots: Semaphore | null;
  private readonly jobs = new Set<Job<unknown>>();
  private readonly idle = new Event();

  constructor(readonly size = Infinity) {
    if (!(size >= 1)) throw new RangeError(`Pool(size) needs size >= 1, got ${size}`);
    this.slots = size === Infinity ? null : new Semaphore(size);
    this.idle.set();
  }

  /** Start `fn(...args)` as soon as a slot is free; returns its Job. */
  spawn<A extends unknown[], R>(fn: (...args: A) => Generator<Trap, R, unknown>, ...args: A): Op<Job<R>> {
    const self = this;
    return launch(
      new GenOp<Job<R>>('Pool.spawn()', function* () {
        if (self.slots !== null) yield* self.slots.acquire();
        return self.start(fn, args);
      }),
    );
  }

  /** Run `fn` over every input with at most `size` at a time; results in input order. */
  map<T, R>(fn: (x: T) => Generator<Trap, R, unknown>, inputs: Iterable<T>): Op<R[]> {
    const self = this;
    return launch(
      new GenOp<R[]>('Pool.map()', function* () {
        const jobs: Job<R>[] = [];
        for (const x of inputs) jobs.push(yield* self.spawn(fn, x));
        const out: R[] = [];
        for (const j of jobs) out.push(yield* j.get());
        return out;
      }),
    );
  }

  /** Wait until no job is running; false after `timeout` ms. */
  join(options?: { timeout?: number | null }): Op<boolean> {
    return this.idle.wait(options);
  }

  /** Kill every running job (their finally blocks run) and return when they are dead. */
  killAll(): Op<void> {
    const self = this;
    return launch(
      new GenOp<void>('Pool.killAll()', function* () {
        for (const j of [...self.jobs]) {
          yield* j.tasklet.kill();
          // killed before it started: its body (and finally) never ran
          if (!j.tasklet.alive) self.finish(j, new TaskletExit('killed by Pool.killAll() before it started'));
        }
      }),
    );
  }

  checkInvariants(): void {
    if (this.idle.isSet !== (this.jobs.size === 0)) throw new Error('Pool: idle ⇔ no jobs broken');
    if (this.slots !== null && this.slots.value + this.jobs.size > this.size) throw new Error('Pool: more slots than size');
    for (const j of this.jobs) if (j.ready) throw new Error('Pool: a finished job is still running');
  }

  /** Jobs running now. */
  get running(): number {
    return this.jobs.size;
  }
  /** Slots free now (Infinity for a Group). */
  get free(): number {
    return this.slots === null ? Infinity : this.slots.value;
  }

  private start<A extends unknown[], R>(fn: (...args: A) => Generator<Trap, R, unknown>, args: A): Job<R> {
    const job = new Job<R>();
    const self = this;
    this.jobs.add(job as Job<unknown>);
    this.idle.clear();
    job.tasklet = spawn(function* () {
      try {
        job.result.set(yield* fn(...args));
      } catch (e) {
        job.result.setException(e);
        if (isTaskletExit(e)) throw e;
      } finally {
        self.finish(job as Job<unknown>, null);
      }
    });
    return job;
  }

  /** A job's tasklet is done (idempotent). Caller: the job's wrapper, killAll. */
  private finish(job: Job<unknown>, killed: TaskletExit | null): void {
    if (!this.jobs.delete(job)) return;
    if (killed !== null && !job.result.ready) job.result.setException(killed);
    if (this.slots !== null) this.slots.release();
    if (this.jobs.size === 0) this.idle.set();
  }
}

/** A Pool without a cap (gevent.pool.Group). */
export class Group extends Pool {
  constructor() {
    super(Infinity);
  }
}
