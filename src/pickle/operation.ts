import { InternalError } from '../core/errors.js';
import { Op } from '../core/op.js';
import { OP_DONE, OP_RESUME_VALUE, OP_RESUME_VOID } from './format.js';

/**
 * Operations a compiled frame is suspended in (`yield* ch.receive()` keeps the operation as
 * the frame's delegate). A waiting channel, schedule, run or call operation finishes by
 * returning the value the tasklet is resumed with; a waiting kill/throw returns nothing; a
 * completed one returns its result. Other operations (sendSequence/collect/forEach/atomic run
 * native generators; I/O operations hold handles) are refused.
 */

/** The core's op classes, by constructor name: how each finishes when resumed. */
const WAITING_MODES: Record<string, number> = {
  ChannelOp: OP_RESUME_VALUE,
  ScheduleOp: OP_RESUME_VALUE,
  RunTaskletOp: OP_RESUME_VALUE,
  CallOp: OP_RESUME_VALUE,
  ThrowOp: OP_RESUME_VOID,
};

interface OpInternals {
  _opState: 'created' | 'waiting' | 'done';
  _result: unknown;
  frame?: unknown;
}

const CALL_OP = -1;
const UNKNOWN = -2;
const modeByClass = new Map<Function, number>();

function classMode(op: Op<unknown>): number {
  const ctor = op.constructor;
  let m = modeByClass.get(ctor);
  if (m === undefined) {
    m = ctor.name === 'CallOp' ? CALL_OP : (WAITING_MODES[ctor.name] ?? UNKNOWN);
    modeByClass.set(ctor, m);
  }
  return m;
}

/** Caller: encoder. The mode to write (the result is in `out.result`), or a reason it cannot be pickled. */
export function operationMode(op: Op<unknown>, out: { result: unknown }): number | string {
  const o = op as unknown as OpInternals;
  const m = classMode(op);
  out.result = undefined;
  if (m === CALL_OP) {
    // A CallOp whose frame was pushed finishes with the callee's return value.
    if (o.frame === null || o.frame === undefined) return `${String(op)} has not started`;
    return OP_RESUME_VALUE;
  }
  if (o._opState === 'done') {
    out.result = o._result;
    return OP_DONE;
  }
  if (o._opState === 'created') return `${String(op)} was created but never performed`;
  if (m === UNKNOWN)
    return `${String(op)} (${op.constructor.name}) runs a native generator or holds a resource; only channel, schedule, run, call, kill and throw operations can be suspended in a pickled frame`;
  return m;
}

/** An operation rebuilt by unpickle(), suspended in a restored frame. */
class RestoredOp extends Op<unknown> {
  constructor(private readonly mode: number) {
    super();
  }
  protected start(): never {
    throw new InternalError('a restored operation was started again');
  }
  protected override resume(v: unknown): unknown {
    return this.mode === OP_RESUME_VOID ? undefined : v;
  }
  toString(): string {
    return 'restored operation';
  }
}

/** Caller: decoder. */
export function restoreOperation(mode: number, result: unknown): Op<unknown> {
  const op = new RestoredOp(mode);
  const o = op as unknown as OpInternals;
  if (mode === OP_DONE) {
    o._opState = 'done';
    o._result = result;
  } else {
    o._opState = 'waiting';
  }
  return op;
}
