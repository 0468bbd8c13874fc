import { FUNCTION_DATA, compiledFunctions, registerCompiledFunction, type FunctionData } from './contract.js';

/**
 * FUNCTION_DATA tagging: a compiled generator function that is a stable module-level value (a
 * top-level function declaration, a top-level `const g = function* () {}`, a method of a
 * top-level class declaration) is tagged with `fn[FUNCTION_DATA] = { fnId, codeHash }` and its
 * registry entry gets `fn`, so the pickler can name it by id.
 */

/**
 * Tag `fn` and record it in the registry entry `fnId` (registered before by unit()).
 * Caller: generated module code, once per stable compiled function, after it exists.
 */
export function fnData(fn: unknown, fnId: string, codeHash: string): void {
  if (typeof fn !== 'function') return; // the binding was replaced before the tag ran: nothing stable to name
  const data: FunctionData = { fnId, codeHash };
  Object.defineProperty(fn, FUNCTION_DATA, { value: data });
  const info = compiledFunctions.get(fnId);
  if (info === undefined) throw new Error(`internal: compiled function ${fnId} tagged before it was registered`);
  registerCompiledFunction({ ...info, fn: fn as (...args: never[]) => unknown });
}

/** Tag method `key` of class `cls` (static or on its prototype). Caller: generated module code. */
export function methodData(cls: { prototype: object }, key: string, isStatic: boolean, fnId: string, codeHash: string): void {
  const home: object = isStatic ? cls : cls.prototype;
  fnData(Object.getOwnPropertyDescriptor(home, key)?.value, fnId, codeHash);
}
