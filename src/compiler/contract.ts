import type { Frame } from '../core/frame.js';

/**
 * The contract between compiled code (src/compiler) and the pickler (src/pickle).
 *
 * A compiled tasklet function is registered under a stable id,
 * `<module path relative to the project root>#<qualified name>` (e.g.
 * `examples/counter.ts#counter`, `src/app.ts#Server.serve`), with a hash of its compiled code.
 * Its frames are plain data: `frame[FRAME_DATA]()` returns the function id, the code hash and a
 * `state` record (resume point, locals, temporaries, pending try/finally completions, `this`,
 * iterator state) whose values are ordinary picklable values. The pickler serializes that
 * record; on load it looks the id up in `compiledFunctions`, refuses a different hash, and
 * calls `reviveFrame(state)`.
 *
 * Functions created by compiled code that close over a frame's locals (closures) carry
 * `fn[CLOSURE_DATA] = { fnId, codeHash, env }` where `env` is the frame (or scope record) they
 * capture; they are revived with `reviveClosure(env)` of the registered closure id.
 *
 * A compiled generator function that is a stable module-level value (a top-level function
 * declaration, for example) carries `fn[FUNCTION_DATA] = { fnId, codeHash }` and its registry
 * entry has `fn` set to that same function object, so an unstarted tasklet bound to it pickles
 * by id (no `registerFunction` needed) and unpickles to the same function in the new process.
 */
export const FRAME_DATA: unique symbol = Symbol.for('stackless.frameData') as never;
export const CLOSURE_DATA: unique symbol = Symbol.for('stackless.closureData') as never;
export const FUNCTION_DATA: unique symbol = Symbol.for('stackless.functionData') as never;

export interface FrameData {
  readonly fnId: string;
  readonly codeHash: string;
  readonly state: Record<string, unknown>;
}

export interface FunctionData {
  readonly fnId: string;
  readonly codeHash: string;
}

export interface ClosureData {
  readonly fnId: string;
  readonly codeHash: string;
  readonly env: object;
}

/** A compiled frame: the core Frame contract plus its data. `restorable` is true. */
export interface CompiledFrame extends Frame {
  readonly restorable: true;
  [FRAME_DATA](): FrameData;
}

export interface CompiledFunctionInfo {
  readonly fnId: string;
  readonly codeHash: string;
  /** Present for generator functions: rebuild a suspended frame from its state. */
  reviveFrame?(state: Record<string, unknown>): CompiledFrame;
  /** Present for module-level compiled generator functions: the function object itself (tagged with FUNCTION_DATA). */
  fn?: (...args: never[]) => unknown;
  /** Present for closures: rebuild the function object over `env`. */
  reviveClosure?(env: object): (...args: never[]) => unknown;
}

/** Every compiled function loaded in this process, by id. Writer: the compiler's runtime. */
export const compiledFunctions = new Map<string, CompiledFunctionInfo>();

/** Caller: the compiler's generated module code (via its runtime), once per function. */
export function registerCompiledFunction(info: CompiledFunctionInfo): void {
  const prev = compiledFunctions.get(info.fnId);
  if (prev !== undefined && prev.codeHash !== info.codeHash)
    throw new Error(
      `compiled function id ${info.fnId} registered twice with different code (${prev.codeHash} vs ${info.codeHash}): ` +
        'two functions map to the same module path and name',
    );
  compiledFunctions.set(info.fnId, info);
}
