/**
 * `npm start`: a short tour of the core. Runs each example in its own process and prints
 * what it shows.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const stops: Array<[string, string, string[]]> = [
  ['chicken-egg.ts', 'Two tasklets take turns over one rendezvous channel', []],
  ['yes-no.ts', 'A list passes through channels between main and two tasklets', []],
  ['preference.ts', 'Channel preference decides who runs after a hand-off', []],
  ['kill.ts', 'kill() runs finally blocks and takes blocked tasklets off their channel', []],
  ['channel-exceptions.ts', 'Errors travel through channels and propagate to main', []],
  ['atomic.ts', 'atomic() sections nest and restore the flag', []],
  ['deadlock.ts', 'Deadlocks are detected with Stackless messages', []],
  ['many-tasklets.ts', '2,000 / 20,000 / 100,000 tasklets each switching 120+ times', []],
];

for (const [file, title, args] of stops) {
  console.log(`\n=== ${title}  (examples/${file})`);
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, file), ...args], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`examples/${file} failed with status ${r.status}`);
    process.exit(1);
  }
}
console.log('\nMore: README.md, docs/, and the other examples/ files.');
