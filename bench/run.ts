/**
 * `npm run bench [-- --quick] [--huge] [--runs=N] [--only=pingpong,ring,...] [--systems=floor,stackless,...]`
 *
 * Measures our runtime and the comparison systems on the same workloads, each measurement
 * in its own `node` child (bench/child.ts), `runs` times, and writes the report
 * (docs/benchmarks.md + docs/benchmarks-memory.svg; with --quick: bench/.results/quick/).
 * Raw results go to bench/.results/<date>.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_INFO } from './systems/info.js';
import type { Outcome } from './outcome.js';
import { buildPlan, type Measurement, type Options } from './plan.js';
import { writeReport } from './report.js';
import type { ChildResult } from './spec.js';
import { SYSTEM_IDS, type SystemId, type SystemInfo, type WorkloadName } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

type RunOptions = Options & { outDir: string | null; tsx: boolean; report: string | null; at: string | null };

function parseArgs(argv: readonly string[]): RunOptions {
  const o: RunOptions = { quick: false, huge: false, runs: 5, only: null, systems: SYSTEM_IDS, outDir: null, tsx: false, report: null, at: null };
  let runsGiven = false;
  for (const a of argv) {
    const [k, v] = a.split('=', 2) as [string, string | undefined];
    if (k === '--quick') o.quick = true;
    else if (k === '--huge') o.huge = true;
    else if (k === '--runs' && v !== undefined && Number(v) >= 1) {
      o.runs = Math.floor(Number(v));
      runsGiven = true;
    } else if (k === '--only' && v !== undefined) o.only = v.split(',') as WorkloadName[];
    else if (k === '--systems' && v !== undefined) {
      const bad = v.split(',').filter((s) => !(SYSTEM_IDS as readonly string[]).includes(s));
      if (bad.length > 0) throw new Error(`unknown system(s) ${bad.join(', ')}; known: ${SYSTEM_IDS.join(', ')}`);
      o.systems = v.split(',') as SystemId[];
    } else if (k === '--out' && v !== undefined) o.outDir = v;
    else if (k === '--tsx') o.tsx = true;
    else if (k === '--report' && v !== undefined) o.report = v;
    else if (k === '--at' && v !== undefined) o.at = v;
    else throw new Error(`unknown option ${a}. Options: --quick --huge --runs=N --only=w1,w2 --systems=s1,s2 --out=DIR --tsx --report=RAW.json --at=GIT_REV`);
  }
  if (o.quick && !runsGiven) o.runs = 2;
  return o;
}

interface ChildRun {
  result: ChildResult | null;
  error: string | null;
}

/**
 * How children start: `node <bundle>/child.js` (bench + src compiled once by esbuild, the same
 * transform tsx applies, peers left in node_modules), or with --tsx `node --import tsx
 * bench/child.ts`. Both compile before the timed region; the bundle starts ~4x faster.
 */
let childEntry: string[] = ['--conditions=source', '--import', 'tsx', join(here, 'child.ts')];

/**
 * Caller: main(), once. Compiles child.ts and everything it imports except the peers.
 * `srcDir` replaces the `stackless` package (src/ of another tree, for --at): `'stackless'`,
 * `'stackless/compiler'`, `'stackless/compiler/runtime'`, `'stackless/pickle'` resolve into it, and the compiled system is
 * compiled by its compiler. `systems/stackless-compiled.ts` is replaced by
 * `systems/stackless.ts` run through the tasklet compiler, so the compiled column measures
 * the very source of the native one.
 */
