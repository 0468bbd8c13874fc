import { Buffer } from 'node:buffer';
import { Channel } from '../core/channel.js';
import { Op, RESUME_ITER } from '../core/op.js';
import { channelState, taskletState } from '../core/restore.js';
import { sched } from '../core/scheduler.js';
import { Tasklet } from '../core/tasklet.js';
import {
  CLOSURE_DATA,
  compiledFunctions,
  FRAME_DATA,
  FUNCTION_DATA,
  type ClosureData,
  type FrameData,
  type FunctionData,
} from '../compiler/contract.js';
import { ByteWriter } from './byte-writer.js';
import {
  C_CLOSING,
  C_HAS_NAME,
  C_SCHEDULE_ALL,
  C_SENDERS,
  ERR_HAS_CAUSE,
  ERR_HAS_STACK,
  FN_CLASS,
  FN_COMPILED,
  FN_FUNCTION,
  isArrayIndex,
  OP_DONE,
  OP_RESUME_VALUE,
  SMALL_INT_MAX,
  T_ATOMIC,
  T_BLOCK_TRAP,
  T_BLOCKED,
  T_DEAD,
  T_HAS_ENTRY,
  T_HAS_NAME,
  T_NEW,
  T_PAUSED,
  T_SUBCLASS,
  Tag,
  TYPED_ARRAY_KINDS,
} from './format.js';
import { describeNativeFrame } from './native-frame.js';
import { operationMode } from './operation.js';
import { Refusal } from './refusal.js';
import { classOf, functionName, REDUCE, type ClassEntry } from './registry.js';
import { subclassFields } from './tasklet-fields.js';

/** A run of missing array elements, pushed on the work stack. */
class HoleRun {
  constructor(readonly n: number) {}
}

/** An array the encoder made itself (a frame list, a queue): indices only, nobody else refers to it. */
class OwnList {
  constructor(readonly a: readonly unknown[]) {}
}

const objectProto = Object.prototype;
const arrayProto = Array.prototype;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Writes one value graph in the pickle format, iteratively (an explicit work stack, so a
 * 10^6-frame tasklet or a 10^6-long linked list does not overflow the JS stack). Values are
 * written pre-order; each object gets an id on first sight and a REF after that.
 * Refusals throw `Refusal` (the caller turns it into a PickleError with a path).
 *
 * Invariants: `ids` maps every object written so far to its id, `nextId` ids were given;
 * `strings` maps every string written with STR to its index; `codes` lists each compiled
 * function seen once, in first-seen order.
 *
 * Caller: pickle() only.
 */
export class Encoder {
  readonly w = new ByteWriter();
  private readonly ids = new Map<object, number>();
  private nextId = 0;
  private readonly strings = new Map<string, number>();
  readonly codes = new Map<string, { index: number; hash: string }>();
  private readonly stack: unknown[] = [];
  private readonly opResult = { result: undefined as unknown };

  /** Forget everything for the next pickle (the buffers are kept). Caller: pickle(). */
  reset(): void {
    this.w.reset();
    this.ids.clear();
    this.nextId = 0;
    this.strings.clear();
    this.codes.clear();
    this.stack.length = 0;
  }

  encode(root: unknown): void {
    const stack = this.stack;
    stack.push(root);
    while (stack.length > 0) this.value(stack.pop());
  }

  private value(v: unknown): void {
    const w = this.w;
    switch (typeof v) {
      case 'number':
        return this.number(v);
      case 'string':
        return this.str(v);
      case 'boolean':
        return w.byte(v ? Tag.TRUE : Tag.FALSE);
      case 'undefined':
        return w.byte(Tag.UNDEFINED);
      case 'bigint':
        return this.bigint(v);
      case 'symbol':
        throw new Refusal(v, `a Symbol (${v.toString()})`, 'symbols are unique to one process; use a string');
      case 'function':
        return this.fn(v);
      case 'object':
        if (v === null) return w.byte(Tag.NULL);
        if (v instanceof HoleRun) {
          w.byte(Tag.HOLES);
          return w.varint(v.n);
        }
        if (v instanceof OwnList) return this.ownList(v.a);
        return this.object(v);
    }
  }

