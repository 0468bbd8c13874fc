import { Bomb } from './bomb.js';
import { TaskletExit, TaskletStateError } from './errors.js';
import type { Frame, Trap } from './frame.js';
import { launch, Op, SUSPEND } from './op.js';
import { checkSwitchTrap } from './park.js';
import { append, cancelWait, switchTo, unlink } from './ring.js';
import { sched } from './scheduler.js';
import { isAliveStatus, type TaskletStatus } from './status.js';
import type { Waitable } from './waitable.js';
import { threadId } from 'node:worker_threads';

/** A tasklet's function: a generator function (can block with yield*) or a plain function. */
export type TaskletFunction<A extends unknown[] = unknown[]> = (
  ...args: A
) => Generator<Trap, unknown, unknown> | Iterator<Trap, unknown, unknown> | unknown;

/** The call a tasklet makes when it first runs. */
interface Entry {
  readonly fn: TaskletFunction<never[]>;
  readonly args: readonly unknown[];
}

const ATOMIC = 1;
const BLOCK_TRAP = 2;
let nextId = 1;

/**
 * A microthread: a function (normally a generator function) with its own stack of frames,
 * scheduled cooperatively on this thread's run ring.
 *
 * Invariants:
 *  - `_status` says where the tasklet is (see status.ts); alive ⇔ status not new/dead.
 *  - 'scheduled'/'current' ⇒ `_next`/`_prev` are ring neighbours; 'blocked' on a channel ⇒
 *    they are channel-queue neighbours (null at the ends); otherwise both are null.
 *  - 'blocked' ⇔ `_waitingOn !== null`.
 *  - `_entry !== null` ⇒ alive, not started, `_frame === null`.
 *  - `_stack !== null` only while `_frame !== null` (it holds the frames below the top one).
 *  - dead ⇒ `_frame`, `_stack`, `_entry` null and `_tempval` undefined.
 */
export class Tasklet<A extends unknown[] = unknown[]> {
  /** Unique per thread, for debugging. */
  readonly id: number;
  /** @internal Writer: ring.ts, park.ts, lifecycle.ts, bind(). */
  _status: TaskletStatus = 'new';
  /** @internal Ring or channel-queue neighbours. Writer: ring.ts, park.ts, Channel. */
  _next: Tasklet | null = null;
  /** @internal */
  _prev: Tasklet | null = null;
  /** @internal The value slot (Stackless tempval). Writer: operations, the trampoline. */
  _tempval: unknown = undefined;
  /** @internal Top frame. Writer: the trampoline, lifecycle, runMain, unpickling. */
  _frame: Frame | null = null;
  /** @internal Frames below the top, bottom first; null when depth <= 1. Writer: trampoline. */
  _stack: Frame[] | null = null;
  /** @internal What a blocked tasklet waits on. Writer: park.ts, ring.cancelWait. */
  _waitingOn: Waitable | null = null;
  /** @internal The call a tasklet that has not started makes: the bare function when it takes
   * no arguments (the common `setup()` case: no allocation), else `{ fn, args }`.
   * Writer: bind, setup, lifecycle, restore. */
  _entry: Entry | TaskletFunction<never[]> | null = null;
  /** @internal ATOMIC | BLOCK_TRAP bits. Writer: setAtomic, blockTrap setter. */
  _flags = 0;
  /** @internal Optional debugging name. */
  _label: string | null;

  /**
   * `new Tasklet(fn)` binds `fn` (not alive yet; `setup(...args)` starts it);
   * `new Tasklet(fn, args)` binds with arguments: alive and paused.
   */
  constructor(fn?: TaskletFunction<A> | null, args?: A, options?: { name?: string }) {
    this.id = nextId++;
    this._label = options?.name ?? null;
    if (fn !== undefined && fn !== null) this.bind(fn, args);
  }

  /** @internal Caller: module init only. */
  static createMain(): Tasklet {
    const m = new Tasklet(null, undefined, { name: 'main' });
    m._status = 'current';
    m._next = m;
    m._prev = m;
    return m;
  }

  // ---- binding ---------------------------------------------------------------------------

  /**
   * Bind `fn` (and, with `args`, create the initial call: the tasklet becomes alive and
   * paused). `bind()` / `bind(null)` unbind: frames are dropped without running `finally`.
   * `bind(null, args)` reuses the previously bound function.
   */
  bind(fn?: TaskletFunction<A> | null, args?: A): this {
    if (fn !== undefined && fn !== null && typeof fn !== 'function')
      throw new TypeError('tasklet function must be a callable or None (a function, or null to unbind)');
    if (this._status === 'current') throw new TaskletStateError("can't (re)bind the current tasklet");
    if (this._status === 'scheduled' || this._status === 'blocked')
      throw new TaskletStateError('tasklet is scheduled: remove() it (or kill it) before binding it again');
    if (this === sched.main && args === undefined)
      throw new TaskletStateError("can't unbind the main tasklet");
    if (args === undefined) {
      this._frame = null;
      this._stack = null;
      this._entry = null;
      this._tempval = fn ?? undefined;
      this._status = 'new';
      return this;
    }
    const f = fn ?? (typeof this._tempval === 'function' ? (this._tempval as TaskletFunction<A>) : null);
    if (f === null) throw new TaskletStateError('the tasklet was not bound to a function');
    this._frame = null;
    this._stack = null;
    this._entry = { fn: f as TaskletFunction<never[]>, args: [...args] };
    this._tempval = undefined;
    this._status = 'paused';
    return this;
  }

