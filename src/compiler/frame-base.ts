import { InternalError } from '../core/errors.js';
import { CALL_RESULT } from '../core/frame.js';
import { sched } from '../core/scheduler.js';
import { FRAME_DATA, registerCompiledFunction, type CompiledFrame, type FrameData } from './contract.js';

/**
 * The base class of every compiled frame: the iterator protocol plus the state-machine
 * driver. Generated code subclasses it once per compiled generator function (`g$F`), and the
 * subclass constructor initialises every local and temporary so they live in-object.
 *
 * Invariants:
 *  - `st` is the one status field: 'new' (not started), 'suspended' (at a yield, a delegate
 *    or a pushed child), 'running' (inside next/throw/return), 'done'.
 *  - `pc` is the resume point (a case of the machine; -1 = finished, result in `sent`), `ppc`
 *    the case that ran last (what try regions and pending completions are matched against).
 *  - `dlg !== null` only while suspended inside a `yield*` over an iterator that is not a
 *    pushed compiled frame.
 *  - `cmp[i]` holds the completion pending across try entry i's finally block, only between
 *    an abrupt exit from its try/catch block and the end of its finally block.
 *  - Every field is plain data (or a user value): `[FRAME_DATA]()` is a copy of them.
 */
export abstract class Frame implements CompiledFrame {
  // Fields are `declare`d and assigned in the constructor, not class fields: a base-class field
  // initializer shared by many subclasses (one per compiled function) runs slower (see core's Op).
  declare pc: number;
  declare ppc: number;
  declare st: FrameStatus;
  /** The value sent in by next(v) (the yield's result), the caught exception, or the return value. */
  declare sent: unknown;
  declare dlg: Iterator<unknown, unknown, unknown> | null;
  declare cmp: (Completion | undefined)[] | null;
  /** The scope the function was created in (outer frame or block record); undefined at top level. */
  declare env: unknown;
  /** `this` of the call. */
  declare self: unknown;
  declare readonly restorable: true;
  /**
   * The compiled function's code and static data: on the subclass prototype (set by `unit()`)
   * for a module-level function; an own field set by the subclass constructor for a placed
   * one (`placedUnit`/`bindUnit`), whose machine is a closure of each evaluation.
   */
  declare readonly _u: Unit;

  constructor(env: unknown, self: unknown) {
    this.pc = 0;
    this.ppc = 0;
    this.st = 'new';
    this.sent = undefined;
    this.dlg = null;
    this.cmp = null;
    this.env = env;
    this.self = self;
  }

  next(v?: unknown): IteratorResult<unknown, unknown> {
    return this._run(NEXT, v);
  }
  throw(e: unknown): IteratorResult<unknown, unknown> {
    return this._run(THROW, e);
  }
  return(v?: unknown): IteratorResult<unknown, unknown> {
    return this._run(RETURN, v);
  }
  [Symbol.iterator](): this {
    return this;
  }
  /** Lets the trampoline read `CALL_RESULT.value.frame` when this frame is pushed. */
  get frame(): this {
    return this;
  }
  get [Symbol.toStringTag](): string {
    return 'Generator';
  }

  /** Throws InternalError if an invariant (see the class comment) does not hold. Used by tests. */
  checkInvariants(): void {
    const fail = (m: string): never => {
      throw new InternalError(`compiled frame ${this._u.fnId}: ${m}`);
    };
    if (!Number.isInteger(this.pc) || this.pc < -1) fail(`bad pc ${this.pc}`);
    if (this.dlg !== null && this.st !== 'suspended' && this.st !== 'running') fail(`delegate while ${this.st}`);
    if (this.st === 'done' && (this.pc !== -1 || this.cmp !== null)) fail('done but not finished');
    if (this.st === 'new' && (this.pc !== 0 || this.dlg !== null)) fail('new but started');
    const entries = this._u.tries.length / 4;
    if (this.cmp !== null) this.cmp.forEach((c, i) => {
      if (c !== undefined && (i >= entries || this._u.tries[i * 4 + 2]! < 0)) fail(`completion pending on try entry ${i} without a finally`);
    });
  }

