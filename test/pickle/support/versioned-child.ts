/**
 * Child process for the code-version test (run with --import stackless/register and
 * STACKLESS_PROJECT_ROOT=ROOT, so the module's function id is `versioned.ts#step`):
 *   versioned-child.ts start ROOT FILE [N] run N steps (default 1; 0: set up, not started, so the
 *                                         pickle names the function by FUNCTION_DATA) of ROOT/versioned.ts#step, pickle to FILE
 *   versioned-child.ts finish ROOT FILE   unpickle FILE against ROOT/versioned.ts and finish it
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';

const [mode, root, file, steps] = process.argv.slice(2);
const mod = (await import(pathToFileURL(join(root!, 'versioned.ts')).href)) as { step: (log: string[]) => Generator };
if (mode === 'start') {
  const log: string[] = [];
  const t = new Tasklet(mod.step).setup(log);
  for (let i = 0; i < Number(steps ?? 1); i++) t.run();
  t.remove();
  writeFileSync(file!, pickle({ t, log }));
} else {
  try {
    const { t, log } = unpickle(readFileSync(file!)) as { t: Tasklet; log: string[] };
    t.insert();
    run();
    console.log(log.join('\n'));
  } catch (e) {
    console.log(`${(e as Error).name}: ${(e as Error).message}`);
  }
}
