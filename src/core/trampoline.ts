import { Bomb } from './bomb.js';
import { InternalError, UsageError } from './errors.js';
import { CALL_RESULT, SWITCH_RESULT, type Frame } from './frame.js';
import { mainEnded, startTasklet, taskletEnded } from './lifecycle.js';
import { sched } from './scheduler.js';
import type { Tasklet } from './tasklet.js';

/**
 * The trampoline: the one loop that resumes tasklets. It resumes the current tasklet's top
 * frame until the frame suspends; operations have already chosen the next tasklet by then,
 * so the loop just picks up `sched.current` again. It returns to its JS caller when the
 * frameless main tasklet becomes current (plain code resumes) or when the scheduler goes
 * idle (every tasklet waits on I/O).
 *
 * Caller: performNow (plain main executing an operation), runMain, resumeFromIdle.
 */
export function drive(): void {
  const s = sched;
  const main = s.main;
  s.mode = 'running';
  try {
    for (;;) {
      const t = s.current;
      if (t._status !== 'current') {
        s.mode = 'idle';
        return;
      }
      if (t._frame === null) {
        if (t === main) {
          s.mode = 'plain';
          return;
        }
        if (!startTasklet(t)) continue;
      }
      resume(t);
    }
  } catch (e) {
    s.mode = s.current === main && main._frame === null ? 'plain' : 'running';
    throw e instanceof InternalError ? e : new InternalError(`trampoline failed: ${String(e)}`);
  }
}

/**
 * Resume `t`'s top frame with its tempval until the tasklet switches away or ends. Frames
 * that return or raise are popped and their outcome delivered to the frame below; CALL traps
 * push a new frame. Caller: drive() only; `t` is current and has a frame.
 */
function resume(t: Tasklet): void {
  const s = sched;
  let frame: Frame = t._frame!;
  let v: unknown = t._tempval;
  t._tempval = undefined;
  let raising = false;
  if (v instanceof Bomb) {
    raising = true;
    v = v.error;
  }
  for (;;) {
    let r: IteratorResult<unknown, unknown>;
    try {
      r = raising ? frame.throw(v) : frame.next(v);
    } catch (e) {
      // An operation the frame created but never performed dies with the frame: leaving it
      // in `unstarted` would blame the next tasklet (or main) for a forgotten yield*.
      s.unstarted = null;
      const parent = popFrame(t);
      if (parent === null) return frameStackDone(t, e, true);
      frame = parent;
      v = e;
      raising = true;
      continue;
    }
    if (r === SWITCH_RESULT) return;
    if (r.done === true) {
      if (s.unstarted !== null) {
        const op = s.unstarted;
        s.unstarted = null;
        v = forgottenYield(op);
        raising = true;
        continue;
      }
      const parent = popFrame(t);
      if (parent === null) return frameStackDone(t, r.value, false);
      frame = parent;
      v = r.value;
      raising = false;
      continue;
    }
    if (r === CALL_RESULT) {
      const child = (CALL_RESULT.value as { frame: Frame }).frame;
      CALL_RESULT.value = null;
      if (t._stack === null) t._stack = [frame];
      else t._stack.push(frame);
      t._frame = child;
      frame = child;
      v = undefined;
      raising = false;
      continue;
    }
    v = new UsageError(
      `${t} yielded ${describeYielded(r.value)} to the scheduler: use \`yield*\` (not \`yield\`) ` +
        'with stackless operations, and yield* call(fn, ...args) to call another tasklet function',
    );
    raising = true;
  }
}

/** Caller: resume(). Pops the top frame; returns the new top, or null if none is left. */
function popFrame(t: Tasklet): Frame | null {
  const st = t._stack;
  if (st === null || st.length === 0) {
    t._frame = null;
    return null;
  }
  const f = st.pop()!;
  t._frame = f;
  return f;
}

function frameStackDone(t: Tasklet, outcome: unknown, failed: boolean): void {
  t._frame = null;
  t._stack = null;
  if (t === sched.main) mainEnded(outcome, failed);
  else taskletEnded(t, outcome, failed);
}

function forgottenYield(op: object): UsageError {
  return new UsageError(
    `${String(op)} was created but never performed: did you forget \`yield*\`?`,
  );
}

function describeYielded(x: unknown): string {
  if (x === null || typeof x !== 'object') return typeof x === 'string' ? JSON.stringify(x) : String(x);
  const name = (x as object).constructor?.name ?? 'object';
  const text = String(x);
  return text.startsWith('[object') ? `a ${name}` : text;
}
