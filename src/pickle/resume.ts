import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Channel } from '../core/channel.js';
import { DeadlockError } from '../core/errors.js';
import { pendingExternalWaits, runMainAsync } from '../core/main.js';
import { run } from '../core/scheduling.js';
import type { Tasklet } from '../core/tasklet.js';
import { splitFnId } from './code-table.js';
import { pickleFunctionIds, unpickleWithTasklets } from './pickle.js';
import { PickleError } from './pickle-error.js';
import type { PickleKey } from './signing.js';

/**
 * Resuming a pickle file in a fresh process (`stackless resume state.pkl`): import the modules
 * its compiled functions come from, unpickle, continue its tasklets and run until none can run.
 *
 * The convention: every tasklet in the pickle that comes back paused (it was runnable or
 * paused when pickled) is inserted, in the order the pickle holds them; tasklets blocked on a
 * channel stay blocked in the unpickled channel and continue when a partner arrives; new
 * (unbound or bound, not set up) and dead tasklets are left as they are. Whatever the root
 * value is (a tasklet, an array or record of tasklets and channels) does not matter.
 *
 * Main runs under core's runMainAsync and is the watchdog of a `run()`, so resumed tasklets
 * may also wait for I/O (sleep, sockets): the process ends when nothing is runnable and
 * nothing waits for I/O. (While main waits for I/O, a tasklet that blocks on a channel as the
 * last runnable one with no I/O pending gets DeadlockError, as under runMainAsync.)
 */

export interface ResumeOptions {
  /** Project root: the module paths in function ids are relative to it. Default: the working directory. */
  readonly root?: string;
  /** Key of a signed pickle: verified before any module is imported. */
  readonly key?: PickleKey;
  /** Extra modules to import first (ones that register classes or functions), relative to the root. */
  readonly imports?: readonly string[];
}

export interface ResumeOutcome {
  /** Every tasklet the pickle held, in pickle order. */
  readonly tasklets: readonly Tasklet[];
  /** The ones that were inserted (paused when unpickled). */
  readonly inserted: readonly Tasklet[];
  /** Tasklets of the pickle still alive at the end (blocked with no partner left). */
  readonly stuck: readonly Tasklet[];
}

/**
 * The absolute path of `module` (a path relative to `root`, as in function ids), refusing
 * absolute paths, paths that leave the root and missing files. Caller: resume(), tests.
 */
export function resolveModule(root: string, module: string): string {
  if (module === '' || isAbsolute(module) || /^[a-zA-Z]:/.test(module))
    throw new PickleError(`resume: module path ${JSON.stringify(module)} is not relative to the project root: refusing to import it`);
  const abs = resolve(root, module);
  const rel = relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new PickleError(`resume: module path ${JSON.stringify(module)} leaves the project root ${root}: refusing to import it`);
  if (!existsSync(abs))
    throw new PickleError(
      `resume: module ${module} is not in the project root ${root}: run from the root the pickle was made in (or pass --root)`,
    );
  return abs;
}

/**
 * Import the pickle's modules, unpickle it, insert its paused tasklets and run until nothing
 * can run. Rejects with the first error a tasklet does not catch (as a script's main would).
 * Caller: resume-cli.ts (the process must load modules through stackless/register, with
 * STACKLESS_PROJECT_ROOT = root, so that function ids match).
 */
export async function resume(bytes: Uint8Array, options: ResumeOptions = {}): Promise<ResumeOutcome> {
  const root = resolve(options.root ?? process.cwd());
  const key = options.key === undefined ? undefined : { key: options.key };
  const modules = new Set<string>(options.imports ?? []);
  for (const id of pickleFunctionIds(bytes, key)) {
    const { module, fn } = splitFnId(id);
    if (module === '(unknown module)') throw new PickleError(`resume: function id ${JSON.stringify(fn)} names no module`);
    modules.add(module);
  }
  const paths = [...modules].map((m) => resolveModule(root, m)); // all checked before any import
  for (const p of paths) await import(pathToFileURL(p).href);
  const { tasklets } = unpickleWithTasklets(bytes, key);
  const inserted = tasklets.filter((t) => t.paused);
  const idle = new Channel<never>();
  await runMainAsync(function* () {
    for (const t of inserted) t.insert();
    for (;;) {
      yield* run(); // everything runnable, until nothing is (uncaught errors arrive here)
      if (pendingExternalWaits() === 0) return; // nothing left that could wake a tasklet
      try {
        // Some tasklets wait for I/O: wait with them on a channel nobody sends to. The
        // scheduler returns to the event loop; when the last of them ends, DeadlockError
        // arrives here and main looks again.
        yield* idle.receive();
      } catch (e) {
        if (!(e instanceof DeadlockError)) throw e;
      }
    }
  });
  return { tasklets, inserted, stuck: tasklets.filter((t) => t.alive) };
}
