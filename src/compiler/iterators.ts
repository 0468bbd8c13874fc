import { pending, type Frame } from './frame-base.js';

/**
 * Loop iterators used by compiled `for-of`/`for-in` loops that suspend. Arrays, strings and
 * for-in keys iterate over plain data (picklable: fields only); other iterables go through
 * their own iterator. All share one allocation-free protocol: `n()` advances and stores the
 * value in `v`, returning false when exhausted; `done` is true once exhausted or closed (or
 * while `n()` runs, so an exception from the iterator itself does not close it).
 */
export interface LoopIter {
  v: unknown;
  done: boolean;
  n(): boolean;
  close(): void;
}

/** Live iteration over an array (sees pushes during the loop, like Array.prototype.values). */
export class ArrayIter implements LoopIter {
  v: unknown = undefined;
  done = false;
  constructor(
    public a: ArrayLike<unknown>,
    public i = 0,
  ) {}
  n(): boolean {
    const a = this.a;
    if (this.i < a.length) {
      this.v = a[this.i++];
      return true;
    }
    this.done = true;
    this.v = undefined;
    return false;
  }
  close(): void {
    this.done = true;
  }
}

/** Iteration over a string by code points. */
export class StringIter implements LoopIter {
  v: unknown = undefined;
  done = false;
  constructor(
    public s: string,
    public i = 0,
  ) {}
  n(): boolean {
    const s = this.s;
    if (this.i >= s.length) {
      this.done = true;
      this.v = undefined;
      return false;
    }
    const cp = s.codePointAt(this.i)!;
    const w = cp > 0xffff ? 2 : 1;
    this.v = s.slice(this.i, this.i + w);
    this.i += w;
    return true;
  }
  close(): void {
    this.done = true;
  }
}

/** for-in: the enumerable string keys (own and inherited) taken at loop start; deleted keys are skipped. */
export class KeysIter implements LoopIter {
  v: unknown = undefined;
  done = false;
  keys: string[];
  i = 0;
  constructor(public o: object) {
    this.keys = [];
    if (o !== null && o !== undefined) for (const k in o) this.keys.push(k);
  }
  n(): boolean {
    while (this.i < this.keys.length) {
      const k = this.keys[this.i++]!;
      if (k in Object(this.o)) {
        this.v = k;
        return true;
      }
    }
    this.done = true;
    this.v = undefined;
    return false;
  }
  close(): void {
    this.done = true;
  }
}

/**
 * for-of over a Map (entries) or a Set (values). Plain data: the collection and how many items
 * were consumed. The live native iterator is kept outside the object (a WeakMap), so while the
 * program runs, iteration sees additions and deletions exactly as native for-of does; a revived
 * copy (after pickling) re-creates it and skips `n` items (exact if the collection was not
 * mutated behind the suspended loop).
 */
export class CollectionIter implements LoopIter {
  v: unknown = undefined;
  done = false;
  /** Items consumed so far. */
  i = 0;
  constructor(public c: Map<unknown, unknown> | Set<unknown>) {}
  n(): boolean {
    let it = liveIterators.get(this);
    if (it === undefined) {
      it = this.c[Symbol.iterator]() as Iterator<unknown>;
      for (let k = 0; k < this.i; k++) it.next();
      liveIterators.set(this, it);
    }
    this.done = true;
    const r = it.next();
    if (r.done === true) {
      this.v = undefined;
      liveIterators.delete(this);
      return false;
    }
    this.done = false;
    this.i++;
    this.v = r.value;
    return true;
  }
  close(): void {
    this.done = true;
    liveIterators.delete(this);
  }
}
const liveIterators = new WeakMap<CollectionIter, Iterator<unknown>>();

/**
 * Any other iterable (Map, Set, compiled generators, user iterators) through its iterator.
 * Not plain data unless the iterator is (a compiled generator frame is).
 */
export class ProtocolIter implements LoopIter {
  v: unknown = undefined;
  done = false;
  constructor(public it: Iterator<unknown>) {}
  n(): boolean {
    this.done = true;
    const r = this.it.next();
    if (r === null || typeof r !== 'object') throw new TypeError(`Iterator result ${String(r)} is not an object`);
    if (r.done === true) {
      this.v = undefined;
      return false;
    }
    this.done = false;
    this.v = r.value;
    return true;
  }
  close(): void {
    this.done = true;
    const r = this.it.return;
    if (r === undefined) return;
    const res = r.call(this.it);
    if (res === null || typeof res !== 'object') throw new TypeError('iterator.return() did not return an object');
  }
}

/** Caller: generated code for `for (x of e)`. */
export function iter(e: unknown): LoopIter {
  if (Array.isArray(e) && (e as unknown as { [Symbol.iterator]: unknown })[Symbol.iterator] === ARRAY_VALUES) return new ArrayIter(e);
  if (typeof e === 'string') return new StringIter(e);
  if (e instanceof Map && (e as unknown as { [Symbol.iterator]: unknown })[Symbol.iterator] === MAP_ENTRIES) return new CollectionIter(e);
  if (e instanceof Set && (e as unknown as { [Symbol.iterator]: unknown })[Symbol.iterator] === SET_VALUES) return new CollectionIter(e);
  if (e === null || e === undefined) throw new TypeError(`${String(e)} is not iterable`);
  const m = (e as { [Symbol.iterator]?: () => Iterator<unknown> })[Symbol.iterator];
  if (typeof m !== 'function') throw new TypeError(`${typeof e === 'object' ? 'object' : String(e)} is not iterable`);
  const it = m.call(e);
  if (it === null || typeof it !== 'object') throw new TypeError('Result of the Symbol.iterator method is not an object');
  return new ProtocolIter(it);
}
const ARRAY_VALUES = Array.prototype[Symbol.iterator];
const MAP_ENTRIES = Map.prototype[Symbol.iterator];
const SET_VALUES = Set.prototype[Symbol.iterator];

/** Caller: generated code for `for (k in o)`. */
export function keys(o: unknown): LoopIter {
  return new KeysIter(o as object);
}

/**
 * Close a for-of loop's iterator when the loop is left early (break, return, throw) from
 * the finally block of try entry `i`. A close that fails while an exception is already
 * propagating is ignored (the original exception wins). Caller: generated code.
 */
export function closeLoop(f: Frame, i: number, it: LoopIter | undefined): void {
  if (it === undefined || it.done) return;
  const c = pending(f, i);
  if (c !== undefined && c.k === 2) {
    try {
      it.close();
    } catch {
      /* the pending exception wins */
    }
    return;
  }
  it.close();
}
