/**
 * `super` in compiled generator methods, at run time. A compiled method's machine runs outside
 * the class or object literal, where `super` is not available, so the compiler rewrites each
 * `super` access into a call naming the method's home object explicitly (a slot the class's
 * first static block or the object literal's evaluation fills, see super-rewrite.ts) and the
 * frame's `this`. The lookup starts at the home object's prototype, read at each access, as the
 * spec's GetSuperBase does.
 *
 * Callers: generated code only.
 */

type Key = string | symbol;

function base(home: object, key: Key): object {
  const proto = Object.getPrototypeOf(home) as object | null;
  if (proto === null) throw new TypeError(`Cannot read properties of null (reading '${String(key)}')`);
  return proto;
}

/** `super[key]` with `this` = self. */
export function superGet(home: object, key: unknown, self: unknown): unknown {
  const k = toKey(key);
  return Reflect.get(base(home, k), k, self);
}

/** `super.m(...args)` when an argument yields: `fn` (from superGet) called with `this` = self. */
export function superCall(fn: unknown, self: unknown, ...args: unknown[]): unknown {
  if (typeof fn !== 'function') throw new TypeError(`super method is not a function (${typeof fn})`);
  return Reflect.apply(fn, self, args);
}

/** `super[key] = value` with `this` = self; returns value. */
export function superSet(home: object, key: unknown, value: unknown, self: unknown): unknown {
  const k = toKey(key);
  if (!Reflect.set(base(home, k), k, value, self as object))
    throw new TypeError(`Cannot assign to read only property '${String(k)}' of object`);
  return value;
}

/** `super[key]++` and friends: delta is 1 or -1; returns the old (postfix) or new (prefix) numeric value. */
export function superUpdate(home: object, key: unknown, self: unknown, delta: 1 | -1, prefix: boolean): unknown {
  const k = toKey(key);
  let old = superGet(home, k, self) as number | bigint;
  old = typeof old === 'bigint' ? old : +old;
  const next = typeof old === 'bigint' ? old + BigInt(delta) : old + delta;
  superSet(home, k, next, self);
  return prefix ? next : old;
}

/** ToPropertyKey: a computed key evaluated once (compound assignments to `super[k]`). */
export function toKey(key: unknown): Key {
  return typeof key === 'symbol' ? key : typeof key === 'string' ? key : String(key as string);
}
