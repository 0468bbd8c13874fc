import { CLOSURE_DATA, registerCompiledFunction, type ClosureData } from './contract.js';

/**
 * Closure conversion at run time. A function created inside a compiled generator that uses
 * the generator's locals is generated as a factory `mk(env)` at module level; each creation
 * calls `closure(mk(env), info, env)`, which tags the function with its `CLOSURE_DATA` so the
 * pickler can store `{ fnId, codeHash, env }` and revive it with `info`'s factory.
 */
export interface ClosureInfo {
  readonly fnId: string;
  readonly codeHash: string;
  readonly make: (env: any) => object; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Caller: generated module code, once per closure site. */
export function closureInfo(fnId: string, codeHash: string, make: ClosureInfo['make'], nested?: 1): ClosureInfo {
  const info: ClosureInfo = { fnId, codeHash, make };
  // Created inside a function: the registry holds it weakly (see unit()).
  const ref = nested === 1 ? new WeakRef(info) : null;
  const strong = nested === 1 ? null : info;
  registerCompiledFunction({
    fnId,
    codeHash,
    reviveClosure(env) {
      const i = strong ?? ref!.deref();
      if (i === undefined) throw new Error(`compiled closure ${fnId} is no longer loaded (the scope that defined it was collected)`);
      return closure(i.make(env), i, env) as (...a: never[]) => unknown;
    },
  });
  return info;
}

/** Caller: generated code, each time a converted closure is created. */
export function closure<F extends object>(fn: F, info: ClosureInfo, env: object): F {
  const data: ClosureData = { fnId: info.fnId, codeHash: info.codeHash, env };
  Object.defineProperty(fn, CLOSURE_DATA, { value: data });
  return fn;
}

/** A block scope record for loop bindings captured per iteration: `{ env, $x, ... }`. */
export function copyScope<S extends object>(s: S): S {
  return { ...s };
}

/**
 * The shared preemption budget (tick counting, compiled with `preempt: true`). Generated code
 * decrements `budget.n` at function entry and on loop back-edges; when it drops below zero
 * it calls `budget.onExhausted()`. The scheduler side (run(n) watchdog) is not built yet: the
 * default handler refills the budget.
 */
export const budget = {
  n: Number.MAX_SAFE_INTEGER,
  ticks: 0,
  onExhausted(): void {
    budget.ticks++;
    budget.n = Number.MAX_SAFE_INTEGER;
  },
};
