/**
 * stackless/compiler: the tasklet compiler (compile()) and the runtime its generated code
 * uses (frames, loop iterators, closures). Generated code imports the runtime alone,
 * `stackless/compiler/runtime`, so running compiled code never loads Babel.
 * See src/compiler/README.md and docs/compiler.md.
 */
export { compile, type CompileOptions, type CompileResult } from './compile.js';
export { CompileError } from './compile-error.js';
export * from './runtime.js';