  [FRAME_DATA](): FrameData {
    // A placed function's frame carries its Unit as an own field (see placedUnit): code, not data.
    const { _u: u, ...state } = this as unknown as Record<string, unknown> & { _u: Unit };
    return { fnId: u.fnId, codeHash: u.codeHash, state };
  }

  /**
   * The driver: deliver `v` by `mode` (to the delegate first, if any), run the machine,
   * and turn what it returns into an IteratorResult. Caller: next/throw/return.
   */
  private _run(mode: Mode, v: unknown): IteratorResult<unknown, unknown> {
    switch (this.st) {
      case 'running':
        throw new TypeError('Generator is already running');
      case 'done':
        if (mode === THROW) throw v;
        return { value: mode === RETURN ? v : undefined, done: true };
      case 'new':
        if (mode === THROW) {
          this.st = 'done';
          this.pc = -1;
          throw v;
        }
        if (mode === RETURN) {
          this.st = 'done';
          this.pc = -1;
          return { value: v, done: true };
        }
        break;
      case 'suspended':
        break;
      default:
        return this.st satisfies never;
    }
    this.st = 'running';
    try {
      for (;;) {
        const d = this.dlg;
        if (d !== null) {
          let r: IteratorResult<unknown, unknown> | undefined;
          try {
            r = delegateStep(d, mode, v);
          } catch (e) {
            this.dlg = null;
            mode = THROW;
            v = e;
          }
          if (r !== undefined) {
            if (r.done !== true) {
              if (r === CALL_RESULT && (r.value as unknown) === d) this.dlg = null; // call(): a pushed child answers us directly
              this.st = 'suspended';
              return r;
            }
            this.dlg = null;
            v = r.value;
            if (mode !== RETURN) mode = NEXT;
          } else if (mode !== THROW) {
            this.dlg = null; // return() on a delegate without return(): continue returning here
          }
        }
        if (mode === THROW) {
          if (!this._dispatch(v)) throw v;
        } else if (mode === RETURN) {
          ret(this, v);
        } else {
          this.sent = v;
        }
        const x = this._step();
        if (x === DELEGATE) {
          mode = NEXT;
          v = undefined;
          continue;
        }
        if (x === PUSH) {
          this.st = 'suspended';
          return CALL_RESULT as IteratorResult<unknown, unknown>;
        }
        if (this.pc === -1) {
          this.st = 'done';
          this.sent = undefined;
          this.cmp = null;
          return { value: x, done: true };
        }
        this.st = 'suspended';
        return { value: x, done: false };
      }
    } catch (e) {
      this.st = 'done';
      this.pc = -1;
      this.dlg = null;
      this.cmp = null;
      throw e;
    }
  }

  /** Run the machine, routing exceptions to catch/finally blocks. Caller: $run. */
  private _step(): unknown {
    const m = this._u.machine;
    for (;;) {
      try {
        return m(this);
      } catch (e) {
        if (!this._dispatch(e)) throw e;
      }
    }
  }

  /**
   * Route exception `e` raised at `ppc` to the innermost catch or finally covering it.
   * Returns false when no handler covers it (the frame raises). Caller: $run, $step.
   */
  _dispatch(e: unknown): boolean {
    const T = this._u.tries;
    const p = this.ppc;
    for (let i = T.length - 4; i >= 0; i -= 4) {
      if (p < T[i]!) continue;
      const c = T[i + 1]!;
      const f = T[i + 2]!;
      if (c >= 0 && p < c) {
        this.pc = c;
        this.sent = e;
        return true;
      }
      if (f >= 0 && p < f) {
        record(this, i >> 2, { k: THROW, v: e });
        this.pc = f;
        return true;
      }
    }
    return false;
  }
}

Object.defineProperty(Frame.prototype, 'restorable', { value: true });

export type FrameStatus = 'new' | 'suspended' | 'running' | 'done';