  private number(n: number): void {
    const w = this.w;
    if (Number.isInteger(n)) {
      if (n === 0 && 1 / n < 0) return w.byte(Tag.NEG_ZERO);
      if (n >= 0 && n <= SMALL_INT_MAX) return w.byte(Tag.SMALL_INT + n);
      if (n > -0x10000000000000 && n < 0x10000000000000) {
        w.byte(Tag.INT);
        return w.zigzag(n);
      }
    }
    if (n !== n) return w.byte(Tag.NAN);
    if (n === Infinity) return w.byte(Tag.POS_INF);
    if (n === -Infinity) return w.byte(Tag.NEG_INF);
    w.byte(Tag.FLOAT);
    w.float64(n);
  }

  private bigint(b: bigint): void {
    const w = this.w;
    w.byte(Tag.BIGINT);
    w.byte(b < 0n ? 1 : 0);
    let m = b < 0n ? -b : b;
    const bytes: number[] = [];
    while (m > 0n) {
      bytes.push(Number(m & 0xffn));
      m >>= 8n;
    }
    w.varint(bytes.length);
    w.bytes(Uint8Array.from(bytes));
  }

  /** A string, interned: STR the first time, STR_REF after. */
  str(s: string): void {
    const w = this.w;
    const i = this.strings.get(s);
    if (i !== undefined) {
      w.byte(Tag.STR_REF);
      return w.varint(i);
    }
    this.strings.set(s, this.strings.size);
    w.byte(Tag.STR);
    w.string(s);
  }

  private fn(f: Function): void {
    const w = this.w;
    const closure = (f as unknown as { [CLOSURE_DATA]?: ClosureData })[CLOSURE_DATA];
    if (closure !== undefined) {
      const id = this.ids.get(f);
      if (id !== undefined) {
        w.byte(Tag.REF);
        return w.varint(id);
      }
      this.ids.set(f, this.nextId++);
      w.byte(Tag.CLOSURE);
      w.varint(this.code(closure.fnId, closure.codeHash));
      this.stack.push(closure.env);
      return;
    }
    const compiled = (f as unknown as { [FUNCTION_DATA]?: FunctionData })[FUNCTION_DATA];
    if (compiled !== undefined) {
      if (compiledFunctions.get(compiled.fnId)?.fn !== f)
        throw new Refusal(
          f,
          `compiled function ${compiled.fnId}, which is not the function registered under its id`,
          'the compiler registers each module-level generator function with its function object; was the module loaded twice?',
        );
      w.byte(Tag.FUNCTION);
      w.byte(FN_COMPILED);
      return w.varint(this.code(compiled.fnId, compiled.codeHash));
    }
    const name = functionName(f);
    if (name !== undefined) {
      w.byte(Tag.FUNCTION);
      w.byte(FN_FUNCTION);
      return this.str(name);
    }
    const cls = typeof f.prototype === 'object' && f.prototype !== null ? classOf(f.prototype as object) : undefined;
    if (cls !== undefined && cls.cls === f) {
      w.byte(Tag.FUNCTION);
      w.byte(FN_CLASS);
      return this.str(cls.name);
    }
    const label = f.name === '' ? 'an anonymous function' : `function ${f.name}`;
    throw new Refusal(
      f,
      `${label} (not registered and not compiled)`,
      `register it in both processes with registerFunction(${f.name || 'fn'}, 'name'), or compile its module (node --import stackless/register)`,
    );
  }

  private code(fnId: string, hash: string): number {
    const c = this.codes.get(fnId);
    if (c !== undefined) return c.index;
    const index = this.codes.size;
    this.codes.set(fnId, { index, hash });
    return index;
  }