  /** Create the initial call with `args` and insert the tasklet at the tail of the ring. */
  setup(...args: A): this {
    if (isAliveStatus(this._status)) throw new TaskletStateError('tasklet is alive: setup() needs a new or dead tasklet');
    const fn = this._tempval;
    if (typeof fn !== 'function')
      throw new TaskletStateError('the tasklet was not bound to a function: bind(fn) first, or use new Tasklet(fn)');
    this._entry = args.length === 0 ? (fn as TaskletFunction<never[]>) : { fn: fn as TaskletFunction<never[]>, args };
    this._tempval = undefined;
    append(this);
    return this;
  }

  // ---- the run ring ----------------------------------------------------------------------

  /** Append to the tail of the ring if not already scheduled (no move if scheduled). */
  insert(): this {
    if (this._status === 'blocked')
      throw new TaskletStateError('You cannot run a blocked tasklet: it waits on ' + this.waitReason);
    if (!this.alive) throw new TaskletStateError('You cannot run an unbound(dead) tasklet');
    if (this._status === 'paused') append(this);
    return this;
  }

  /** Take a scheduled tasklet out of the ring (it becomes paused). */
  remove(): this {
    if (this._status === 'blocked') throw new TaskletStateError('You cannot remove a blocked tasklet.');
    if (this._status === 'current') throw new TaskletStateError('The current tasklet cannot be removed.');
    if (this._status === 'scheduled') unlink(this);
    return this;
  }

  /**
   * Switch to this tasklet now; the caller stays in the ring at its position. Returns the
   * caller's tempval when it is resumed.
   */
  run(): Op<unknown> {
    return launch(new RunTaskletOp(this, false));
  }

  /** Like run(), but the caller leaves the ring (paused) atomically. */
  switch(): Op<unknown> {
    return launch(new RunTaskletOp(this, true));
  }

  // ---- errors and termination ------------------------------------------------------------

  /**
   * Raise TaskletExit in the tasklet. Dead: no-op. Blocked: it leaves its channel. With
   * `pending` it is only made runnable; otherwise it runs at once and the caller resumes
   * when the ring reaches it again.
   */
  kill(options?: { pending?: boolean }): Op<void> {
    return launch(new ThrowOp(this, new TaskletExit(), options?.pending === true, true));
  }

  /** Raise `error` in the tasklet at its suspension point (see kill for `pending`). */
  throw(error: unknown, options?: { pending?: boolean }): Op<void> {
    if (error === undefined || error === null)
      throw new TypeError(`exceptions must be classes, or instances, not ${String(error)}: pass the error to raise, e.g. t.throw(new Error('...'))`);
    return launch(new ThrowOp(this, error, options?.pending === true, false));
  }

  /** Raise `new ErrorClass(...args)` in the tasklet (never pending). */
  raiseException<E extends new (...a: never[]) => unknown>(ErrorClass: E, ...args: ConstructorParameters<E>): Op<void> {
    if (!isErrorClass(ErrorClass))
      throw new TypeError(
        'tasklet.raiseException needs Exception or string subclass as first parameter (an Error class or TaskletExit)',
      );
    return launch(new ThrowOp(this, new ErrorClass(...args), false, false));
  }

  // ---- flags -----------------------------------------------------------------------------

  /** Set the atomic flag (no preemption while set); returns the previous value. */
  setAtomic(flag: boolean): boolean {
    if (typeof flag !== 'boolean' && typeof flag !== 'number')
      throw new TypeError('set_atomic needs exactly one bool or integer');
    const prev = (this._flags & ATOMIC) !== 0;
    this._flags = flag ? this._flags | ATOMIC : this._flags & ~ATOMIC;
    return prev;
  }

  get atomic(): boolean {
    return (this._flags & ATOMIC) !== 0;
  }

  /** When set, a channel operation that would block raises BlockTrapError instead. */
  get blockTrap(): boolean {
    return (this._flags & BLOCK_TRAP) !== 0;
  }
  set blockTrap(flag: boolean) {
    if (typeof flag !== 'boolean' && typeof flag !== 'number')
      throw new TypeError('block_trap must be set to a bool or integer');
    this._flags = flag ? this._flags | BLOCK_TRAP : this._flags & ~BLOCK_TRAP;
  }

  // ---- attributes ------------------------------------------------------------------------