/** A completion pending across a finally block: k = JUMP (v = target pc), RETURN or THROW. */
export interface Completion {
  k: 0 | 1 | 2;
  v: unknown;
}

type Mode = 0 | 1 | 2;
const NEXT = 0;
const THROW = 1;
const RETURN = 2;
const JUMP = 0;

/** Machine results that are not yielded values. */
export const DELEGATE: unique symbol = Symbol('stackless.delegate');
export const PUSH: unique symbol = Symbol('stackless.push');

/** Static data of one compiled generator function. */
export interface Unit {
  readonly fnId: string;
  readonly codeHash: string;
  readonly machine: (f: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Try entries, 4 numbers each: tryLoc, catchLoc (-1: none), finallyLoc (-1: none), afterLoc. */
  readonly tries: readonly number[];
}

type FrameClass = new (env: unknown, self: unknown, ...args: unknown[]) => Frame;
type PlacedFrameClass = new (env: unknown, self: unknown, u: Unit, ...args: unknown[]) => Frame;

/** Rebuild a frame from its FRAME_DATA state. Caller: the reviveFrame of unit/placedUnit. */
function reviveInto(f: Frame, fnId: string, state: Record<string, unknown>): Frame & { restorable: true } {
  if (Object.hasOwn(state, '_u')) throw new TypeError(`compiled frame state for ${fnId} has a field _u: frames carry no code`);
  Object.assign(f, state);
  return f as Frame & { restorable: true };
}

/**
 * Register a compiled generator function whose code is at module level. Caller: generated
 * module code, once per function at module evaluation.
 */
export function unit(fnId: string, codeHash: string, machine: Unit['machine'], tries: readonly number[], cls: FrameClass): Unit {
  const u: Unit = { fnId, codeHash, machine, tries };
  Object.defineProperty(cls.prototype, '_u', { value: u });
  registerCompiledFunction({ fnId, codeHash, reviveFrame: (state) => reviveInto(new cls(undefined, undefined), fnId, state) });
  return u;
}

/**
 * A compiled generator function placed inside a function or block (it uses that scope's
 * variables, so its machine is a closure created on each evaluation of the scope).
 *
 * Its frame class is still module-level, one per function: every evaluation's frames share
 * one hidden class, so the driver, the trampoline and the machine keep monomorphic property
 * accesses. (A class per evaluation made them megamorphic: 3x slower resumes.) Each
 * evaluation binds its machine with `bindUnit`; the wrapper passes that Unit to the frame
 * constructor (`new g$F(env, self, u, ...args)`), which stores it as the own field `_u`.
 *
 * Reviving a frame uses the most recent evaluation's machine, held weakly so the registry
 * never keeps that scope alive.
 */
export interface PlacedFunction {
  readonly fnId: string;
  readonly codeHash: string;
  readonly tries: readonly number[];
  /** The Unit of the most recent evaluation. Writer: bindUnit. */
  latest: WeakRef<Unit> | null;
}

/** Caller: generated module code, once per placed function at module evaluation. */
export function placedUnit(fnId: string, codeHash: string, tries: readonly number[], cls: PlacedFrameClass): PlacedFunction {
  const p: PlacedFunction = { fnId, codeHash, tries, latest: null };
  registerCompiledFunction({
    fnId,
    codeHash,
    reviveFrame(state) {
      const u = p.latest?.deref();
      if (u === undefined)
        throw new Error(`compiled function ${fnId} is not loaded: the scope that defines it has not run in this process (or was collected); run that code first`);
      return reviveInto(new cls(undefined, undefined, u), fnId, state);
    },
  });
  return p;
}

/** Caller: generated code, on each evaluation of the scope that defines a placed function. */
export function bindUnit(p: PlacedFunction, machine: Unit['machine']): Unit {
  const u: Unit = { fnId: p.fnId, codeHash: p.codeHash, machine, tries: p.tries };
  p.latest = new WeakRef(u);
  return u;
}

function delegateStep(d: Iterator<unknown, unknown, unknown>, mode: Mode, v: unknown): IteratorResult<unknown, unknown> | undefined {
  if (mode === NEXT) return d.next(v);
  if (mode === THROW) {
    const t = d.throw;
    if (t !== undefined) return t.call(d, v);
    const r = d.return;
    if (r !== undefined) r.call(d);
    throw new TypeError('The iterator does not provide a \'throw\' method');
  }
  const r = d.return;
  if (r === undefined) return undefined;
  const res = r.call(d, v);
  if (res === null || typeof res !== 'object') throw new TypeError('iterator.return() did not return an object');
  return res;
}

function record(f: Frame, i: number, c: Completion): void {
  if (f.cmp === null) f.cmp = [];
  f.cmp[i] = c;
}

/**
 * `return v` that crosses a finally block (or return() from outside): run the innermost
 * enclosing finally with the return pending, or finish. Caller: generated code, $run, fin.
 */
export function ret(f: Frame, v: unknown): void {
  const T = f._u.tries;
  const p = f.ppc;
  for (let i = T.length - 4; i >= 0; i -= 4) {
    const fl = T[i + 2]!;
    if (fl >= 0 && T[i]! <= p && p < fl) {
      record(f, i >> 2, { k: RETURN, v });
      f.pc = fl;
      return;
    }
  }
  f.pc = -1;
  f.sent = v;
}

/** `break`/`continue` that crosses a finally block. Caller: generated code, fin. */
export function jump(f: Frame, target: number): void {
  const T = f._u.tries;
  const p = f.ppc;
  for (let i = T.length - 4; i >= 0; i -= 4) {
    const t = T[i]!;
    const fl = T[i + 2]!;
    if (fl >= 0 && t <= p && p < fl && !(t <= target && target < fl)) {
      record(f, i >> 2, { k: JUMP, v: target });
      f.pc = fl;
      return;
    }
  }
  f.pc = target;
}

/** Start of a try statement that has a finally block: forget a stale completion. */
export function tryStart(f: Frame, i: number): void {
  if (f.cmp !== null) f.cmp[i] = undefined;
}

/**
 * End of finally block i: resume the pending completion, or continue at `after`.
 * Caller: generated code.
 */
export function fin(f: Frame, i: number, after: number): void {
  const c = f.cmp === null ? undefined : f.cmp[i];
  if (c === undefined) {
    f.pc = after;
    return;
  }
  f.cmp![i] = undefined;
  switch (c.k) {
    case JUMP:
      return jump(f, c.v as number);
    case RETURN:
      return ret(f, c.v);
    case THROW:
      throw c.v;
    default:
      return c.k satisfies never;
  }
}

/** The pending completion of finally block i (for iterator closing). */
export function pending(f: Frame, i: number): Completion | undefined {
  return f.cmp === null ? undefined : f.cmp[i];
}

/**
 * Start `yield* iterable`. A compiled generator that has not started is pushed on the
 * tasklet's frame stack when `f` is the frame the trampoline is running (O(1) resume at any
 * depth); anything else becomes `f`'s delegate. Caller: generated code.
 */
export function del(f: Frame, iterable: unknown): typeof DELEGATE | typeof PUSH {
  if (iterable instanceof Frame && iterable.st === 'new' && sched.mode === 'running' && sched.current._frame === f) {
    CALL_RESULT.value = iterable;
    return PUSH;
  }
  if (iterable === null || iterable === undefined) throw new TypeError(`yield* needs an iterable, got ${String(iterable)}`);
  const m = (iterable as { [Symbol.iterator]?: () => Iterator<unknown> })[Symbol.iterator];
  if (typeof m !== 'function') throw new TypeError(`${typeof iterable} is not iterable (yield*)`);
  const it = m.call(iterable);
  if (it === null || typeof it !== 'object') throw new TypeError('Result of the Symbol.iterator method is not an object');
  f.dlg = it as Iterator<unknown, unknown, unknown>;
  return DELEGATE;
}
