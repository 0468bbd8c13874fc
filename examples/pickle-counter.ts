/**
 * A counter tasklet pickled mid-loop to a file and finished by a fresh process, printing the
 * same output as an unbroken run. Needs compiled tasklets:
 *
 *   node --conditions=source --import tsx --import stackless/register examples/pickle-counter.ts
 *
 * Modes (the default runs them as child processes and compares):
 *   whole            run the counter start to end
 *   start FILE       run 3 steps, pickle the paused tasklet to FILE, exit
 *   finish FILE      unpickle FILE in this fresh process and run the counter to the end (the API)
 *
 * The other way to finish: `npx stackless resume FILE` (from the project root) imports this
 * module (so the mode code below only runs when this file is the program), unpickles FILE and
 * runs its tasklets to the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, schedule, Tasklet } from 'stackless';
import { pickle, unpickle } from 'stackless/pickle';

/** The tasklet: a loop with a few locals, printing as it goes. */
export function* counter(label: string, n: number) {
  let total = 0;
  for (let i = 1; i <= n; i++) {
    total += i;
    console.log(`${label} ${i}: running total ${total}`);
    yield* schedule();
  }
  console.log(`${label} done: ${total}`);
  return total;
}

// Run the modes only when this file is the program (not when `stackless resume` imports it).
const isProgram = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const [mode, file] = isProgram ? process.argv.slice(2) : ['imported'];
if (mode === 'imported') {
  // imported for its counter function
} else if (mode === 'whole') {
  new Tasklet(counter).setup('count', 6);
  run();
} else if (mode === 'start') {
  const t = new Tasklet(counter).setup('count', 6);
  for (let k = 0; k < 3; k++) t.run(); // three iterations, then it waits in schedule()
  t.remove();
  const bytes = pickle(t);
  writeFileSync(file!, bytes);
  console.error(`pickled ${t} (restorable: ${t.restorable}) to ${bytes.length} bytes`);
} else if (mode === 'finish') {
  const t = unpickle(readFileSync(file!)) as Tasklet;
  console.error(`unpickled: alive ${t.alive}, paused ${t.paused}`);
  t.insert();
  run();
} else {
  // The demo: an unbroken run, then the same counter split across two processes, finished
  // once with unpickle() and once with `stackless resume`.
  const self = fileURLToPath(import.meta.url);
  const cli = join(dirname(self), '..', 'bin', 'stackless.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'pickle-counter-'));
  const path = join(dir, 'counter.pickle');
  const child = (...args: string[]) => {
    const r = spawnSync(process.execPath, [...process.execArgv, self, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child ${args[0]} failed:\n${r.stderr}`);
    return r;
  };
  try {
    const whole = child('whole').stdout;
    const start = child('start', path);
    const finish = child('finish', path);
    const resumed = spawnSync(process.execPath, [cli, 'resume', path], { encoding: 'utf8' });
    if (resumed.status !== 0) throw new Error(`stackless resume failed:\n${resumed.stderr}`);
    console.log('--- unbroken run');
    process.stdout.write(whole);
    console.log('--- process 1 (pickles after 3 steps)');
    process.stdout.write(start.stdout + start.stderr);
    console.log('--- process 2 (unpickles and finishes)');
    process.stdout.write(finish.stderr + finish.stdout);
    console.log(`--- same output: ${start.stdout + finish.stdout === whole}`);
    console.log('--- process 3: npx stackless resume counter.pickle');
    process.stdout.write(resumed.stdout);
    console.log(`--- same output: ${start.stdout + resumed.stdout === whole}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
