import { Bomb } from '../core/bomb.js';
import {
  BlockTrapError,
  CallbackError,
  ChannelClosedError,
  DeadlockError,
  InternalError,
  StacklessError,
  StopIteration,
  SwitchTrapError,
  TaskletExit,
  TaskletStateError,
  UsageError,
} from '../core/errors.js';
import { Tasklet } from '../core/tasklet.js';
import { ArrayIter, CollectionIter, KeysIter, ProtocolIter, StringIter } from '../compiler/iterators.js';
import { PickleError } from './pickle-error.js';

/** The `__reduce__` equivalent: a method returning the picklable state of an instance. */
export const REDUCE: unique symbol = Symbol.for('stackless.reduce') as never;
/** Static method of a class: rebuild an instance from the state REDUCE returned. */
export const REVIVE: unique symbol = Symbol.for('stackless.revive') as never;

type AnyClass = abstract new (...args: never[]) => unknown;

export interface ClassOptions<T = unknown, S = unknown> {
  /** Stable name written into pickles (default: the class name). Same in every process. */
  name?: string;
  /** Picklable state of an instance (default: `obj[REDUCE]()`, else its own enumerable properties). */
  reduce?(obj: T): S;
  /**
   * Rebuild an instance from its state (default: static `Cls[REVIVE](state)`, else an object
   * with the class's prototype and the state's properties, made before its contents so
   * cycles through it work). A custom revive receives its state fully built, so a cycle that
   * leads back to the instance itself arrives as a placeholder: use the default for cyclic data.
   */
  revive?(state: S): T;
}

/** A registered class. Caller of the fields: encoder and decoder. */
export interface ClassEntry {
  readonly name: string;
  readonly cls: AnyClass;
  readonly proto: object;
  readonly isError: boolean;
  /** A Tasklet subclass: pickled as the tasklet's state plus the subclass's own fields. */
  readonly isTasklet: boolean;
  readonly reduce: ((obj: never) => unknown) | null;
  readonly revive: ((state: never) => unknown) | null;
}

const byProto = new Map<object, ClassEntry>();
const byName = new Map<string, ClassEntry>();
const fnByValue = new Map<Function, string>();
const fnByName = new Map<string, Function>();

/**
 * Make instances of `cls` picklable (and `cls` itself, as a value). Register the same class
 * under the same name in the process that unpickles. Subclasses need their own registration.
 * A Tasklet subclass is pickled as its tasklet state plus its own fields (no reduce/revive).
 */
export function registerClass<T, S = unknown>(cls: abstract new (...args: never[]) => T, options: ClassOptions<T, S> = {}): void {
  if (typeof cls !== 'function' || typeof cls.prototype !== 'object' || cls.prototype === null)
    throw new TypeError('registerClass(cls) needs a class');
  const name = options.name ?? cls.name;
  if (name === '') throw new TypeError('registerClass: an anonymous class needs options.name');
  const prev = byName.get(name);
  if (prev !== undefined && prev.cls !== cls)
    throw new PickleError(`registerClass: the name "${name}" is already used by another class; pass options.name to tell them apart`);
  const proto = cls.prototype as object;
  const isError = proto instanceof Error || cls === (Error as unknown);
  const staticRevive = (cls as unknown as { [REVIVE]?: (s: never) => unknown })[REVIVE];
  const isTasklet = proto instanceof Tasklet;
  if (isTasklet && (options.reduce !== undefined || options.revive !== undefined || typeof staticRevive === 'function'))
    throw new TypeError(
      `registerClass(${cls.name || name}): a Tasklet subclass is pickled as its tasklet state plus its own fields; ` +
        'reduce/revive are not supported for it (keep picklable data in its fields)',
    );
  const entry: ClassEntry = {
    name,
    cls,
    proto,
    isError,
    isTasklet,
    reduce: (options.reduce as ((o: never) => unknown) | undefined) ?? null,
    revive:
      (options.revive as ((s: never) => unknown) | undefined) ??
      (typeof staticRevive === 'function' ? (s: never) => staticRevive.call(cls, s) : null),
  };
  byProto.set(proto, entry);
  byName.set(name, entry);
}

/** Make a function picklable by name (e.g. the function of a tasklet that has not started). */
export function registerFunction(fn: Function, name: string = fn.name): void {
  if (typeof fn !== 'function') throw new TypeError('registerFunction(fn, name) needs a function');
  if (name === '') throw new TypeError('registerFunction: an anonymous function needs a name');
  const prev = fnByName.get(name);
  if (prev !== undefined && prev !== fn)
    throw new PickleError(`registerFunction: the name "${name}" is already used by another function; pick another name`);
  fnByName.set(name, fn);
  fnByValue.set(fn, name);
}

/** Caller: encoder. */
export function classOf(proto: object): ClassEntry | undefined {
  return byProto.get(proto);
}
/** Caller: scanner, decoder. */
export function classNamed(name: string): ClassEntry | undefined {
  return byName.get(name);
}
/** Caller: encoder. */
export function functionName(fn: Function): string | undefined {
  return fnByValue.get(fn);
}
/** Caller: scanner, decoder. */
export function functionNamed(name: string): Function | undefined {
  return fnByName.get(name);
}

// Built-in registrations: JS's error classes and the core runtime's values.
for (const E of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError])
  registerClass(E as AnyClass as abstract new () => Error, { name: E.name });
for (const [E, name] of [
  [StacklessError, 'stackless.StacklessError'],
  [DeadlockError, 'stackless.DeadlockError'],
  [SwitchTrapError, 'stackless.SwitchTrapError'],
  [BlockTrapError, 'stackless.BlockTrapError'],
  [TaskletStateError, 'stackless.TaskletStateError'],
  [ChannelClosedError, 'stackless.ChannelClosedError'],
  [CallbackError, 'stackless.CallbackError'],
  [UsageError, 'stackless.UsageError'],
  [InternalError, 'stackless.InternalError'],
  [StopIteration, 'stackless.StopIteration'],
  [PickleError, 'stackless.PickleError'],
] as const)
  registerClass(E as AnyClass, { name });
registerClass(TaskletExit, { name: 'stackless.TaskletExit' });
registerClass(Bomb, { name: 'stackless.Bomb' });
// The compiler's loop iterators are plain data (ProtocolIter only when its iterator is, e.g. a
// compiled generator frame): a tasklet suspended inside a for-of / for-in loop pickles.
registerClass(ArrayIter, { name: 'stackless.ArrayIter' });
registerClass(StringIter, { name: 'stackless.StringIter' });
registerClass(KeysIter, { name: 'stackless.KeysIter' });
registerClass(CollectionIter, { name: 'stackless.CollectionIter' });
registerClass(ProtocolIter, { name: 'stackless.ProtocolIter' });
