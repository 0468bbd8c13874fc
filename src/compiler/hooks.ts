import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from './compile.js';
import { shouldCompile } from './selection.js';

/**
 * ESM loader hooks (Node 20 `module.register`): compile project modules on load. Runs in
 * Node's loader thread. Caller: register.ts via module.register().
 */

interface HookData {
  projectRoot: string;
  preempt: boolean;
}
let data: HookData = { projectRoot: process.cwd(), preempt: false };
/** The stackless package's own code (src/ or dist/) is never compiled. */
const ownCode = resolvePath(dirname(fileURLToPath(import.meta.url)), '..');

export function initialize(d: HookData | undefined): void {
  if (d) data = d;
}

type Next<C, R> = (specifier: string, context: C) => Promise<R>;
interface ResolveContext { parentURL?: string; conditions: string[] }
interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadContext { format?: string | null; conditions: string[] }
interface LoadResult { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }

export async function resolve(specifier: string, context: ResolveContext, next: Next<ResolveContext, ResolveResult>): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (e) {
    // TypeScript-style imports: './x.js' naming './x.ts'.
    if (context.parentURL?.startsWith('file:') && /^\.{1,2}\//.test(specifier) && /\.(m|c)?js$/.test(specifier)) {
      const ts = specifier.replace(/\.(m|c)?js$/, (m) => m.replace('js', 'ts'));
      const url = new URL(ts, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw e;
  }
}

export async function load(url: string, context: LoadContext, next: Next<LoadContext, LoadResult>): Promise<LoadResult> {
  if (!url.startsWith('file:')) return next(url, context);
  const path = fileURLToPath(url);
  if (!shouldCompile(path, ownCode) || /\.c(j|t)s$/.test(path)) return next(url, context); // CommonJS: not seen by ESM hooks anyway
  if (/\.js$/.test(path)) {
    // plain JavaScript: compile only ES modules
    const r = await next(url, context);
    if (r.format !== 'module') return r;
  }
  const source = readFileSync(path, 'utf8');
  const out = compile(source, { filename: path, projectRoot: data.projectRoot, preempt: data.preempt, sourceMaps: 'inline' });
  return { format: 'module', source: out.code, shortCircuit: true };
}

