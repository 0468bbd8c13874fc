/**
 * stackless/compiler: the tasklet compiler (compile()) and the runtime its generated code
 * imports (frames, loop iterators, closures). See src/compiler/README.md and docs/compiler.md.
 */
export { compile, type CompileOptions, type CompileResult } from './compile.js';
export { CompileError } from './compile-error.js';
export { Frame, unit, placedUnit, bindUnit, ret, jump, fin, tryStart, del, type Unit, type PlacedFunction, type FrameStatus } from './frame-base.js';
export { iter, keys, closeLoop, ArrayIter, StringIter, KeysIter, CollectionIter, ProtocolIter, type LoopIter } from './iterators.js';
export { closure, closureInfo, copyScope, budget, type ClosureInfo } from './closure.js';
export { FRAME_DATA, CLOSURE_DATA, FUNCTION_DATA, compiledFunctions, type FrameData, type ClosureData, type FunctionData, type CompiledFrame } from './contract.js';
export { fnData, methodData } from './function-data.js';
export { superCall, superGet, superSet, superUpdate, toKey } from './super-access.js';
export { coercible, objRest, restOf, step } from './destructuring.js';
export { strings } from './tagged-template.js';
export { tdz } from './uninitialized.js';