  get status(): TaskletStatus {
    return this._status;
  }
  get alive(): boolean {
    return isAliveStatus(this._status);
  }
  get paused(): boolean {
    return this._status === 'paused';
  }
  get blocked(): boolean {
    return this._status === 'blocked';
  }
  /** In the run ring or blocked on a channel (anything linked). */
  get scheduled(): boolean {
    const s = this._status;
    return s === 'scheduled' || s === 'current' || s === 'blocked';
  }
  get isMain(): boolean {
    return this === sched.main;
  }
  get isCurrent(): boolean {
    return this._status === 'current';
  }
  /** Ring neighbour, or channel-queue neighbour while blocked; null when unlinked. */
  get next(): Tasklet | null {
    return this._next;
  }
  get prev(): Tasklet | null {
    return this._prev;
  }
  get tempval(): unknown {
    return this._tempval;
  }
  set tempval(v: unknown) {
    this._tempval = v;
  }
  /** True when every frame can be pickled (compiled frames only; a new tasklet is restorable). */
  get restorable(): boolean {
    if (this._frame === null) return true;
    if (this._frame.restorable !== true) return false;
    if (this._stack !== null) for (const f of this._stack) if (f.restorable !== true) return false;
    return true;
  }
  /** Number of frames on the tasklet's stack (0 when not started or dead). */
  get depth(): number {
    return this._frame === null ? 0 : (this._stack?.length ?? 0) + 1;
  }
  /** The thread (worker threadId) this tasklet belongs to. */
  get threadId(): number {
    return threadId;
  }
  /** What a blocked tasklet waits on ("receiving on channel#2"), else its status. */
  get waitReason(): string {
    if (this._waitingOn !== null) return this._waitingOn.describeWait(this);
    if (sched.watchdogs.includes(this)) return 'waiting in run()';
    return this._status;
  }
  get name(): string {
    return this._label ?? `tasklet#${this.id}`;
  }
  set name(label: string) {
    this._label = label;
  }
  toString(): string {
    return this._label === null ? `tasklet#${this.id}` : `tasklet#${this.id}(${this._label})`;
  }

  /** Assert this tasklet's invariants (used by tests). */
  checkInvariants(): void {
    const fail = (what: string): never => {
      throw new Error(`tasklet invariant broken for ${this}: ${what}`);
    };
    const st = this._status;
    if ((st === 'blocked') !== (this._waitingOn !== null)) fail('blocked ⇔ waitingOn');
    if (this._entry !== null && (!isAliveStatus(st) || this._frame !== null)) fail('entry ⇒ alive & frameless');
    if (this._stack !== null && this._frame === null) fail('stack without frame');
    if (st === 'dead' && (this._frame !== null || this._entry !== null || this._tempval !== undefined))
      fail('dead with state');
    if ((st === 'new' || st === 'dead' || st === 'paused') && (this._next !== null || this._prev !== null))
      fail(`${st} but linked`);
  }
}

function isErrorClass(c: unknown): c is new (...a: unknown[]) => unknown {
  if (typeof c !== 'function') return false;
  return c === Error || c === TaskletExit || c.prototype instanceof Error || c.prototype instanceof TaskletExit;
}

/** t.run() / t.switch(). */
class RunTaskletOp extends Op<unknown> {
  constructor(
    private readonly target: Tasklet,
    private readonly removeCaller: boolean,
  ) {
    super();
  }
  protected start(): unknown {
    const cur = sched.current;
    const t = this.target;
    if (t === cur) {
      const v = cur._tempval;
      cur._tempval = undefined;
      if (v instanceof Bomb) throw v.error;
      return v;
    }
    if (t._status === 'blocked')
      throw new TaskletStateError(`You cannot run a blocked tasklet: ${t} waits on ${t.waitReason}`);
    if (!t.alive) throw new TaskletStateError('You cannot run an unbound(dead) tasklet');
    checkSwitchTrap();
    if (this.removeCaller) unlink(cur);
    switchTo(t);
    return SUSPEND;
  }
  toString(): string {
    return `${this.target}.${this.removeCaller ? 'switch' : 'run'}()`;
  }
}

/** kill / throw / raiseException. */
class ThrowOp extends Op<void> {
  constructor(
    private readonly target: Tasklet,
    private readonly error: unknown,
    private readonly pending: boolean,
    private readonly isKill: boolean,
  ) {
    super();
  }
  protected start(): void | typeof SUSPEND {
    const cur = sched.current;
    const t = this.target;
    if (this.isKill && !t.alive) return;
    if (t === cur) throw this.error;
    if (!t.alive) {
      if (this.error instanceof TaskletExit) return;
      throw new TaskletStateError(`You cannot throw to a dead tasklet (${t} is ${t._status})`);
    }
    if (this.pending) {
      if (t._status === 'blocked') cancelWait(t);
      t._tempval = new Bomb(this.error);
      if (t._status === 'paused') append(t);
      return;
    }
    checkSwitchTrap();
    t._tempval = new Bomb(this.error);
    switchTo(t);
    return SUSPEND;
  }
  protected override resume(v: unknown): void {
    void v;
  }
  override get _resumeKind(): 'void' {
    return 'void';
  }
  toString(): string {
    return `${this.target}.${this.isKill ? 'kill' : 'throw'}()`;
  }
}

// The main tasklet exists from the moment the runtime is loaded (Stackless creates it lazily
// on first use; nothing observable differs).
const main = Tasklet.createMain();
sched.main = main;
sched.current = main;
sched.head = main;
sched.runcount = 1;
