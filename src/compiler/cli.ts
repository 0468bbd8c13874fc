import { build } from './build.js';
import { CompileError } from './compile-error.js';

/**
 * `stackless build <src> --out <dir> [--preempt] [--root <dir>]`. Started by bin/stackless.mjs
 * (which also implements `stackless run`).
 */
const USAGE = 'usage: stackless build <src> --out <dir> [--root <project root>] [--preempt]\n       stackless run <app.ts> [args...]';

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd !== 'build') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let src: string | undefined;
  let out: string | undefined;
  let root: string | undefined;
  let preempt = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--out') out = rest[++i];
    else if (a === '--root') root = rest[++i];
    else if (a === '--preempt') preempt = true;
    else if (src === undefined) src = a;
    else {
      process.stderr.write(`unexpected argument ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  if (src === undefined || out === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const files = build({ src, out, projectRoot: root, preempt });
    process.stdout.write(`stackless build: ${files.length} file(s) written to ${out}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CompileError) {
      process.stderr.write(`stackless build: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
