import { Buffer } from 'node:buffer';
import { Channel } from '../core/channel.js';
import { InternalError } from '../core/errors.js';
import { isFrame, type Frame } from '../core/frame.js';
import { restoreChannel, restoreTasklet } from '../core/restore.js';
import { Tasklet } from '../core/tasklet.js';
import { FRAME_DATA, type CompiledFrame } from '../compiler/contract.js';
import type { ByteReader } from './byte-reader.js';
import type { LoadedCode } from './code-table.js';
import { fillTasklet, type TaskletFill } from './tasklet-fill.js';
import {
  C_CLOSING,
  C_HAS_NAME,
  C_PREF_MASK,
  C_SCHEDULE_ALL,
  C_SENDERS,
  ERR_HAS_CAUSE,
  ERR_HAS_STACK,
  FN_CLASS,
  FN_COMPILED,
  OP_DONE,
  T_ATOMIC,
  T_BLOCK_TRAP,
  T_BLOCKED,
  T_HAS_ENTRY,
  T_HAS_NAME,
  T_STATUS_MASK,
  T_SUBCLASS,
  Tag,
  TYPED_ARRAY_KINDS,
} from './format.js';
import { restoreOperation } from './operation.js';
import { PickleError } from './pickle-error.js';
import { classNamed, functionNamed, type ClassEntry } from './registry.js';
import { isRuntimeField } from './tasklet-fields.js';

/** Stands for an object that is still being built (a cycle through a frame, closure or revive()). */
class Pending {
  constructor(readonly id: number) {}
}

const enum K {
  ROOT,
  ARRAY,
  OBJECT,
  MAP,
  SET,
  ARGS,
}

/** An open container: where the next child value goes. */
interface Ctr {
  kind: K;
  /** Children still to read (pairs for OBJECT). */
  rem: number;
  /** The object being filled (array, object, map, set, state record, shell). */
  target: unknown;
  /** Next array index / child position. */
  idx: number;
  /** Pending object key, or map key. */
  key: unknown;
  /** ARGS containers: the node's tag, collected children, its id. */
  tag: number;
  args: unknown[] | null;
  id: number;
  bits: number;
  /** FRAME / CLOSURE: loaded code; CLASS: its entry. */
  code: LoadedCode | null;
  cls: ClassEntry | null;
  /** FRAME: the revived frame; deferred nodes: how many Pending args remain. */
  frame: Frame | null;
  missing: number;
}

type Fixup =
  | { k: 'index'; arr: unknown[]; i: number }
  | { k: 'prop'; obj: object; key: string; frameCtr: Ctr | null }
  | { k: 'coll'; coll: Map<unknown, unknown> | Set<unknown>; ph: Pending }
  | { k: 'arg'; c: Ctr; i: number }
  | { k: 'root'; c: Ctr };

const PUSHED = Symbol('pushed');
const SKIPPED = Symbol('skipped');
const defineProperty = Object.defineProperty;

function ctr(kind: K, rem: number, target: unknown, tag = 0, id = -1): Ctr {
  return { kind, rem, target, idx: 0, key: undefined, tag, args: null, id, bits: 0, code: null, cls: null, frame: null, missing: 0 };
}

/**
 * Builds the value graph of a pickle body that `scan()` already checked. Iterative: an
 * explicit stack of open containers. Objects that can be made before their contents (arrays,
 * objects, maps, sets, errors, tasklets, channels, default class instances) are registered
 * under their id at once, so cycles through them just work; frames, closures and custom
 * `revive()` instances are built from their finished contents, and references to them from
 * inside their own contents are patched afterwards (fixups). Tasklets are filled, and blocked
 * ones linked into their channels, only after the whole graph is built. Nothing touches the
 * scheduler. Caller: unpickle() only.
 *
 * Invariants: `values[id]` is the object with that id, or its Pending while it is built;
 * `waiters` holds the fixups of every unresolved Pending.
 */
export class Decoder {
  private readonly values: unknown[] = [];
  private readonly waiters = new Map<number, Fixup[]>();
  private unresolved = 0;
  private sIdx = 0;
  private readonly tasklets: { t: Tasklet; c: Ctr }[] = [];
  private readonly channels: { ch: Channel<unknown>; c: Ctr }[] = [];
  private readonly frames: Ctr[] = [];

