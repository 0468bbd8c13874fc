import { Bomb } from './bomb.js';
import { callChannelCallback } from './callbacks.js';
import { BlockTrapError, CallbackError, ChannelClosedError, InternalError, StopIteration, TaskletExit } from './errors.js';
import type { Trap } from './frame.js';
import { GenOp, ImmediateOp, launch, Op, SUSPEND } from './op.js';
import { checkSwitchTrap, park, unpark } from './park.js';
import { append, switchTo, unlink } from './ring.js';
import { sched } from './scheduler.js';
import type { Tasklet } from './tasklet.js';
import type { Waitable } from './waitable.js';

let nextChannelId = 1;
const SEND = 1;
const RECEIVE = -1;
type Direction = typeof SEND | typeof RECEIVE;

/**
 * A synchronous rendezvous channel (Stackless's channel): a send waits for a receive and
 * vice versa. Blocked tasklets wait in one FIFO queue that holds only senders or only
 * receivers; `preference` decides who runs after a hand-off.
 *
 * Invariants:
 *  - The queue (`_head` … `_tail`, linked through the tasklets' `_next`/`_prev`, null at the
 *    ends) holds exactly the tasklets blocked on this channel, in arrival order.
 *  - `_balance` = +queue length when they are senders, −queue length when receivers.
 *  - A queued sender's `_tempval` holds the value it sends (a Bomb for exceptions).
 *  - `_preference` ∈ {−1, 0, 1}.
 */
export class Channel<T = unknown> implements Waitable {
  readonly id: number;
  readonly external = false;
  /** @internal Writer: enqueue/dequeue/cancelWait. */
  _head: Tasklet | null = null;
  /** @internal */
  _tail: Tasklet | null = null;
  /** @internal Writer: enqueue/dequeue/cancelWait. */
  _balance = 0;
  /** @internal Writer: preference setter. */
  _preference: -1 | 0 | 1 = -1;
  /** @internal Writer: scheduleAll setter. */
  _scheduleAll = false;
  /** @internal Writer: close()/open(). */
  _closing = false;
  /** Optional debugging name. */
  name: string | null;
  /** @internal Cached operations (see ChannelOp). */
  _sendOp: ChannelOp<void> | null = null;
  _recvOp: ChannelOp<unknown> | null = null;

  constructor(options?: { name?: string }) {
    this.id = nextChannelId++;
    this.name = options?.name ?? null;
  }

  // ---- operations ------------------------------------------------------------------------

  /** Send `value`; blocks until a receiver takes it. */
  send(value: T): Op<void> {
    // Plain code keeps each result in its own op.value: no shared cached op there.
    const op = sched.mode === 'plain' ? new ChannelOp<void>(this, SEND) : (this._sendOp ??= new ChannelOp<void>(this, SEND));
    op.payload = value;
    return launch(op);
  }

  /** Receive a value; blocks until a sender offers one. Raises what sendException sent. */
  receive(): Op<T> {
    if (sched.mode === 'plain') return launch(new ChannelOp<T>(this, RECEIVE));
    return launch((this._recvOp ??= new ChannelOp<T>(this, RECEIVE)) as Op<T>);
  }

  /** Make the receiver raise `new ErrorClass(...args)`. */
  sendException<E extends new (...a: never[]) => unknown>(ErrorClass: E, ...args: ConstructorParameters<E>): Op<void> {
    if (typeof ErrorClass !== 'function' || !((ErrorClass as unknown) === Error || ErrorClass.prototype instanceof Error || isExitClass(ErrorClass)))
      throw new TypeError(
        'channel.send_exception needs Exception or string subclass as first parameter (an Error class); use sendThrow(error) for an instance',
      );
    return launch(withPayload(new ChannelOp<void>(this, SEND), new Bomb(new ErrorClass(...args))));
  }

  /** Make the receiver raise `error` (an existing error instance, stack trace kept). */
  sendThrow(error: unknown): Op<void> {
    return launch(withPayload(new ChannelOp<void>(this, SEND), new Bomb(error)));
  }

  /** Send every item of `items` in turn; returns how many were sent. */
  sendSequence(items: Iterable<T>): Op<number> {
    const ch = this;
    return launch(
      new GenOp(`${this}.sendSequence()`, function* () {
        let n = 0;
        for (const x of items) {
          yield* ch.send(x);
          n++;
        }
        return n;
      }),
    );
  }

