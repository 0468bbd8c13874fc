/**
 * Hand-written compiled frames: test doubles of the compiler contract (src/compiler/contract.ts),
 * shaped like the compiler's own frames (src/compiler/frame-base.ts): every local is a field,
 * `[FRAME_DATA]()` returns a *copy* of the fields, `reviveFrame` assigns them to a fresh
 * frame, a `yield*` keeps its operation in `dlg`, closures carry CLOSURE_DATA with env = frame.
 * Each module-level function registers itself like generated code does.
 */
import { call, Channel, schedule, type Trap } from 'stackless';
import {
  CLOSURE_DATA,
  compiledFunctions,
  FRAME_DATA,
  FUNCTION_DATA,
  registerCompiledFunction,
  type CompiledFrame,
  type FrameData,
  type FunctionData,
} from '../../../src/compiler/contract.js';

const DELEGATE = Symbol('delegate');
type Step = typeof DELEGATE | { readonly done: unknown };

abstract class TestFrame implements CompiledFrame {
  declare readonly restorable: true;
  pc = 0;
  dlg: Iterator<unknown, unknown, unknown> | null = null;
  abstract readonly $fnId: string;

  next(v?: unknown): IteratorResult<unknown, unknown> {
    return this.run(false, v);
  }
  throw(e: unknown): IteratorResult<unknown, unknown> {
    return this.run(true, e);
  }
  [Symbol.iterator](): this {
    return this;
  }
  [FRAME_DATA](): FrameData {
    const info = registry.get(this.$fnId)!;
    const state = { ...(this as object) } as Record<string, unknown>;
    return { fnId: info.fnId, codeHash: info.codeHash, state };
  }

  /** `yield* op` inside body(): start the operation. */
  protected delegate(op: Iterable<unknown>): typeof DELEGATE {
    this.dlg = op[Symbol.iterator]() as Iterator<unknown, unknown, unknown>;
    return DELEGATE;
  }

  /** Runs the machine from pc with the value (or error) sent in. */
  protected abstract body(v: unknown, raising: boolean): Step;

  private run(raising: boolean, v: unknown): IteratorResult<unknown, unknown> {
    for (;;) {
      const d = this.dlg;
      if (d !== null) {
        let r: IteratorResult<unknown, unknown> | null = null;
        try {
          r = raising ? d.throw!(v) : d.next(v);
        } catch (e) {
          this.dlg = null;
          raising = true;
          v = e;
        }
        if (r !== null) {
          if (r.done !== true) return r;
          this.dlg = null;
          v = r.value;
          raising = false;
        }
      }
      const out = this.body(v, raising);
      raising = false;
      if (out === DELEGATE) {
        v = undefined;
        continue;
      }
      this.pc = -1;
      return { done: true, value: out.done };
    }
  }
}
Object.defineProperty(TestFrame.prototype, 'restorable', { value: true });

const registry = new Map<string, { fnId: string; codeHash: string }>();

function register<F extends TestFrame>(fnId: string, codeHash: string, cls: new () => F): void {
  registry.set(fnId, { fnId, codeHash });
  Object.defineProperty(cls.prototype, '$fnId', { value: fnId });
  registerCompiledFunction({
    fnId,
    codeHash,
    reviveFrame(state) {
      const f = new cls();
      Object.assign(f, state);
      return f as F & { restorable: true };
    },
  });
}

type Gen<R> = Generator<Trap, R, unknown>;
/** Type a compiled frame as what the function returns (a generator for `yield*`/`Tasklet`). */
const asGen = <R>(f: TestFrame): Gen<R> => f as unknown as Gen<R>;

// ---- counter(label, n, log): for (i = 0; i < n; i++) { log.push(`${label} ${i}`); yield* schedule(); } return n

class CounterFrame extends TestFrame {
  declare readonly $fnId: string;
  $label = '';
  $n = 0;
  $i = 0;
  $log: string[] | null = null;
  protected body(v: unknown, raising: boolean): Step {
    if (raising) throw v;
    for (;;)
      switch (this.pc) {
        case 0:
          this.$i = 0;
          this.pc = 1;
          continue;
        case 1:
          if (this.$i >= this.$n) return { done: this.$n };
          this.$log!.push(`${this.$label} ${this.$i}`);
          this.pc = 2;
          return this.delegate(schedule());
        case 2:
          this.$i++;
          this.pc = 1;
          continue;
        default:
          throw new Error(`counter: bad pc ${this.pc}`);
      }
  }
}
register('test/pickle/support/compiled.ts#counter', 'c0ffee01', CounterFrame);
export function counter(label: string, n: number, log: string[]): Gen<number> {
  const f = new CounterFrame();
  f.$label = label;
  f.$n = n;
  f.$log = log;
  return asGen(f);
}

// ---- tagged(label, n, log): counter's body as a module-level compiled function carrying
// FUNCTION_DATA (registered with its function object), as the compiler emits for top-level
// generator functions: an unstarted tasklet bound to it pickles without registerFunction.

class TaggedFrame extends CounterFrame {}
register('test/pickle/support/compiled.ts#tagged', '7a99ed01', TaggedFrame);
export function tagged(label: string, n: number, log: string[]): Gen<number> {
  const f = new TaggedFrame();
  f.$label = label;
  f.$n = n;
  f.$log = log;
  return asGen(f);
}
registerCompiledFunction({ ...compiledFunctions.get('test/pickle/support/compiled.ts#tagged')!, fn: tagged });
(tagged as unknown as Record<symbol, FunctionData>)[FUNCTION_DATA] = { fnId: 'test/pickle/support/compiled.ts#tagged', codeHash: '7a99ed01' };