  constructor(
    private readonly r: ByteReader,
    private readonly strings: readonly string[],
    private readonly code: readonly LoadedCode[],
  ) {}

  decode(): unknown {
    const root = ctr(K.ROOT, 1, undefined);
    const stack: Ctr[] = [root];
    for (;;) {
      const c = stack[stack.length - 1]!;
      if (c.rem === 0) {
        stack.pop();
        if (c === root) break;
        if (c.kind === K.ARRAY && c.tag === Tag.ARRAY_PROPS) {
          // the elements of an ARRAY_PROPS are done; its named properties follow (the container below)
          this.complete(c);
          continue;
        }
        const v = this.complete(c);
        this.deliver(stack[stack.length - 1]!, v);
        continue;
      }
      c.rem--;
      if (c.kind === K.OBJECT) c.key = this.str();
      const v = this.read(c, stack);
      if (v === PUSHED || v === SKIPPED) continue;
      this.deliver(c, v);
    }
    if (this.unresolved !== 0)
      throw new PickleError('corrupted pickle: a cycle runs through objects that are built from their contents (closure env, revive state) and cannot be closed');
    this.checkInvariants();
    for (const f of this.frames) this.syncFrame(f);
    for (const { t, c } of this.tasklets) this.fillTasklet(t, c);
    for (const { ch, c } of this.channels) this.linkChannel(ch, c);
    for (const [t, ch] of this.blockedOn)
      if (ch !== null && t._status !== 'blocked') throw new PickleError('corrupted pickle: a blocked tasklet is missing from its channel\'s queue');
    return root.target;
  }

  /** The tasklets built by decode(), in stream order. Caller: unpickleWithTasklets(). */
  restoredTasklets(): Tasklet[] {
    return this.tasklets
      .slice()
      .sort((a, b) => a.c.id - b.c.id)
      .map((x) => x.t);
  }

  /** Assert the invariants once the graph is built: every object resolved, no fixup left. */
  checkInvariants(): void {
    if (this.waiters.size !== 0) throw new InternalError(`unpickle: ${this.waiters.size} objects still have pending references`);
    for (let i = 0; i < this.values.length; i++)
      if (this.values[i] instanceof Pending) throw new InternalError(`unpickle: object ${i} was never built`);
  }

  // ---- reading ---------------------------------------------------------------------------

  /** An inline string (STR or STR_REF; the scanner checked the tag). */
  private str(): string {
    const r = this.r;
    const t = r.byte();
    if (t === Tag.STR) {
      { const n = r.varint(); r.pos += n; }
      return this.strings[this.sIdx++]!;
    }
    return this.strings[r.varint()]!;
  }

  private newId(v: unknown): number {
    const id = this.values.length;
    this.values.push(v);
    return id;
  }

  private pendingId(): number {
    const id = this.values.length;
    this.values.push(new Pending(id));
    this.unresolved++;
    return id;
  }

