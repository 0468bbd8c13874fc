/**
 * The TDZ error of a compiled frame's `let`/`const`/`class` binding read or written before its
 * declaration ran (which sites are checked: tdz.ts). Same class and message as native.
 *
 * Caller: generated code only.
 */
export function tdz(name: string): never {
  throw new ReferenceError(`Cannot access '${name}' before initialization`);
}
