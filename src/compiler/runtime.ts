/**
 * stackless/compiler/runtime: what compiled code imports at run time (frames, loop iterators,
 * closures, super/destructuring/TDZ helpers, the pickler contract), and nothing of the
 * compiler itself, so a compiled program (`stackless build` output, or the load hook's) never
 * loads Babel. `stackless/compiler` re-exports all of it plus `compile()`.
 */
export { Frame, unit, placedUnit, bindUnit, ret, jump, fin, tryStart, del, type Unit, type PlacedFunction, type FrameStatus } from './frame-base.js';
export { iter, keys, closeLoop, ArrayIter, StringIter, KeysIter, CollectionIter, ProtocolIter, type LoopIter } from './iterators.js';
export { closure, closureInfo, copyScope, budget, type ClosureInfo } from './closure.js';
export { FRAME_DATA, CLOSURE_DATA, FUNCTION_DATA, compiledFunctions, type FrameData, type ClosureData, type FunctionData, type CompiledFrame } from './contract.js';
export { fnData, methodData } from './function-data.js';
export { superCall, superGet, superSet, superUpdate, toKey } from './super-access.js';
export { coercible, objRest, restOf, step } from './destructuring.js';
export { strings } from './tagged-template.js';
export { tdz } from './uninitialized.js';