  /** Read one value for container `c`; a container is pushed on `stack` (returns PUSHED). */
  private read(c: Ctr, stack: Ctr[]): unknown {
    const r = this.r;
    const tag = r.byte();
    if (tag >= Tag.SMALL_INT) return tag - Tag.SMALL_INT;
    switch (tag) {
      case Tag.UNDEFINED:
        return undefined;
      case Tag.NULL:
        return null;
      case Tag.FALSE:
        return false;
      case Tag.TRUE:
        return true;
      case Tag.INT:
        return r.zigzag();
      case Tag.FLOAT:
        return r.float64();
      case Tag.NAN:
        return NaN;
      case Tag.NEG_ZERO:
        return -0;
      case Tag.POS_INF:
        return Infinity;
      case Tag.NEG_INF:
        return -Infinity;
      case Tag.BIGINT: {
        const neg = r.byte() === 1;
        const n = r.varint();
        let m = 0n;
        for (let i = r.pos + n - 1; i >= r.pos; i--) m = (m << 8n) | BigInt(r.buf[i]!);
        r.pos += n;
        return neg ? -m : m;
      }
      case Tag.STR:
        { const n = r.varint(); r.pos += n; }
        return this.strings[this.sIdx++]!;
      case Tag.STR_REF:
        return this.strings[r.varint()]!;
      case Tag.REF:
        return this.values[r.varint()];
      case Tag.ARRAY: {
        const a: unknown[] = [];
        const n = r.varint();
        const id = this.newId(a);
        stack.push(ctr(K.ARRAY, n, a, tag, id));
        return PUSHED;
      }
      case Tag.ARRAY_PROPS: {
        const a: unknown[] = [];
        const n = r.varint();
        const names = r.varint();
        const id = this.newId(a);
        stack.push(ctr(K.OBJECT, names, a, tag, id));
        stack.push(ctr(K.ARRAY, n, a, tag, id));
        return PUSHED;
      }
      case Tag.HOLES: {
        const n = r.varint();
        c.idx += n;
        c.rem -= n - 1;
        return SKIPPED;
      }
      case Tag.OBJECT:
      case Tag.NULL_OBJECT: {
        const o = tag === Tag.OBJECT ? {} : Object.create(null);
        const n = r.varint();
        const id = this.newId(o);
        stack.push(ctr(K.OBJECT, n, o, tag, id));
        return PUSHED;
      }
      case Tag.DATE: {
        const d = new Date(r.float64());
        this.newId(d);
        return d;
      }
      case Tag.REGEXP: {
        const re = new RegExp(this.str(), this.str());
        this.newId(re);
        return re;
      }
      case Tag.MAP: {
        const m = new Map();
        const id = this.newId(m);
        stack.push(ctr(K.MAP, 2 * r.varint(), m, tag, id));
        return PUSHED;
      }
      case Tag.SET: {
        const s = new Set();
        const id = this.newId(s);
        stack.push(ctr(K.SET, r.varint(), s, tag, id));
        return PUSHED;
      }
      case Tag.ERROR: {
        const bits = r.byte();
        const entry = classNamed(this.str())!;
        const e = blankError(entry);
        const id = this.newId(e);
        const x = ctr(K.ARGS, 2 + (bits & ERR_HAS_STACK ? 1 : 0) + (bits & ERR_HAS_CAUSE ? 1 : 0), e, tag, id);
        x.bits = bits;
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      case Tag.ARRAY_BUFFER: {
        const b = r.bytes(r.varint());
        const ab = b.buffer.byteLength === b.length ? b.buffer : b.slice().buffer;
        this.newId(ab);
        return ab;
      }
      case Tag.BUFFER: {
        const b = r.bytes(r.varint());
        const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
        this.newId(buf);
        return buf;
      }
      case Tag.TYPED_ARRAY: {
        const kind = r.byte();
        const x = ctr(K.ARGS, 1, undefined, tag, this.pendingId());
        x.bits = kind;
        x.idx = r.varint(); // byteOffset
        x.missing = r.varint(); // length (reused field until completion)
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      case Tag.CLASS: {
        const entry = classNamed(this.str())!;
        let x: Ctr;
        if (entry.revive === null) x = ctr(K.ARGS, 1, Object.create(entry.proto), tag, -1);
        else x = ctr(K.ARGS, 1, undefined, tag, -1);
        x.id = entry.revive === null ? this.newId(x.target) : this.pendingId();
        x.cls = entry;
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      case Tag.FRAME: {
        const code = this.code[r.varint()]!;
        const state: Record<string, unknown> = {};
        const x = ctr(K.OBJECT, r.varint(), state, tag, this.pendingId());
        x.code = code;
        stack.push(x);
        return PUSHED;
      }
      case Tag.CLOSURE: {
        const code = this.code[r.varint()]!;
        const x = ctr(K.ARGS, 1, undefined, tag, this.pendingId());
        x.code = code;
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      case Tag.TASKLET: {
        const bits = r.byte();
        // A registered subclass's instance is made by Tasklet's constructor alone (the
        // subclass's constructor does not run; its fields are restored from the pickle).
        const t =
          bits & T_SUBCLASS
            ? (Reflect.construct(Tasklet, [null], classNamed(this.str())!.cls) as Tasklet)
            : restoreTasklet({ status: 'new', frames: [], tempval: undefined, entry: null, atomic: false, blockTrap: false, name: null });
        const id = this.newId(t);
        const x = ctr(
          K.ARGS,
          (bits & T_HAS_NAME ? 1 : 0) +
            2 +
            (bits & T_HAS_ENTRY ? 2 : 0) +
            ((bits & T_STATUS_MASK) === T_BLOCKED ? 1 : 0) +
            (bits & T_SUBCLASS ? 1 : 0),
          t,
          tag,
          id,
        );
        x.bits = bits;
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      case Tag.CHANNEL: {
        const bits = r.byte();
        const ch = new Channel<unknown>();
        const id = this.newId(ch);
        const x = ctr(K.ARGS, (bits & C_HAS_NAME ? 1 : 0) + 1, ch, tag, id);
        x.bits = bits;
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      case Tag.FUNCTION: {
        const kind = r.byte();
        if (kind === FN_COMPILED) return this.code[r.varint()]!.info.fn;
        const name = this.str();
        return kind === FN_CLASS ? classNamed(name)!.cls : functionNamed(name);
      }
      case Tag.OPERATION: {
        const mode = r.byte();
        const op = restoreOperation(mode, undefined);
        const id = this.newId(op);
        if (mode !== OP_DONE) return op;
        const x = ctr(K.ARGS, 1, op, tag, id);
        x.args = [];
        stack.push(x);
        return PUSHED;
      }
      default:
        throw new PickleError(`corrupted pickle: unknown tag ${tag} at byte ${r.pos - 1}`);
    }
  }

  // ---- placing values --------------------------------------------------------------------

  private wait(id: number, f: Fixup): void {
    const list = this.waiters.get(id);
    if (list === undefined) this.waiters.set(id, [f]);
    else list.push(f);
  }

  /** Put `v` into container `c` at its current position. */
  private deliver(c: Ctr, v: unknown): void {
    const pending = v instanceof Pending;
    switch (c.kind) {
      case K.ARRAY: {
        const a = c.target as unknown[];
        const i = c.idx++;
        if (i === a.length) a.push(v);
        else a[i] = v;
        if (pending) this.wait(v.id, { k: 'index', arr: a, i });
        return;
      }
      case K.OBJECT: {
        const key = c.key as string;
        if (key === '__proto__') defineProperty(c.target as object, key, { value: v, writable: true, enumerable: true, configurable: true });
        else (c.target as Record<string, unknown>)[key] = v;
        if (pending) {
          const isFrame = c.tag === Tag.FRAME;
          if (isFrame && c.bits === 0) {
            c.bits = 1;
            this.frames.push(c);
          }
          this.wait(v.id, { k: 'prop', obj: c.target as object, key, frameCtr: isFrame ? c : null });
        }
        return;
      }
      case K.MAP: {
        if (c.idx++ % 2 === 0) {
          c.key = v;
          if (pending) this.wait(v.id, { k: 'coll', coll: c.target as Map<unknown, unknown>, ph: v });
          return;
        }
        (c.target as Map<unknown, unknown>).set(c.key, v);
        if (pending) this.wait(v.id, { k: 'coll', coll: c.target as Map<unknown, unknown>, ph: v });
        return;
      }
      case K.SET:
        (c.target as Set<unknown>).add(v);
        if (pending) this.wait(v.id, { k: 'coll', coll: c.target as Set<unknown>, ph: v });
        return;
      case K.ARGS:
        c.args!.push(v);
        if (pending) this.wait(v.id, { k: 'arg', c, i: c.args!.length - 1 });
        return;
      case K.ROOT:
        c.target = v;
        if (pending) this.wait(v.id, { k: 'root', c });
        return;
    }
  }

  /** A finished container: the value to give its parent. */
  private complete(c: Ctr): unknown {
    switch (c.kind) {
      case K.ARRAY: {
        const a = c.target as unknown[];
        if (a.length !== c.idx) a.length = c.idx; // trailing holes
        return a;
      }
      case K.MAP:
      case K.SET:
        return c.target;
      case K.OBJECT:
        return c.tag === Tag.FRAME ? this.buildFrame(c) : c.target;
      case K.ARGS:
        return this.completeArgs(c);
      case K.ROOT:
        return c.target;
    }
  }

  private completeArgs(c: Ctr): unknown {
    const args = c.args!;
    switch (c.tag) {
      case Tag.ERROR: {
        const e = c.target as Error;
        let i = 0;
        this.setHidden(e, 'message', args[i++]);
        if (c.bits & ERR_HAS_STACK) this.setHidden(e, 'stack', args[i++]);
        if (c.bits & ERR_HAS_CAUSE) this.setHidden(e, 'cause', args[i++]);
        const extras = args[i];
        if (extras === null || typeof extras !== 'object') throw new PickleError('corrupted pickle: error properties are not an object');
        for (const k of Object.keys(extras)) {
          const v = (extras as Record<string, unknown>)[k];
          if (k === 'errors' && e instanceof AggregateError) this.setHidden(e, k, v);
          else this.setOwn(e, k, v);
        }
        return e;
      }
      case Tag.CLASS: {
        const entry = c.cls!;
        const state = args[0];
        if (entry.revive === null) {
          if (state === null || typeof state !== 'object') throw new PickleError(`corrupted pickle: state of a ${entry.name} is not an object`);
          const o = c.target as object;
          for (const k of Object.keys(state)) this.setOwn(o, k, (state as Record<string, unknown>)[k]);
          return o;
        }
        return this.construct(c);
      }
      case Tag.CLOSURE:
        return this.construct(c);
      case Tag.TYPED_ARRAY: {
        const buf = args[0];
        if (!(buf instanceof ArrayBuffer)) throw new PickleError('corrupted pickle: a typed array without an ArrayBuffer');
        const kind = TYPED_ARRAY_KINDS[c.bits]!;
        const Ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer, o: number, n: number) => object>)[kind]!;
        let view: object;
        try {
          view = new Ctor(buf, c.idx, c.missing);
        } catch (e) {
          throw new PickleError(`corrupted pickle: a ${kind} does not fit its buffer (${(e as Error).message})`);
        }
        c.missing = 0;
        this.resolve(c.id, view);
        return view;
      }
      case Tag.TASKLET:
        this.tasklets.push({ t: c.target as Tasklet, c });
        return c.target;
      case Tag.CHANNEL:
        this.channels.push({ ch: c.target as Channel<unknown>, c });
        return c.target;
      case Tag.OPERATION: {
        const op = c.target as { result: unknown };
        const v = args[0];
        op.result = v;
        if (v instanceof Pending) this.wait(v.id, { k: 'prop', obj: op, key: 'result', frameCtr: null });
        return op;
      }
      default:
        throw new PickleError(`corrupted pickle: unexpected node ${c.tag}`);
    }
  }

  /** Build a closure or a custom-revive instance now, or defer it until its Pending args resolve. */
  private construct(c: Ctr): unknown {
    let missing = 0;
    for (const a of c.args!) if (a instanceof Pending) missing++;
    if (missing > 0) {
      c.missing = missing;
      return this.values[c.id];
    }
    const v = this.build(c);
    this.resolve(c.id, v);
    return v;
  }

  private build(c: Ctr): unknown {
    if (c.tag === Tag.CLOSURE) {
      const env = c.args![0];
      if (env === null || typeof env !== 'object') throw new PickleError(`corrupted pickle: the environment of closure ${c.code!.fnId} is not an object`);
      let fn: unknown;
      try {
        fn = c.code!.info.reviveClosure!(env);
      } catch (e) {
        throw new PickleError(`unpickle: reviving closure ${c.code!.fnId} failed: ${(e as Error)?.message ?? String(e)}`);
      }
      if (typeof fn !== 'function') throw new PickleError(`reviveClosure of ${c.code!.fnId} did not return a function`);
      return fn;
    }
    try {
      return c.cls!.revive!(c.args![0] as never);
    } catch (e) {
      throw new PickleError(`unpickle: revive() of class ${c.cls!.name} failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private buildFrame(c: Ctr): unknown {
    const state = c.target as Record<string, unknown>;
    let f: CompiledFrame;
    try {
      f = c.code!.info.reviveFrame!(state);
    } catch (e) {
      throw new PickleError(`unpickle: reviving a frame of ${c.code!.fnId} failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (!isFrame(f)) throw new PickleError(`unpickle: reviveFrame of ${c.code!.fnId} did not return a frame`);
    c.frame = f;
    this.resolve(c.id, f);
    return f;
  }

  /** `id`'s object is built: replace its Pending everywhere (and build what waited on it). */
  private resolve(id: number, value: unknown): void {
    const work: [number, unknown][] = [[id, value]];
    while (work.length > 0) {
      const [i, v] = work.pop()!;
      const ph = this.values[i] as Pending;
      this.values[i] = v;
      this.unresolved--;
      const list = this.waiters.get(i);
      if (list === undefined) continue;
      this.waiters.delete(i);
      for (const f of list) {
        switch (f.k) {
          case 'index':
            f.arr[f.i] = v;
            break;
          case 'prop':
            setProp(f.obj, f.key, v);
            break;
          case 'coll':
            replaceIn(f.coll, ph, v);
            break;
          case 'root':
            f.c.target = v;
            break;
          case 'arg': {
            f.c.args![f.i] = v;
            if (f.c.missing > 0 && (f.c.tag === Tag.CLOSURE || f.c.tag === Tag.CLASS)) {
              f.c.missing--;
              if (f.c.missing === 0) work.push([f.c.id, this.build(f.c)]);
            }
            break;
          }
        }
      }
    }
  }

  // ---- after the graph is built ------------------------------------------------------------

  /**
   * A frame revived while some of its state was still a placeholder (a cycle: the frame's
   * local holds a closure whose env is the frame). Put the final values into the frame: into
   * its state record if `[FRAME_DATA]()` returns the live record, else into the frame's own
   * fields of the same names (the compiler's frames keep each state key as a field). Verified
   * by reading `[FRAME_DATA]()` again: a frame that cannot be patched is a loud error.
   */
  private syncFrame(c: Ctr): void {
    const f = c.frame as CompiledFrame | null;
    if (f === null) return;
    const state = c.target as Record<string, unknown>;
    const live = f[FRAME_DATA]().state as Record<string, unknown>;
    if (live === state) return;
    for (const k of Object.keys(state)) {
      const v = state[k];
      if (live[k] === v) continue;
      live[k] = v;
      if ((f[FRAME_DATA]().state as Record<string, unknown>)[k] === v) continue;
      if (Object.prototype.hasOwnProperty.call(f, k)) (f as unknown as Record<string, unknown>)[k] = v;
      if ((f[FRAME_DATA]().state as Record<string, unknown>)[k] !== v)
        throw new PickleError(
          `unpickle: frame of ${c.code!.fnId} is part of a cycle (its ${k} refers back to an object that contains the frame), ` +
            'and the frame cannot be patched after reviveFrame, so the cycle cannot be closed',
        );
    }
  }

  private fillTasklet(t: Tasklet, c: Ctr): void {
    const a = c.args!;
    const bits = c.bits;
    let i = 0;
    const name = bits & T_HAS_NAME ? a[i++] : null;
    const tempval = a[i++];
    const frames = a[i++];
    const entryFn = bits & T_HAS_ENTRY ? a[i++] : null;
    const entryArgs = bits & T_HAS_ENTRY ? a[i++] : null;
    const channel = (bits & T_STATUS_MASK) === T_BLOCKED ? a[i++] : null;
    const fields = bits & T_SUBCLASS ? a[i++] : null;
    if (fields !== null) {
      if (typeof fields !== 'object') throw new PickleError('corrupted pickle: the fields of a Tasklet subclass instance are not an object');
      for (const k of Object.keys(fields)) {
        if (isRuntimeField(k)) throw new PickleError(`corrupted pickle: a Tasklet subclass field is named ${JSON.stringify(k)}, a field of the runtime`);
        defineProperty(t, k, { value: (fields as Record<string, unknown>)[k], writable: true, enumerable: true, configurable: true });
      }
    }
    if (name !== null && typeof name !== 'string') throw new PickleError('corrupted pickle: a tasklet name is not a string');
    if (!Array.isArray(frames) || !frames.every((f) => isFrame(f) && (f as Frame).restorable === true))
      throw new PickleError('corrupted pickle: a tasklet frame list holds something that is not a compiled frame');
    if (bits & T_HAS_ENTRY && (typeof entryFn !== 'function' || !Array.isArray(entryArgs)))
      throw new PickleError('corrupted pickle: a tasklet entry is not a function and arguments');
    const status = bits & T_STATUS_MASK;
    if ((status === 1 || status === 2) && (frames as unknown[]).length === 0 && !(bits & T_HAS_ENTRY))
      throw new PickleError('corrupted pickle: an alive tasklet without frames or an entry');
    if (channel !== null && !(channel instanceof Channel)) throw new PickleError('corrupted pickle: a blocked tasklet does not refer to a channel');
    const fill: TaskletFill = {
      status: (['new', 'paused', 'blocked', 'dead'] as const)[bits & T_STATUS_MASK]!,
      frames: frames as Frame[],
      tempval,
      entry: entryFn === null ? null : { fn: entryFn as never, args: entryArgs as unknown[] },
      atomic: (bits & T_ATOMIC) !== 0,
      blockTrap: (bits & T_BLOCK_TRAP) !== 0,
      name: name as string | null,
      channel: channel as Channel<unknown> | null,
    };
    fillTasklet(t, fill);
    this.blockedOn.set(t, fill.channel);
  }

  private readonly blockedOn = new Map<Tasklet, Channel<unknown> | null>();

  private linkChannel(ch: Channel<unknown>, c: Ctr): void {
    const bits = c.bits;
    const name = bits & C_HAS_NAME ? c.args![0] : null;
    const queue = c.args![bits & C_HAS_NAME ? 1 : 0];
    if (name !== null && typeof name !== 'string') throw new PickleError('corrupted pickle: a channel name is not a string');
    if (!Array.isArray(queue)) throw new PickleError('corrupted pickle: a channel queue is not a list');
    const seen = new Set<unknown>();
    for (const t of queue) {
      if (!(t instanceof Tasklet) || this.blockedOn.get(t) !== ch || seen.has(t))
        throw new PickleError('corrupted pickle: a channel queue holds a tasklet that is not blocked on it');
      seen.add(t);
    }
    restoreChannel(ch, {
      balance: (bits & C_SENDERS ? 1 : -1) * queue.length,
      preference: ((bits & C_PREF_MASK) - 1) as -1 | 0 | 1,
      scheduleAll: (bits & C_SCHEDULE_ALL) !== 0,
      closing: (bits & C_CLOSING) !== 0,
      name: name as string | null,
      queue: queue as Tasklet[],
    });
  }

  private setHidden(o: object, key: string, v: unknown): void {
    defineProperty(o, key, { value: v, writable: true, enumerable: false, configurable: true });
    if (v instanceof Pending) this.wait(v.id, { k: 'prop', obj: o, key, frameCtr: null });
  }

  private setOwn(o: object, key: string, v: unknown): void {
    defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
    if (v instanceof Pending) this.wait(v.id, { k: 'prop', obj: o, key, frameCtr: null });
  }
}

/** A real error object (with V8's error internals) of a registered class, without running its constructor. */
function blankError(entry: ClassEntry): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return entry.proto instanceof AggregateError || entry.cls === (AggregateError as unknown)
      ? (Reflect.construct(AggregateError, [[]], entry.cls as never) as Error)
      : (Reflect.construct(Error, [], entry.cls as never) as Error);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Set an own data property without invoking setters (`__proto__` stays a plain key). */
function setProp(o: object, key: string, v: unknown): void {
  const d = Object.getOwnPropertyDescriptor(o, key);
  if (d !== undefined) {
    defineProperty(o, key, { value: v });
    return;
  }
  if (key === '__proto__') defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else (o as Record<string, unknown>)[key] = v;
}

function replaceIn(coll: Map<unknown, unknown> | Set<unknown>, ph: Pending, v: unknown): void {
  if (coll instanceof Map) {
    const entries = [...coll].map(([k, x]) => [k === ph ? v : k, x === ph ? v : x] as const);
    coll.clear();
    for (const [k, x] of entries) coll.set(k, x);
  } else {
    const items = [...coll].map((x) => (x === ph ? v : x));
    coll.clear();
    for (const x of items) coll.add(x);
  }
}