  /**
   * Stackless's `__next__`: done when the channel is closing with no sender waiting, or when
   * a StopIteration arrives; otherwise receive.
   */
  next(): Op<IteratorResult<T, undefined>> {
    const ch = this;
    return launch(new GenOp(`${this}.next()`, function* (): Generator<Trap, IteratorResult<T, undefined>, unknown> {
      if (ch._closing && ch._balance <= 0) return { done: true, value: undefined };
      try {
        return { done: false, value: yield* ch.receive() };
      } catch (e) {
        if (e instanceof StopIteration) return { done: true, value: undefined };
        throw e;
      }
    }));
  }

  /** Receive until iteration ends (see next()); returns the values: `for (const x of yield* ch.collect())`. */
  collect(): Op<T[]> {
    const ch = this;
    return launch(new GenOp(`${this}.collect()`, function* () {
      const out: T[] = [];
      for (;;) {
        const r = yield* ch.next();
        if (r.done === true) return out;
        out.push(r.value);
      }
    }));
  }

  /** Call `body` for each value until iteration ends (see next()); `body` may block. */
  forEach(body: (value: T) => Generator<Trap, unknown, unknown> | void): Op<void> {
    const ch = this;
    return launch(new GenOp(`${this}.forEach()`, function* () {
      for (;;) {
        const r = yield* ch.next();
        if (r.done === true) return;
        const g = body(r.value);
        if (g !== undefined) yield* g;
      }
    }));
  }

  /** Mark the channel closing: operations that would block raise ChannelClosedError. Wakes nobody. */
  close(): void {
    this._closing = true;
  }

  /** Reopen a closing channel. */
  open(): void {
    this._closing = false;
  }

  // ---- attributes ------------------------------------------------------------------------

  /** +n: n senders wait; −n: n receivers wait. */
  get balance(): number {
    return this._balance;
  }
  get closing(): boolean {
    return this._closing;
  }
  /** Closing and nobody waiting. */
  get closed(): boolean {
    return this._closing && this._balance === 0;
  }
  /** The first waiting tasklet (follow `.next` for the rest), or null. */
  get queue(): Tasklet | null {
    return this._head;
  }
  /** −1: the receiver runs first after a hand-off; +1: the sender; 0: the caller continues. */
  get preference(): number {
    return this._preference;
  }
  set preference(p: number | boolean) {
    if (typeof p === 'boolean') p = p ? 1 : 0;
    if (typeof p !== 'number' || !Number.isInteger(p))
      throw new TypeError('preference must be set to an integer (-1, 0 or 1; other values are clamped by sign)');
    this._preference = p > 0 ? 1 : p < 0 ? -1 : 0;
  }
  /** When set, a hand-off makes both sides wait their turn (overrides preference). */
  get scheduleAll(): boolean {
    return this._scheduleAll;
  }
  set scheduleAll(flag: boolean | number) {
    if (typeof flag !== 'boolean' && !(typeof flag === 'number' && Number.isInteger(flag)))
      throw new TypeError('scheduleAll must be set to a bool or integer');
    this._scheduleAll = Boolean(flag);
  }

  toString(): string {
    return this.name === null ? `channel#${this.id}` : `channel#${this.id}(${this.name})`;
  }

  // ---- Waitable --------------------------------------------------------------------------

  /** @internal Caller: the scheduler (kill/throw/revive of a tasklet blocked here). */
  cancelWait(t: Tasklet): void {
    const prev = t._prev;
    const next = t._next;
    if (prev === null) this._head = next;
    else prev._next = next;
    if (next === null) this._tail = prev;
    else next._prev = prev;
    this._balance += this._balance > 0 ? -1 : 1;
  }

  /** @internal */
  describeWait(t: Tasklet): string {
    const dir = t._waitingOn === this ? (this._balance > 0 ? 'sending on' : 'receiving on') : 'waiting on';
    return `${dir} ${this}`;
  }