async function buildChildren(outdir: string, srcDir: string | null): Promise<void> {
  const esbuild = await import('esbuild');
  const compilerDir = srcDir ?? join(root, 'src');
  const { compile } = (await import(join(compilerDir, 'compiler', 'compile.ts'))) as typeof import('../src/compiler/compile.js');
  const stacklessSource = join(here, 'systems', 'stackless.ts');
  const plugin: import('esbuild').Plugin = {
    name: 'stackless-bench',
    setup(b) {
      if (srcDir !== null)
        b.onResolve({ filter: /^stackless(\/(compiler|compiler\/runtime|pickle))?$/ }, (a) => {
          const sub = a.path.slice('stackless/'.length);
          return { path: sub === 'compiler/runtime' ? join(srcDir, 'compiler', 'runtime.ts') : join(srcDir, sub, 'index.ts') };
        });
      b.onLoad({ filter: /[\\/]systems[\\/]stackless-compiled\.ts$/ }, () => {
        const { code } = compile(readFileSync(stacklessSource, 'utf8'), { filename: stacklessSource, projectRoot: root, sourceMaps: false });
        // The compiled module exports the same `system`; relabel it as the compiled column.
        const contents = `${code}\nimport { SYSTEM_INFO as $info } from './info.js';\nObject.assign(system, $info['stackless-compiled']);\n`;
        return { contents, loader: 'js', resolveDir: dirname(stacklessSource) };
      });
    },
  };
  await esbuild.build({
    entryPoints: [join(here, 'child.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    conditions: ['source'],
    // Compiled code imports stackless/compiler/runtime, which has no Babel; keep Babel (CommonJS)
    // external anyway in case a system imports the compiler itself.
    external: ['effect', 'effection', 'js-csp', 'co', '@babel/*'],
    plugins: [plugin],
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  childEntry = [join(outdir, 'child.js')];
}

/** Caller: main(). Runs one child process and parses its RESULT line. */
function runChild(m: Measurement): Promise<ChildRun> {
  return new Promise((resolve) => {
    const entry = childEntry;
    const args = [...entry.slice(0, -1), ...m.nodeFlags, entry[entry.length - 1]!, JSON.stringify(m.spec)];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), m.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line !== undefined) return resolve({ result: JSON.parse(line.slice(7)) as ChildResult, error: null });
      const why =
        signal === 'SIGKILL'
          ? `timed out after ${m.timeoutMs / 1000} s`
          : /Maximum call stack size exceeded/.test(err)
            ? 'stack overflow (RangeError)'
            : /heap out of memory|Allocation failed/.test(err)
              ? 'out of memory'
              : (err.split('\n').find((l) => /Error|failed/.test(l)) ?? `exit ${code ?? signal}`).trim().slice(0, 200);
      resolve({ result: null, error: why });
    });
  });
}

function describe(r: ChildResult, m: Measurement): string {
  if (m.spec.workload === 'parked') return `heap ${(r.heapUsed! / 1e6).toFixed(1)} MB, peak RSS ${(r.maxRss! / 1e6).toFixed(1)} MB`;
  if (m.spec.workload.startsWith('max-depth')) return `depth ${r.depth!.toLocaleString('en-US')}${r.limitReached ? ' (limit)' : ''}`;
  return `${(r.wallNs / r.ops).toFixed(1)} ns/op wall, ${(r.cpuNs / r.ops).toFixed(1)} ns/op cpu`;
}

/**
 * Which src/ the children measure: the working tree (default), or with --at=REV the
 * committed tree at REV (extracted with git archive), so a run is not broken by someone's
 * half-finished edit. Caller: main().
 */
