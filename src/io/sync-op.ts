import { launch, Op, SUSPEND } from '../core/op.js';
import { getClock } from './clock.js';
import type { WaitQueue } from './wait-queue.js';
import { Waiter, type WaitKind } from './waiter.js';

/** attempt() result: cannot complete now. */
export const NOT_YET: unique symbol = Symbol('not yet');
/** Wake-up token: "try again" (the primitive kept the resource; take it yourself). */
export const READY: unique symbol = Symbol('ready');

/** What a blocking primitive operation needs. */
export interface SyncRequest<T> {
  /** For tasklets() and errors; a function (or an object's toString()) is called only when needed. */
  readonly label: string | (() => string) | { toString(): string };
  /** For tasklets(): default 'sync'. */
  readonly kind?: WaitKind;
  /** Complete now (taking the resource) or return NOT_YET. May throw. `retry` is true for
   * a woken waiter (it may take a resource even while others queue behind it). */
  attempt(retry: boolean): T | typeof NOT_YET;
  /** The queue to wait in. */
  readonly queue: WaitQueue;
  /** ms, or null: no timeout (then the wait is internal: deadlock detection applies). */
  readonly timeoutMs: number | null;
  /** Completed by the event loop (a process exit...): counts as pending I/O. */
  readonly external?: boolean;
  /** The operation's result on timeout (a Bomb raises). */
  onTimeout(): unknown;
  /** A woken waiter gave up (killed/thrown into): let the next waiter try. */
  passOn(): void;
}

/**
 * The blocking operation behind every synchronization primitive. A waiter is woken either
 * with a value (handed off: Event, AsyncResult) or with READY, and then retries attempt():
 * resources (permits, queue items) stay with the primitive until the woken tasklet really
 * runs, so a tasklet killed between wake-up and resume loses nothing (passOn() hands the
 * turn to the next waiter). A retry that fails waits again at the front of the queue.
 */
export class SyncOp<T> extends Op<T> {
  private deadline = 0;
  /** Reused by this operation's waits (a retry that fails parks again; an owner that reuses
   * the operation reuses its waiter too): free between waits, never shared. */
  private waiter: Waiter | null = null;
  private timedOut: (() => unknown) | null = null;
  constructor(readonly req: SyncRequest<T>) {
    super();
  }
  protected start(): T | typeof SUSPEND {
    const r = this.req.attempt(false);
    if (r !== NOT_YET) return r;
    if (this.req.timeoutMs !== null) this.deadline = getClock().now() + this.req.timeoutMs;
    this.park(false);
    return SUSPEND;
  }
  protected override resume(v: unknown): T | typeof SUSPEND {
    if (v !== READY) return v as T;
    let r: T | typeof NOT_YET;
    try {
      r = this.req.attempt(true);
    } catch (e) {
      this._opState = 'done'; // no longer in flight: an owner may reuse it
      throw e;
    }
    if (r !== NOT_YET) return r;
    this.park(true);
    return SUSPEND;
  }
  protected override resumeThrow(): void {
    this.req.passOn();
  }
  private park(front: boolean): void {
    const q = this.req.queue;
    const ms = this.req.timeoutMs === null ? null : Math.max(0, this.deadline - getClock().now());
    const external = ms !== null || this.req.external === true;
    let w = this.waiter;
    if (w === null || w.external !== external || w.status === 'waiting')
      w = this.waiter = new Waiter(this.req.kind ?? 'sync', this.req.label, external, q);
    w.parkCurrent(ms, ms === null ? null : (this.timedOut ??= () => this.req.onTimeout()));
    if (front) q.unshift(w);
    else q.push(w);
  }
  toString(): string {
    const l = this.req.label;
    return typeof l === 'string' ? l : typeof l === 'function' ? l() : String(l);
  }
}

/** Caller: primitives' public methods. */
export function syncOp<T>(req: SyncRequest<T>): Op<T> {
  return launch(new SyncOp(req));
}

/** Validate a `{ timeout }` option: null/undefined = none. */
export function timeoutOf(options?: { timeout?: number | null }): number | null {
  const t = options?.timeout;
  if (t === undefined || t === null || t === Infinity) return null;
  if (!(t >= 0)) throw new RangeError(`timeout must be a number of ms >= 0 (or null), got ${t}`);
  return t;
}
