import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resume } from './resume.js';
import { PickleError } from './pickle-error.js';

/**
 * `stackless resume <state.pkl> [--root <dir>] [--key <file>] [--import <module>]...`:
 * finish the tasklets of a pickle file in this process (see resume.ts for the convention).
 * Started by bin/stackless.mjs, which loads stackless/register and sets STACKLESS_PROJECT_ROOT
 * to the root, so the imported modules are compiled with the function ids the pickle names.
 * The key of a signed pickle comes from --key (a file; one trailing newline is ignored) or
 * the STACKLESS_PICKLE_KEY environment variable. Exit status: 0 when every tasklet finished,
 * 1 on an error or when some stay blocked, 2 on bad usage.
 */
const USAGE = 'usage: stackless resume <state.pkl> [--root <project root>] [--key <key file>] [--import <module>]...';

function fail(message: string, status: number): number {
  process.stderr.write(`stackless resume: ${message}\n`);
  return status;
}

async function main(argv: string[]): Promise<number> {
  let file: string | undefined;
  let root: string | undefined;
  let keyFile: string | undefined;
  const imports: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => (i + 1 < argv.length ? argv[++i] : undefined);
    if (a === '--root' || a === '--key' || a === '--import') {
      const v = value();
      if (v === undefined) return fail(`${a} needs a value\n${USAGE}`, 2);
      if (a === '--root') root = v;
      else if (a === '--key') keyFile = v;
      else imports.push(v);
    } else if (a.startsWith('--') || file !== undefined) return fail(`unexpected argument ${a}\n${USAGE}`, 2);
    else file = a;
  }
  if (file === undefined) return fail(USAGE, 2);
  root = resolve(root ?? process.env['STACKLESS_PROJECT_ROOT'] ?? process.cwd());
  let key: Uint8Array | string | undefined;
  try {
    if (keyFile !== undefined) {
      const k = readFileSync(keyFile);
      key = k.subarray(0, k.length - (k.at(-1) === 0x0a ? (k.at(-2) === 0x0d ? 2 : 1) : 0));
    } else if (process.env['STACKLESS_PICKLE_KEY']) key = process.env['STACKLESS_PICKLE_KEY']; // set and not empty
    const bytes = readFileSync(file);
    const out = await resume(bytes, { root, key, imports });
    if (out.stuck.length > 0)
      return fail(
        `${out.stuck.length} tasklet(s) could not finish: ${out.stuck.map((t) => `${t} ${t.blocked ? `is blocked ${t.waitReason}` : `is ${t.status}`}`).join('; ')}`,
        1,
      );
    return 0;
  } catch (e) {
    if (e instanceof PickleError || (e as NodeJS.ErrnoException)?.code === 'ENOENT') return fail((e as Error).message, 1);
    process.stderr.write(`stackless resume: a tasklet raised an error it did not catch:\n${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