function runtimeSource(o: RunOptions, resultsDir: string): { srcDir: string | null; description: string } {
  const git = (...args: string[]): string => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  if (o.at === null) {
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src').length > 0;
    return { srcDir: null, description: `src/ of the working tree (HEAD ${head}${dirty ? ', with uncommitted changes' : ''})` };
  }
  const rev = git('rev-parse', '--short', o.at);
  const dir = join(resultsDir, `tree-${rev}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = spawnSync('sh', ['-c', `git archive ${rev} src package.json | tar -x -C '${dir}'`], { cwd: root, encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`git archive ${rev} failed: ${tar.stderr}`);
  return { srcDir: join(dir, 'src'), description: `src/ as committed at ${rev} (--at=${o.at})` };
}

/** The command line that reproduces a run with these options (for the report). */
function commandFor(o: Options): string {
  const a: string[] = [];
  if (o.quick) a.push('--quick');
  if (o.huge) a.push('--huge');
  if (o.runs !== (o.quick ? 2 : 5)) a.push(`--runs=${o.runs}`);
  if (o.only !== null) a.push(`--only=${o.only.join(',')}`);
  if (o.systems.length !== SYSTEM_IDS.length) a.push(`--systems=${o.systems.join(',')}`);
  if ((o as Partial<RunOptions>).at != null) a.push(`--at=${(o as RunOptions).at}`);
  return `npm run bench${a.length > 0 ? ` -- ${a.join(' ')}` : ''}`;
}

interface RawResults {
  started: string;
  opts: RunOptions;
  elapsedS: number;
  outcomes: Outcome[];
  childMode?: string;
}

/** --report=RAW.json: write the report again from a raw results file, measuring nothing. */
async function reportOnly(file: string, outDirOpt: string | null): Promise<void> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawResults;
  const systems = new Map<SystemId, SystemInfo>(raw.opts.systems.map((id) => [id, SYSTEM_INFO[id]]));
  const outDir = outDirOpt ?? (raw.opts.quick ? join(root, 'bench', '.results', 'quick') : join(root, 'docs'));
  mkdirSync(outDir, { recursive: true });
  const files = writeReport({
    outcomes: raw.outcomes,
    systems,
    opts: raw.opts,
    started: new Date(raw.started),
    elapsedS: raw.elapsedS,
    command: commandFor(raw.opts),
    outDir,
    childMode: raw.childMode ?? 'not recorded in this raw file',
  });
  process.stdout.write(`report ${files.map((f) => relative(root, f)).join(', ')} from ${relative(root, file)}\n`);
}

const TSX_MODE = '`node --conditions=source --import tsx bench/child.ts` (tsx compiles at import)';
const BUNDLE_MODE =
  '`node bench/.results/build/child.js`, bench + src compiled once by esbuild (the transform tsx uses, same tsconfig), peers loaded from node_modules';

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.report !== null) return reportOnly(opts.report, opts.outDir);
  const systems = new Map<SystemId, SystemInfo>(opts.systems.map((id) => [id, SYSTEM_INFO[id]]));
  const plan = buildPlan(opts);
  const resultsDir = join(root, 'bench', '.results');
  const runtime = runtimeSource(opts, resultsDir);
  if (opts.tsx && opts.at !== null) throw new Error('--at needs the bundled children (drop --tsx)');
  if (!opts.tsx) await buildChildren(join(resultsDir, 'build'), runtime.srcDir);
  const started = new Date();
  const t0 = Date.now();
  process.stdout.write(
    `stackless bench: ${plan.length} measurements x ${opts.runs} runs${opts.quick ? ' (quick)' : ''}, one node process per run (${opts.tsx ? 'tsx' : 'esbuild bundle'})\n`,
  );
  const outcomes: Outcome[] = [];
  for (const [i, m] of plan.entries()) {
    const sys = systems.get(m.spec.system)!;
    const tag = `[${i + 1}/${plan.length}] ${m.spec.workload} ${m.spec.system} ${JSON.stringify(m.spec.params)}`;
    const na = sys.unsupported[m.spec.workload] ?? null;
    const o: Outcome = { m, results: [], errors: [], na };
    outcomes.push(o);
    if (na !== null) {
      process.stdout.write(`${tag}: n/a (${na})\n`);
      continue;
    }
    for (let r = 0; r < m.runs; r++) {
      const cr = await runChild(m);
      if (cr.result !== null) o.results.push(cr.result);
      else o.errors.push(cr.error!);
      process.stdout.write(`${tag} run ${r + 1}/${m.runs}: ${cr.result !== null ? describe(cr.result, m) : `FAILED: ${cr.error}`}\n`);
      // A deterministic failure (overflow, OOM) will not go away on the next run.
      if (cr.result === null && r === 0 && /overflow|out of memory|timed out/.test(cr.error!)) break;
    }
  }
  const elapsedS = (Date.now() - t0) / 1000;
  mkdirSync(resultsDir, { recursive: true });
  const rawPath = join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const childMode = `${opts.tsx ? TSX_MODE : BUNDLE_MODE}; runtime: ${runtime.description}`;
  writeFileSync(rawPath, JSON.stringify({ started, opts, elapsedS, outcomes, childMode }, null, 1));
  const outDir = opts.outDir ?? (opts.quick ? join(resultsDir, 'quick') : join(root, 'docs'));
  mkdirSync(outDir, { recursive: true });
  const command = commandFor(opts);
  const files = writeReport({ outcomes, systems, opts, started, elapsedS, command, outDir, childMode });
  process.stdout.write(`done in ${elapsedS.toFixed(0)} s; raw results ${relative(root, rawPath)}; report ${files.map((f) => relative(root, f)).join(', ')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
