/**
 * The frame contract: what the trampoline needs from one activation record.
 *
 * A tasklet's state is an explicit stack of frames. Only the top frame is ever resumed, so a
 * resume costs the same at any call depth and recursion is bounded by memory, not by the JS
 * stack. A frame is any object with the iterator protocol's `next` and `throw`:
 *
 *  - `next(value)` resumes the frame; `value` is what its pending operation returns.
 *  - `throw(error)` resumes it by raising `error` at its suspension point.
 *  - Both return an IteratorResult. `{ done: true, value }` means the frame returned `value`
 *    (a throw means it raised). `{ done: false, value: trap }` means it suspended on a trap:
 *    either the runtime's SWITCH result (an operation already switched tasklets) or a CALL
 *    result (push `trap.frame` as a new frame on top of this one and run it; its outcome is
 *    delivered back to this frame with next/throw).
 *  - A frame yields the runtime's own result objects by identity (`yield*` forwards the inner
 *    iterator's result object unchanged for sync generators), so nothing is allocated per
 *    switch.
 *
 * Native generator objects satisfy the contract. The tasklet compiler's frames implement it
 * too and set `restorable = true` (their state is plain data that can be pickled).
 */
export interface Frame {
  next(value?: unknown): IteratorResult<unknown, unknown>;
  throw(error: unknown): IteratorResult<unknown, unknown>;
  /** True for frames whose state is plain data (compiled frames). Native generators lack it. */
  readonly restorable?: boolean;
}

declare const trapBrand: unique symbol;
/**
 * What a tasklet generator yields to the runtime, through `yield*` on operations. Opaque:
 * user code never sees one. Tasklet functions are typed `Generator<Trap, R, unknown>`.
 */
export interface Trap {
  readonly [trapBrand]: true;
}

/** Result returned by an operation that switched away; the trampoline checks identity. */
export const SWITCH_RESULT: IteratorYieldResult<Trap> = Object.freeze({
  done: false,
  value: Object.freeze({ kind: 'switch' }) as unknown as Trap,
}) as IteratorYieldResult<Trap>;

/**
 * The one mutable "call" result: `value` is set to the CallOp whose frame must be pushed,
 * and read by the trampoline immediately (yield* forwards the object unchanged).
 */
export const CALL_RESULT: { done: false; value: unknown } = { done: false, value: null };

/** Mutable completion result reused by every operation (read at once by yield*). */
export const DONE_RESULT: { done: true; value: unknown } = { done: true, value: undefined };

/** Caller: the trampoline. True when `x` can serve as a frame. */
export function isFrame(x: unknown): x is Frame {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as Frame).next === 'function' &&
    typeof (x as Frame).throw === 'function'
  );
}
