#!/usr/bin/env node
// stackless CLI.
//   stackless run <app.ts> [args...]        run with tasklet generators compiled on load
//   stackless build <src> --out <dir>       compile ahead of time (same transform)
// In a source checkout (no dist/), TypeScript sources of stackless itself are loaded through
// tsx with the "source" export condition; an installed package uses dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkgRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const fromDist = existsSync(join(pkgRoot, 'dist', 'compiler', 'register.js'));
const layer = (file) => join(pkgRoot, fromDist ? 'dist' : 'src', 'compiler', `${file}.${fromDist ? 'js' : 'ts'}`);
const devArgs = fromDist ? [] : ['--conditions=source', '--import', import.meta.resolve('tsx')];

const [cmd, ...rest] = process.argv.slice(2);
let args;
if (cmd === 'run' && rest.length > 0) {
  args = ['--enable-source-maps', ...devArgs, '--import', pathToFileURL(layer('register')).href, ...rest];
} else if (cmd === 'build') {
  args = [...devArgs, layer('cli'), 'build', ...rest];
} else {
  process.stderr.write('usage: stackless run <app.ts> [args...]\n       stackless build <src> --out <dir> [--root <dir>] [--preempt]\n');
  process.exit(2);
}
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
