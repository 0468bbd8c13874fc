/**
 * Child process for the compiled cross-process test (run with --import stackless/register):
 *   compiled-child.ts whole              run the workload to the end, print its trace
 *   compiled-child.ts start DIR K...     for each K: run K steps, pickle tasklet + log to DIR/K.pickle
 *   compiled-child.ts finish DIR K...    for each K: unpickle DIR/K.pickle, finish, print "K:" + trace
 *   compiled-child.ts refusals           print the PickleError messages of compiled tasklets that hold
 *                                        a Promise, or are suspended in a native generator frame
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';
import { callsNative, holdsPromise, workload } from '../fixtures/workload.js';

const NAMES = ['ab', 'boom', 'cde', 'f'];
const [mode, dir, ...ks] = process.argv.slice(2);
if (mode === 'whole') {
  const log: string[] = [];
  new Tasklet(workload).setup(NAMES, log);
  run();
  console.log(log.join('\n'));
} else if (mode === 'start') {
  for (const k of ks) {
    const log: string[] = [];
    const t = new Tasklet(workload).setup(NAMES, log);
    for (let i = 0; i < Number(k); i++) t.run();
    t.remove();
    if (!t.restorable) throw new Error(`workload tasklet is not restorable at step ${k}`);
    writeFileSync(join(dir!, `${k}.pickle`), pickle({ t, log }));
    t.kill();
  }
} else if (mode === 'finish') {
  for (const k of ks) {
    const { t, log } = unpickle(readFileSync(join(dir!, `${k}.pickle`))) as { t: Tasklet; log: string[] };
    t.insert();
    run();
    console.log(`${k}:\n${log.join('\n')}`);
  }
} else if (mode === 'refusals') {
  for (const fn of [holdsPromise, callsNative]) {
    const t = new Tasklet(fn).setup();
    t.run();
    t.remove();
    try {
      pickle(t);
      console.log(`${fn.name}: pickled (unexpected)`);
    } catch (e) {
      console.log(`${fn.name}: restorable ${t.restorable}: ${(e as Error).name}: ${(e as Error).message}`);
    }
    t.kill();
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
