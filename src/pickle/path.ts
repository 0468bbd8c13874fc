import { Channel } from '../core/channel.js';
import { Op } from '../core/op.js';
import { channelState, taskletState } from '../core/restore.js';
import { Tasklet } from '../core/tasklet.js';
import { CLOSURE_DATA, FRAME_DATA, type ClosureData, type FrameData } from '../compiler/contract.js';
import { classOf, REDUCE } from './registry.js';
import { subclassFields } from './tasklet-fields.js';

/**
 * Find where `target` sits in the graph under `root`, as a readable path such as
 * `tasklet.frames[1].state.conn`. Walks the graph the way the encoder does (pre-order,
 * children in order, each object once), so the path is the one the encoder took. Iterative.
 * Used only to build error messages. Caller: pickle().
 */
export function findPath(root: unknown, target: unknown): string {
  const rootName = root instanceof Tasklet ? 'tasklet' : root instanceof Channel ? 'channel' : 'value';
  const seen = new Set<unknown>();
  const stack: [unknown, string][] = [[root, rootName]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === target) return path;
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
    seen.add(v);
    let kids: [unknown, string][];
    try {
      kids = children(v, path);
    } catch {
      kids = [];
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return rootName;
}

function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

function props(o: object, path: string): [unknown, string][] {
  const out: [unknown, string][] = [];
  for (const k of Object.keys(o)) out.push([(o as Record<string, unknown>)[k], path + key(k)]);
  for (const s of Object.getOwnPropertySymbols(o)) out.push([(o as Record<symbol, unknown>)[s], `${path}[${s.toString()}]`]);
  return out;
}

function children(v: object, path: string): [unknown, string][] {
  if (typeof v === 'function') {
    const c = (v as { [CLOSURE_DATA]?: ClosureData })[CLOSURE_DATA];
    return c === undefined ? [] : [[c.env, `${path}.env`]];
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) return props(v, path);
  if (Array.isArray(v)) {
    const out: [unknown, string][] = [];
    for (const k of Object.keys(v)) {
      const x = (v as unknown as Record<string, unknown>)[k];
      out.push([x, /^\d+$/.test(k) ? `${path}[${k}]` : path + key(k)]);
    }
    for (const s of Object.getOwnPropertySymbols(v)) out.push([(v as unknown as Record<symbol, unknown>)[s], `${path}[${s.toString()}]`]);
    return out;
  }
  if (typeof (v as { [FRAME_DATA]?: unknown })[FRAME_DATA] === 'function')
    return props((v as { [FRAME_DATA](): FrameData })[FRAME_DATA]().state, `${path}.state`);
  if (v instanceof Tasklet) {
    if (v._status === 'current') return [];
    const st = taskletState(v);
    const out: [unknown, string][] = [[st.tempval, `${path}.tempval`]];
    st.frames.forEach((f, i) => out.push([f, `${path}.frames[${i}]`]));
    if (st.entry !== null) {
      out.push([st.entry.fn, `${path}.entry.fn`]);
      st.entry.args.forEach((a, i) => out.push([a, `${path}.entry.args[${i}]`]));
    }
    if (v._waitingOn !== null) out.push([v._waitingOn, `${path}.channel`]);
    if (Object.getPrototypeOf(v) !== Tasklet.prototype) out.push(...props(subclassFields(v), path));
    return out;
  }
  if (v instanceof Channel) return channelState(v).queue.map((t, i) => [t, `${path}.queue[${i}]`] as [unknown, string]);
  if (v instanceof Op) {
    const r = (v as unknown as { _result?: unknown })._result;
    return [[r, `${path}.result`]];
  }
  if (v instanceof Map) {
    const out: [unknown, string][] = [];
    let i = 0;
    for (const [k, x] of v) {
      out.push([k, `${path}.keys()[${i}]`]);
      out.push([x, `${path}.get(${typeof k === 'string' ? JSON.stringify(k) : `keys()[${i}]`})`]);
      i++;
    }
    return out;
  }
  if (v instanceof Set) return [...v].map((x, i) => [x, `${path}.values()[${i}]`] as [unknown, string]);
  if (ArrayBuffer.isView(v)) return [[v.buffer, `${path}.buffer`]];
  if (v instanceof Error) {
    const out: [unknown, string][] = [[v.cause, `${path}.cause`]];
    return out.concat(props(v, path));
  }
  const entry = proto === null ? undefined : classOf(proto);
  if (entry !== undefined) {
    const custom = (v as { [REDUCE]?: () => unknown })[REDUCE];
    if (entry.reduce !== null) return [[entry.reduce(v as never), `${path}.<reduced>`]];
    if (typeof custom === 'function') return [[custom.call(v), `${path}.<reduced>`]];
  }
  return props(v, path);
}
