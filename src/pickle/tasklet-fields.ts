import { restoreTasklet } from '../core/restore.js';
import type { Tasklet } from '../core/tasklet.js';

/**
 * The own fields a Tasklet subclass adds to its instances (`class Worker extends Tasklet {
 * jobs = 0 }`): every own enumerable string-keyed property except the runtime's own fields
 * (`id`, `_status`, `_frame`, ...), which are pickled as the tasklet's state instead.
 */

let runtime: ReadonlySet<string> | null = null;

/** The runtime's own field names, read once from a fresh tasklet (so this follows core). */
function runtimeFields(): ReadonlySet<string> {
  runtime ??= new Set(
    Object.keys(restoreTasklet({ status: 'new', frames: [], tempval: undefined, entry: null, atomic: false, blockTrap: false, name: null })),
  );
  return runtime;
}

/** Caller: encoder and path (for a registered Tasklet subclass instance). */
export function subclassFields(t: Tasklet): Record<string, unknown> {
  const rt = runtimeFields();
  const own: Record<string, unknown> = {};
  for (const k of Object.keys(t)) if (!rt.has(k)) own[k] = (t as unknown as Record<string, unknown>)[k];
  return own;
}

/** True if `key` names one of the runtime's fields (a pickle may not set those). Caller: decoder. */
export function isRuntimeField(key: string): boolean {
  return runtimeFields().has(key);
}
