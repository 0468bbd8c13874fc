/**
 * stackless/pickle: serialize tasklets, channels and the data they reach, and resume them in
 * another process. See docs/pickling.md.
 */
export { pickle, unpickle, type PickleOptions, type UnpickleOptions } from './pickle.js';
export { PickleError } from './pickle-error.js';
export { registerClass, registerFunction, REDUCE, REVIVE, type ClassOptions } from './registry.js';
export type { PickleKey } from './signing.js';
export { FORMAT_VERSION } from './format.js';