// ---- server(ch, log): for (;;) { const req = yield* ch.receive(); if (req === 'stop') return count; log.push(`served ${req}`); count++ }

class ServerFrame extends TestFrame {
  declare readonly $fnId: string;
  $ch: Channel<unknown> | null = null;
  $log: string[] | null = null;
  $count = 0;
  $req: unknown = undefined;
  protected body(v: unknown, raising: boolean): Step {
    if (raising) throw v;
    for (;;)
      switch (this.pc) {
        case 0:
          this.pc = 1;
          return this.delegate(this.$ch!.receive());
        case 1:
          this.$req = v;
          if (this.$req === 'stop') return { done: this.$count };
          this.$log!.push(`served ${String(this.$req)}`);
          this.$count++;
          this.pc = 0;
          continue;
        default:
          throw new Error(`server: bad pc ${this.pc}`);
      }
  }
}
register('test/pickle/support/compiled.ts#server', '5e7e7e01', ServerFrame);
export function server(ch: Channel<unknown>, log: string[]): Gen<number> {
  const f = new ServerFrame();
  f.$ch = ch;
  f.$log = log;
  return asGen(f);
}

// ---- sender(ch, values): for (const x of values) yield* ch.send(x)

class SenderFrame extends TestFrame {
  declare readonly $fnId: string;
  $ch: Channel<unknown> | null = null;
  $values: unknown[] = [];
  $i = 0;
  protected body(v: unknown, raising: boolean): Step {
    if (raising) throw v;
    void v;
    for (;;)
      switch (this.pc) {
        case 0:
          if (this.$i >= this.$values.length) return { done: this.$i };
          this.pc = 1;
          return this.delegate(this.$ch!.send(this.$values[this.$i]));
        case 1:
          this.$i++;
          this.pc = 0;
          continue;
        default:
          throw new Error(`sender: bad pc ${this.pc}`);
      }
  }
}
register('test/pickle/support/compiled.ts#sender', '5e9d0001', SenderFrame);
export function sender(ch: Channel<unknown>, values: unknown[]): Gen<number> {
  const f = new SenderFrame();
  f.$ch = ch;
  f.$values = values;
  return asGen(f);
}

// ---- deep(n, ch): if (n === 0) return yield* ch.receive(); return 1 + (yield* call(deep, n - 1, ch))

class DeepFrame extends TestFrame {
  declare readonly $fnId: string;
  $n = 0;
  $ch: Channel<unknown> | null = null;
  protected body(v: unknown, raising: boolean): Step {
    if (raising) throw v;
    switch (this.pc) {
      case 0:
        if (this.$n === 0) {
          this.pc = 1;
          return this.delegate(this.$ch!.receive());
        }
        this.pc = 2;
        return this.delegate(call(deep, this.$n - 1, this.$ch!));
      case 1:
        return { done: v };
      case 2:
        return { done: 1 + (v as number) };
      default:
        throw new Error(`deep: bad pc ${this.pc}`);
    }
  }
}
register('test/pickle/support/compiled.ts#deep', 'dee90001', DeepFrame);
export function deep(n: number, ch: Channel<unknown>): Gen<number> {
  const f = new DeepFrame();
  f.$n = n;
  f.$ch = ch;
  return asGen(f);
}

// ---- greeter(name, out): const greet = (x) => `${this.$prefix} ${x}` (a closure over the frame);
//      yield* schedule(); out.push(greet(name)); yield* schedule(); out.push(greet('again'))

class GreeterFrame extends TestFrame {
  declare readonly $fnId: string;
  $prefix = 'hello';
  $name = '';
  $out: string[] | null = null;
  $greet: ((x: string) => string) | null = null;
  protected body(v: unknown, raising: boolean): Step {
    if (raising) throw v;
    for (;;)
      switch (this.pc) {
        case 0:
          this.$greet = greetClosure(this);
          this.pc = 1;
          return this.delegate(schedule());
        case 1:
          this.$out!.push(this.$greet!(this.$name));
          this.$prefix = 'hi';
          this.pc = 2;
          return this.delegate(schedule());
        case 2:
          this.$out!.push(this.$greet!('again'));
          return { done: undefined };
        default:
          throw new Error(`greeter: bad pc ${this.pc}`);
      }
  }
}
register('test/pickle/support/compiled.ts#greeter', '94ee7e01', GreeterFrame);
const GREET_ID = 'test/pickle/support/compiled.ts#greeter$clo0';
function greetClosure(env: GreeterFrame): (x: string) => string {
  const fn = (x: string): string => `${env.$prefix} ${x}`;
  Object.defineProperty(fn, CLOSURE_DATA, { value: { fnId: GREET_ID, codeHash: '94ee7e02', env } });
  return fn;
}
registerCompiledFunction({
  fnId: GREET_ID,
  codeHash: '94ee7e02',
  reviveClosure: (env) => greetClosure(env as GreeterFrame),
});
export function greeter(name: string, out: string[]): Gen<void> {
  const f = new GreeterFrame();
  f.$name = name;
  f.$out = out;
  return asGen(f);
}