  /** Assert the channel's invariants (used by tests). */
  checkInvariants(): void {
    let n = 0;
    let prev: Tasklet | null = null;
    for (let t = this._head; t !== null; t = t._next) {
      n++;
      if (t._prev !== prev) throw new InternalError(`${this}: queue back-link broken at ${t}`);
      if (t._status !== 'blocked' || t._waitingOn !== this) throw new InternalError(`${this}: ${t} queued but ${t._status}`);
      prev = t;
    }
    if (prev !== this._tail) throw new InternalError(`${this}: tail is not the last queued tasklet`);
    if (Math.abs(this._balance) !== n) throw new InternalError(`${this}: balance ${this._balance} but ${n} queued`);
    if (this._preference !== -1 && this._preference !== 0 && this._preference !== 1)
      throw new InternalError(`${this}: preference ${this._preference}`);
  }

  // ---- the channel action (Stackless §5.1) -----------------------------------------------

  /**
   * Send (dir +1, `value` = what to send) or receive (dir −1) for the current tasklet.
   * Returns the received value (undefined for a send), or SUSPEND when the caller was
   * switched away (it then resumes with its tempval). Caller: ChannelOp.start().
   */
  _action(dir: Direction, value: unknown): unknown {
    const s = sched;
    const cur = s.current;
    const partnerWaiting = this._balance * dir < 0;
    if (s.channelCallback !== null) {
      cur._tempval = dir === SEND ? value : undefined;
      callChannelCallback(this, cur, dir === SEND, !partnerWaiting);
      cur._tempval = undefined;
    }
    if (partnerWaiting) {
      const preferred = this._scheduleAll ? 0 : this._preference === -dir ? -1 : 1;
      if (preferred !== 1) checkSwitchTrap();
      const p = this._dequeue();
      let result: unknown;
      if (dir === SEND) {
        unpark(p, value);
        result = undefined;
      } else {
        result = p._tempval;
        unpark(p, undefined);
      }
      if (preferred === 1) {
        if (result instanceof Bomb) throw result.error;
        return result;
      }
      cur._tempval = result;
      if (preferred === 0) {
        switchTo(cur._next!);
      } else {
        unlink(cur);
        switchTo(p);
        append(cur);
      }
      return SUSPEND;
    }
    if (cur.blockTrap)
      throw new BlockTrapError(`this tasklet does not like to be blocked. (${cur} has blockTrap set and ${this} has no partner)`);
    if (this._closing)
      throw new ChannelClosedError(`Send/receive operation on a closed channel (${this}); open() it or stop using it`);
    park(cur, this);
    cur._tempval = dir === SEND ? value : undefined;
    this._enqueue(cur, dir);
    return SUSPEND;
  }

  private _enqueue(t: Tasklet, dir: Direction): void {
    t._next = null;
    t._prev = this._tail;
    if (this._tail === null) this._head = t;
    else this._tail._next = t;
    this._tail = t;
    this._balance += dir;
  }

  private _dequeue(): Tasklet {
    const t = this._head!;
    const next = t._next;
    this._head = next;
    if (next === null) this._tail = null;
    else next._prev = null;
    this._balance += this._balance > 0 ? -1 : 1;
    t._next = null;
    return t;
  }
}

function isExitClass(c: Function): boolean {
  return c === TaskletExit || c.prototype instanceof TaskletExit;
}

function withPayload<R>(op: ChannelOp<R>, payload: unknown): ChannelOp<R> {
  op.payload = payload;
  return op;
}

/**
 * send/receive. The action happens in `[Symbol.iterator]()` (called by `yield*` right after
 * the operation is created) and the shared stateless DONE_ITER/RESUME_ITER finish it, so a
 * channel keeps one cached operation per direction and nothing is allocated per message.
 * Safe because an operation must be performed before the next is created (checked).
 */
class ChannelOp<R> extends ImmediateOp<R> {
  payload: unknown = undefined;
  constructor(
    private readonly ch: Channel<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    private readonly dir: Direction,
  ) {
    super();
  }
  protected act(): R | typeof SUSPEND {
    if (sched.inCallback !== null) throw new CallbackError('Recursive channel call due to callbacks!');
    const payload = this.payload;
    this.payload = undefined;
    return this.ch._action(this.dir, payload) as R | typeof SUSPEND;
  }
  toString(): string {
    return `${this.ch}.${this.dir === SEND ? 'send' : 'receive'}()`;
  }
}
