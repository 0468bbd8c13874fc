import { Op } from '../core/op.js';
import { OP_DONE, OP_RESUME_VALUE, OP_RESUME_VOID } from './format.js';

/**
 * Operations a compiled frame is suspended in (`yield* ch.receive()` keeps the operation as
 * the frame's delegate). A waiting channel, schedule, run or call operation finishes by
 * returning the value the tasklet is resumed with; a waiting kill/throw returns nothing; a
 * completed one returns its result. Other operations (sendSequence/collect/forEach/atomic run
 * native generators; I/O operations hold handles) are refused.
 */

interface OpInternals {
  _opState: 'created' | 'waiting' | 'done';
  _result: unknown;
  frame?: unknown;
}

/** Caller: encoder. The mode to write (the result is in `out.result`), or a reason it cannot be pickled. */
export function operationMode(op: Op<unknown>, out: { result: unknown }): number | string {
  const o = op as unknown as OpInternals;
  const kind = op._resumeKind;
  out.result = undefined;
  if ('frame' in o) {
    // A call() whose frame was pushed finishes with the callee's return value.
    if (o.frame === null || o.frame === undefined) return `${String(op)} has not started`;
    return OP_RESUME_VALUE;
  }
  if (o._opState === 'done') {
    out.result = o._result;
    return OP_DONE;
  }
  if (o._opState === 'created') return `${String(op)} was created but never performed`;
  if (kind === null)
    return `${String(op)} (${op.constructor.name}) runs a native generator or holds a resource; only channel, schedule, run, call, kill and throw operations can be suspended in a pickled frame`;
  return kind === 'value' ? OP_RESUME_VALUE : OP_RESUME_VOID;
}

/**
 * What a restored frame is suspended in: an iterator that finishes the `yield*` when the
 * tasklet is resumed. Stateless for waiting operations (one shared object per mode: the
 * core's RESUME_ITER is shared by many frames too, so sharing must not matter).
 */
interface ResumeIter {
  next(v?: unknown): IteratorResult<unknown, unknown>;
  throw(e: unknown): never;
}

const RESUME_WITH_VALUE: ResumeIter = Object.freeze({
  next: (v?: unknown): IteratorResult<unknown, unknown> => ({ done: true, value: v }),
  throw: (e: unknown): never => {
    throw e;
  },
});
const RESUME_WITH_NOTHING: ResumeIter = Object.freeze({
  next: (): IteratorResult<unknown, unknown> => ({ done: true, value: undefined }),
  throw: (e: unknown): never => {
    throw e;
  },
});

/** Caller: decoder. A completed operation keeps answering its result. */
export function restoreOperation(mode: number, result: unknown): ResumeIter & { result?: unknown } {
  if (mode === OP_RESUME_VALUE) return RESUME_WITH_VALUE;
  if (mode === OP_RESUME_VOID) return RESUME_WITH_NOTHING;
  const done = {
    result,
    next(): IteratorResult<unknown, unknown> {
      return { done: true, value: done.result };
    },
    throw(e: unknown): never {
      throw e;
    },
  };
  return done;
}
