#!/usr/bin/env node
// stackless CLI.
//   stackless run <app.ts> [args...]        run with tasklet generators compiled on load
//   stackless build <src> --out <dir>       compile ahead of time (same transform)
//   stackless resume <state.pkl> [--root <dir>] [--key <file>] [--import <module>]...
//                                           finish the tasklets of a pickle file (docs/pickling.md)
// In a source checkout (no dist/), TypeScript sources of stackless itself are loaded through
// tsx with the "source" export condition; an installed package uses dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkgRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const fromDist = existsSync(join(pkgRoot, 'dist', 'compiler', 'register.js'));
const layer = (file, dir = 'compiler') => join(pkgRoot, fromDist ? 'dist' : 'src', dir, `${file}.${fromDist ? 'js' : 'ts'}`);
const devArgs = fromDist ? [] : ['--conditions=source', '--import', import.meta.resolve('tsx')];

const [cmd, ...rest] = process.argv.slice(2);
let args;
const env = { ...process.env };
if (cmd === 'resume' && rest.length > 0) {
  // Modules are compiled on import with function ids relative to the project root: the
  // compile hook reads the root from the environment, so set it before the child starts.
  const i = rest.indexOf('--root');
  if (i >= 0 && i + 1 < rest.length) env.STACKLESS_PROJECT_ROOT = resolve(rest[i + 1]);
  else env.STACKLESS_PROJECT_ROOT = resolve(env.STACKLESS_PROJECT_ROOT ?? process.cwd());
  args = ['--enable-source-maps', ...devArgs, '--import', pathToFileURL(layer('register')).href, layer('resume-cli', 'pickle'), ...rest];
} else if (cmd === 'run' && rest.length > 0) {
  args = ['--enable-source-maps', ...devArgs, '--import', pathToFileURL(layer('register')).href, ...rest];
} else if (cmd === 'build') {
  args = [...devArgs, layer('cli'), 'build', ...rest];
} else {
  process.stderr.write(
    'usage: stackless run <app.ts> [args...]\n       stackless build <src> --out <dir> [--root <dir>] [--preempt]\n' +
      '       stackless resume <state.pkl> [--root <dir>] [--key <file>] [--import <module>]...\n',
  );
  process.exit(2);
}
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env });
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
