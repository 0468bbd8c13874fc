import type { LoopIter } from './iterators.js';

/**
 * Run-time helpers for destructuring patterns that contain a `yield` (the emitter lowers those
 * into steps, emitter.ts `destructure`); patterns without one stay native. Array patterns use
 * the plain-data loop iterators (iterators.ts), so a frame suspended inside one is still plain
 * data for arrays and strings.
 *
 * Callers: generated code only.
 */

/** RequireObjectCoercible before an object pattern reads any key. */
export function coercible(v: unknown): void {
  if (v === null || v === undefined) throw new TypeError(`Cannot destructure '${String(v)}' as it is ${String(v)}.`);
}

/** `{ a, ...rest }`: own enumerable properties of `v` (string and symbol keys) except `used`. */
export function objRest(v: unknown, used: readonly PropertyKey[]): Record<PropertyKey, unknown> {
  const o = Object(v) as Record<PropertyKey, unknown>;
  const out: Record<PropertyKey, unknown> = {};
  for (const k of Reflect.ownKeys(o)) {
    if (used.includes(k)) continue;
    if (Object.prototype.propertyIsEnumerable.call(o, k)) out[k] = o[k];
  }
  return out;
}

/** The next element of an array pattern: undefined once the iterator is exhausted. */
export function step(it: LoopIter): unknown {
  return !it.done && it.n() ? it.v : undefined;
}

/** `[a, ...rest]`: the remaining elements. */
export function restOf(it: LoopIter): unknown[] {
  const out: unknown[] = [];
  while (!it.done && it.n()) out.push(it.v);
  return out;
}
