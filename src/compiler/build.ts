import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { compile } from './compile.js';
import { shouldCompile } from './selection.js';

export interface BuildOptions {
  /** A file or directory to compile. */
  src: string;
  out: string;
  projectRoot?: string;
  preempt?: boolean;
}

/**
 * Ahead-of-time build (`stackless build <src> --out <dir>`): the same transform as the load
 * hook, written to `out` as JavaScript with inline source maps (`.ts` → `.js`, `.mts` →
 * `.mjs`). Other files are copied. Returns the files written.
 */
export function build(opts: BuildOptions): string[] {
  const src = resolve(opts.src);
  const out = resolve(opts.out);
  const root = resolve(opts.projectRoot ?? process.cwd());
  const written: string[] = [];
  const one = (file: string, base: string): void => {
    const rel = relative(base, file);
    if (shouldCompile(file, '\0')) {
      const target = join(out, rel.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'));
      const r = compile(readFileSync(file, 'utf8'), { filename: file, projectRoot: root, preempt: opts.preempt ?? false, sourceMaps: 'inline' });
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, r.code);
      written.push(target);
    } else if (!/\.d\.(m|c)?ts$/.test(file)) {
      const target = join(out, rel);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      written.push(target);
    }
  };
  const walk = (dir: string, base: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, base);
      else one(p, base);
    }
  };
  if (statSync(src).isDirectory()) walk(src, src);
  else one(src, dirname(src));
  return written;
}