  private object(o: object): void {
    const w = this.w;
    const id = this.ids.get(o);
    if (id !== undefined) {
      w.byte(Tag.REF);
      return w.varint(id);
    }
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === objectProto || proto === null) {
      if (o === RESUME_ITER) {
        this.ids.set(o, this.nextId++);
        this.w.byte(Tag.OPERATION);
        return this.w.byte(OP_RESUME_VALUE);
      }
      this.checkSymbols(o);
      this.ids.set(o, this.nextId++);
      w.byte(proto === null ? Tag.NULL_OBJECT : Tag.OBJECT);
      return this.props(o);
    }
    if (proto === arrayProto) return this.array(o as unknown[]);
    if (typeof (o as { [FRAME_DATA]?: unknown })[FRAME_DATA] === 'function') return this.frame(o as { [FRAME_DATA](): FrameData });
    if (o instanceof Tasklet) return this.tasklet(o);
    if (o instanceof Channel) return this.channel(o as Channel<unknown>);
    if (o instanceof Op) return this.operation(o as Op<unknown>);
    if (o instanceof Date) {
      this.ids.set(o, this.nextId++);
      w.byte(Tag.DATE);
      return w.float64(o.getTime());
    }
    if (o instanceof RegExp) {
      this.ids.set(o, this.nextId++);
      w.byte(Tag.REGEXP);
      this.str(o.source);
      return this.str(o.flags);
    }
    if (proto === Map.prototype) {
      this.ids.set(o, this.nextId++);
      const m = o as Map<unknown, unknown>;
      w.byte(Tag.MAP);
      w.varint(m.size);
      const entries = [...m];
      for (let i = entries.length - 1; i >= 0; i--) this.stack.push(entries[i]![1], entries[i]![0]);
      return;
    }
    if (proto === Set.prototype) {
      this.ids.set(o, this.nextId++);
      const s = o as Set<unknown>;
      w.byte(Tag.SET);
      w.varint(s.size);
      const items = [...s];
      for (let i = items.length - 1; i >= 0; i--) this.stack.push(items[i]);
      return;
    }
    if (proto === ArrayBuffer.prototype) {
      this.ids.set(o, this.nextId++);
      const b = new Uint8Array(o as ArrayBuffer);
      w.byte(Tag.ARRAY_BUFFER);
      w.varint(b.length);
      return w.bytes(b);
    }
    if (ArrayBuffer.isView(o)) return this.view(o);
    const entry = proto === null ? undefined : classOf(proto);
    if (entry !== undefined) return entry.isError ? this.error(o as Error, entry) : this.instance(o, entry);
    this.refuseObject(o, proto);
  }

  private checkSymbols(o: object): void {
    const syms = Object.getOwnPropertySymbols(o);
    for (const s of syms)
      if (Object.prototype.propertyIsEnumerable.call(o, s))
        throw new Refusal(
          (o as Record<symbol, unknown>)[s],
          `a property keyed by a Symbol (${s.toString()})`,
          'symbol keys cannot be pickled; use a string key',
        );
  }

  /** n · n × (key, value) of the own enumerable string-keyed properties. */
  private props(o: object): void {
    const keys = Object.keys(o);
    const n = keys.length;
    this.w.varint(n);
    const stack = this.stack;
    for (let i = n - 1; i >= 0; i--) {
      const k = keys[i]!;
      stack.push((o as Record<string, unknown>)[k], k);
    }
  }

  /**
   * A user's array: its elements with holes kept as runs, and its named own properties
   * (ARRAY_PROPS). Object.keys lists the indices first, ascending, then the names.
   */
  private array(a: unknown[]): void {
    const w = this.w;
    this.ids.set(a, this.nextId++);
    const n = a.length;
    const keys = Object.keys(a);
    const k = keys.length;
    const stack = this.stack;
    this.checkSymbols(a);
    if (k === n && (n === 0 || keys[n - 1] === String(n - 1))) {
      // dense, no names: every index 0..n-1 is an own element
      w.byte(Tag.ARRAY);
      w.varint(n);
      for (let i = n - 1; i >= 0; i--) stack.push(a[i]);
      return;
    }
    let nIdx = 0;
    while (nIdx < k && isArrayIndex(keys[nIdx]!)) nIdx++;
    const names = k - nIdx;
    if (names > 0) {
      w.byte(Tag.ARRAY_PROPS);
      w.varint(n);
      w.varint(names);
      for (let j = k - 1; j >= nIdx; j--) stack.push((a as unknown as Record<string, unknown>)[keys[j]!], keys[j]);
    } else {
      w.byte(Tag.ARRAY);
      w.varint(n);
    }
    // elements from the last index down, with the gaps between own indices as hole runs
    let end = n;
    for (let j = nIdx - 1; j >= 0; j--) {
      const i = Number(keys[j]);
      if (end - i > 1) stack.push(new HoleRun(end - i - 1));
      stack.push(a[i]);
      end = i;
    }
    if (end > 0) stack.push(new HoleRun(end));
  }

  /** An array the encoder built (no holes, no names, no sharing): no id lookup, no key scan. */
  private ownList(a: readonly unknown[]): void {
    const w = this.w;
    this.nextId++;
    w.byte(Tag.ARRAY);
    w.varint(a.length);
    for (let i = a.length - 1; i >= 0; i--) this.stack.push(a[i]);
  }

  private view(v: ArrayBufferView): void {
    const w = this.w;
    if (Buffer.isBuffer(v)) {
      // Node Buffers usually live in a shared 8 KiB pool: copy just their bytes.
      this.ids.set(v, this.nextId++);
      w.byte(Tag.BUFFER);
      w.varint(v.length);
      return w.bytes(v);
    }
    const kind = TYPED_ARRAY_KINDS.indexOf(v.constructor.name as never);
    if (kind < 0 || Object.getPrototypeOf(v) !== (globalThis as unknown as Record<string, { prototype: object }>)[v.constructor.name]!.prototype)
      throw new Refusal(v, `a ${v.constructor.name}`, 'only the built-in typed arrays, DataView and Buffer can be pickled');
    if (!(v.buffer instanceof ArrayBuffer))
      throw new Refusal(v, `a ${v.constructor.name} over a SharedArrayBuffer`, 'shared memory cannot be pickled; copy it into an ArrayBuffer');
    this.ids.set(v, this.nextId++);
    w.byte(Tag.TYPED_ARRAY);
    w.byte(kind);
    w.varint(v.byteOffset);
    w.varint(v instanceof DataView ? v.byteLength : (v as unknown as { length: number }).length);
    this.stack.push(v.buffer);
  }

  private error(e: Error, entry: ClassEntry): void {
    const w = this.w;
    this.ids.set(e, this.nextId++);
    const hasStack = typeof e.stack === 'string';
    const hasCause = hasOwn.call(e, 'cause');
    w.byte(Tag.ERROR);
    w.byte((hasStack ? ERR_HAS_STACK : 0) | (hasCause ? ERR_HAS_CAUSE : 0));
    this.str(entry.name);
    const extras: Record<string, unknown> = {};
    for (const k of Object.keys(e)) if (k !== 'message' && k !== 'stack' && k !== 'cause') extras[k] = (e as unknown as Record<string, unknown>)[k];
    if (e instanceof AggregateError && !hasOwn.call(extras, 'errors')) extras.errors = e.errors;
    const stack = this.stack;
    stack.push(extras);
    if (hasCause) stack.push(e.cause);
    if (hasStack) stack.push(e.stack);
    stack.push(e.message);
  }

  private instance(o: object, entry: ClassEntry): void {
    const w = this.w;
    this.ids.set(o, this.nextId++);
    let state: unknown;
    const custom = (o as { [REDUCE]?: () => unknown })[REDUCE];
    if (entry.reduce !== null) state = entry.reduce(o as never);
    else if (typeof custom === 'function') state = custom.call(o);
    else {
      this.checkSymbols(o);
      const own: Record<string, unknown> = {};
      for (const k of Object.keys(o)) own[k] = (o as Record<string, unknown>)[k];
      state = own;
    }
    w.byte(Tag.CLASS);
    this.str(entry.name);
    this.stack.push(state);
  }

  private refuseObject(o: object, proto: object | null): never {
    const tagName = Object.prototype.toString.call(o).slice(8, -1);
    const ctorName = (proto as { constructor?: { name?: string } } | null)?.constructor?.name || 'Object';
    const cls = ctorName === 'Object' && tagName !== 'Object' ? tagName : ctorName;
    if (o instanceof Promise)
      throw new Refusal(o, 'a Promise', 'a promise is bound to this process and its event loop; wait for it before pickling (io.wait), or deliver its result over a channel');
    if (o instanceof WeakMap || o instanceof WeakSet || o instanceof WeakRef)
      throw new Refusal(o, `a ${cls}`, 'weak collections hold no picklable contents; use a Map or Set');
    const tag = Object.prototype.toString.call(o);
    if (tag === '[object Generator]' || tag === '[object AsyncGenerator]')
      throw new Refusal(o, describeNativeFrame(o), 'native generators keep their state inside V8; compile the module (node --import stackless/register)');
    if (typeof (o as { [REDUCE]?: unknown })[REDUCE] === 'function')
      throw new Refusal(o, `an instance of ${cls}`, `it has a stackless.reduce method but its class is not registered: call registerClass(${cls}) in both processes`);
    throw new Refusal(
      o,
      `an instance of ${cls}`,
      `its class is not registered: call registerClass(${cls}, { reduce, revive }) in both processes (sockets, timers and handles cannot be pickled: reduce them to the data needed to reopen them)`,
    );
  }

  // ---- runtime objects -------------------------------------------------------------------

  private frame(f: { [FRAME_DATA](): FrameData }): void {
    const w = this.w;
    const data = f[FRAME_DATA]();
    this.ids.set(f, this.nextId++);
    w.byte(Tag.FRAME);
    w.varint(this.code(data.fnId, data.codeHash));
    this.props(data.state);
  }

  private tasklet(t: Tasklet): void {
    const w = this.w;
    if (t._status === 'current')
      throw new Refusal(t, `the current tasklet ${t}`, 'You cannot __reduce__ the tasklet which is current. Pickle it from another tasklet, or after it switched away');
    if (t === sched.main) throw new Refusal(t, 'the main tasklet', 'the main tasklet runs plain JS code; pickle the tasklets it created');
    const proto = Object.getPrototypeOf(t) as object;
    const sub = proto === Tasklet.prototype ? undefined : classOf(proto);
    if (proto !== Tasklet.prototype && sub === undefined) {
      const cls = (proto as { constructor?: { name?: string } }).constructor?.name || 'a Tasklet subclass';
      throw new Refusal(
        t,
        `${t}, an instance of ${cls} (a Tasklet subclass that is not registered)`,
        `call registerClass(${cls}) in both processes; a subclass is never pickled as a plain Tasklet`,
      );
    }
    if (t._status === 'blocked' && !(t._waitingOn instanceof Channel))
      throw new Refusal(t, `${t}, blocked ${t.waitReason}`, 'only tasklets blocked on a channel can be pickled; an I/O wait cannot move to another process');
    const st = taskletState(t);
    for (let i = 0; i < st.frames.length; i++) {
      const f = st.frames[i]!;
      if (f.restorable !== true || typeof (f as { [FRAME_DATA]?: unknown })[FRAME_DATA] !== 'function')
        throw new Refusal(
          f,
          `${t}: it is not restorable, frame ${i} is ${describeNativeFrame(f)}`,
          'only compiled frames can be pickled; load the module with node --import stackless/register',
        );
    }
    this.ids.set(t, this.nextId++);
    const status = st.status === 'new' ? T_NEW : st.status === 'paused' ? T_PAUSED : st.status === 'blocked' ? T_BLOCKED : T_DEAD;
    const hasEntry = st.entry !== null && st.frames.length === 0 && status !== T_NEW && status !== T_DEAD;
    w.byte(Tag.TASKLET);
    w.byte(
      status |
        (st.atomic ? T_ATOMIC : 0) |
        (st.blockTrap ? T_BLOCK_TRAP : 0) |
        (st.name !== null ? T_HAS_NAME : 0) |
        (hasEntry ? T_HAS_ENTRY : 0) |
        (sub !== undefined ? T_SUBCLASS : 0),
    );
    const stack = this.stack;
    if (sub !== undefined) {
      this.str(sub.name);
      this.checkSymbols(t);
      stack.push(subclassFields(t));
    }
    if (status === T_BLOCKED) stack.push(t._waitingOn);
    if (hasEntry) stack.push(new OwnList(st.entry!.args), st.entry!.fn);
    stack.push(new OwnList(status === T_DEAD ? [] : st.frames));
    stack.push(status === T_DEAD ? undefined : st.tempval);
    if (st.name !== null) stack.push(st.name);
  }

  private channel(ch: Channel<unknown>): void {
    const w = this.w;
    if (Object.getPrototypeOf(ch) !== Channel.prototype) {
      const cls = (Object.getPrototypeOf(ch) as { constructor?: { name?: string } }).constructor?.name || 'a Channel subclass';
      throw new Refusal(ch, `${String(ch)}, an instance of ${cls} (a Channel subclass)`, 'Channel subclasses cannot be pickled (it would come back as a plain Channel); pickle a Channel');
    }
    this.ids.set(ch, this.nextId++);
    const st = channelState(ch);
    w.byte(Tag.CHANNEL);
    w.byte(
      (st.preference + 1) |
        (st.scheduleAll ? C_SCHEDULE_ALL : 0) |
        (st.closing ? C_CLOSING : 0) |
        (st.balance > 0 ? C_SENDERS : 0) |
        (st.name !== null ? C_HAS_NAME : 0),
    );
    this.stack.push(new OwnList(st.queue));
    if (st.name !== null) this.stack.push(st.name);
  }

  private operation(op: Op<unknown>): void {
    const out = this.opResult;
    const m = operationMode(op, out);
    if (typeof m === 'string') throw new Refusal(op, `the operation ${String(op)}`, m);
    this.ids.set(op, this.nextId++);
    this.w.byte(Tag.OPERATION);
    this.w.byte(m);
    if (m === OP_DONE) this.stack.push(out.result);
  }
}
