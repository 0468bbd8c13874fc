/**
 * A child process for the cross-process tests (run with node --conditions=source --import tsx):
 *   child.ts whole N            run counter to the end, print its trace
 *   child.ts start N K FILE     run K steps, pickle the paused tasklet (and its log) to FILE
 *   child.ts finish FILE        unpickle FILE, run to the end, print the whole trace
 * Uses the hand-written compiled frames (contract test doubles).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { run, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';
import { counter } from './compiled.js';

const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'whole') {
  const log: string[] = [];
  new Tasklet(counter).setup('step', Number(a), log);
  run();
  console.log(log.join('\n'));
} else if (mode === 'start') {
  const log: string[] = [];
  const t = new Tasklet(counter).setup('step', Number(a), log);
  for (let i = 0; i < Number(b); i++) t.run();
  t.remove();
  writeFileSync(c!, pickle({ t, log }, { key: 'cross-process' }));
} else if (mode === 'finish') {
  const { t, log } = unpickle(readFileSync(a!), { key: 'cross-process' }) as { t: Tasklet; log: string[] };
  t.insert();
  run();
  console.log(log.join('\n'));
} else {
  throw new Error(`unknown mode ${mode}`);
}
