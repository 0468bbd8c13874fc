/**
 * Writes docs/benchmarks.md (tables of absolute figures, ratios against the floor measured
 * in the same run, the targets, machine info) and docs/benchmarks-memory.svg.
 * Caller: run.ts, once all measurements are done.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { lineChartSvg, type Series } from './chart.js';
import { cpuPerOp, medianOf, wallPerOp, type Outcome } from './outcome.js';
import { DEPTHS, HUGE_N, parkedCapNote, PARKED_NS, PICKLE_DEPTH, type Options } from './plan.js';
import type { ChildResult, Params } from './spec.js';
import { PEER_IDS, type SystemId, type SystemInfo, type WorkloadName } from './workloads.js';

export interface ReportInput {
  outcomes: readonly Outcome[];
  systems: ReadonlyMap<SystemId, SystemInfo>;
  opts: Options;
  started: Date;
  elapsedS: number;
  command: string;
  outDir: string;
  /** How the children were started (esbuild bundle or tsx). */
  childMode: string;
}

const SPEED_ROWS: { w: WorkloadName; label: string; size: (p: Params) => string }[] = [
  { w: 'pingpong', label: 'ping-pong, ns/message', size: (p) => `${n(p.n!)} round trips` },
  { w: 'ring', label: 'ring, ns/hop', size: (p) => `${n(p.size!)} tasks x ${p.laps} laps` },
  { w: 'spawn', label: 'spawn, ns/task', size: (p) => `${p.rounds} rounds x ${n(p.perRound!)}` },
  { w: 'spawn-bounded', label: 'spawn, 100 alive, ns/task', size: (p) => `${n(p.rounds!)} rounds x ${p.perRound}` },
  { w: 'schedule', label: 'schedule(), ns/switch', size: (p) => `${p.tasks} tasks x ${n(p.each!)} yields` },
];

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** 3 significant digits, thousands separators above 1,000. */
function sig(x: number): string {
  if (x >= 1000) return n(Math.round(x));
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

function rx(r: number | null): string {
  return r === null ? '—' : `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

export function writeReport(inp: ReportInput): string[] {
  const { outcomes, systems, opts } = inp;
  const ids = [...systems.keys()];
  const find = (w: WorkloadName, s: SystemId, pred: (p: Params) => boolean = () => true): Outcome | undefined =>
    outcomes.find((o) => o.m.spec.workload === w && o.m.spec.system === s && pred(o.m.spec.params));
  const lines: string[] = [];
  const out = (s = ''): void => {
    lines.push(s);
  };
  /** The cell for a missing figure: n/a with the reason, the failure, or "not run". */
  const missing = (o: Outcome | undefined): string => {
    if (o === undefined) return 'not run';
    if (o.na !== null) return `n/a (${o.na})`;
    if (o.errors.length > 0) return /overflow/.test(o.errors[0]!) ? 'stack overflow' : `failed: ${o.errors[0]}`;
    return '—';
  };
  const speed = (o: Outcome | undefined): string => {
    const w = wallPerOp(o);
    const c = cpuPerOp(o);
    return w === null || c === null ? missing(o) : `${sig(w)} / ${sig(c)}`;
  };

  // ---- memory figures ----
  const bytesPer = (s: SystemId, N: number, field: 'heapUsed' | 'maxRss'): number | null => {
    const base = medianOf(find('parked', s, (p) => p.n === 0), (r) => r[field]);
    const at = medianOf(find('parked', s, (p) => p.n === N), (r) => r[field]);
    return base === null || at === null ? null : (at - base) / N;
  };
  const memNs = [...PARKED_NS, ...(opts.huge ? [HUGE_N] : [])];

  // ---- targets ----
  const cpuRatio = (w: WorkloadName): number | null => ratio(cpuPerOp(find(w, 'stackless')), cpuPerOp(find(w, 'floor')));
  const wallRatio = (w: WorkloadName): number | null => ratio(wallPerOp(find(w, 'stackless')), wallPerOp(find(w, 'floor')));
  const peers = PEER_IDS.filter((p) => systems.has(p));
  const fastestPeer = peers
    .map((p) => ({ p, v: cpuPerOp(find('pingpong', p)) }))
    .filter((x): x is { p: SystemId; v: number } => x.v !== null)
    .sort((a, b) => a.v - b.v)[0];
  const memCompareN = [...PARKED_NS].reverse().find((N) => bytesPer('stackless', N, 'heapUsed') !== null && peers.some((p) => bytesPer(p, N, 'heapUsed') !== null));
  const leanestPeer =
    memCompareN === undefined
      ? undefined
      : peers
          .map((p) => ({ p, v: bytesPer(p, memCompareN, 'heapUsed') }))
          .filter((x): x is { p: SystemId; v: number } => x.v !== null)
          .sort((a, b) => a.v - b.v)[0];
  const label = (s: SystemId): string => systems.get(s)?.label ?? s;

  type Verdict = { target: string; measured: string; ok: boolean | null; by: string };
  const verdicts: Verdict[] = [];
  const vs = (target: string, measured: number | null, limit: number, kind: 'max' | 'min', show: (x: number) => string, extra = ''): void => {
    if (measured === null) {
      verdicts.push({ target, measured: 'not measured', ok: null, by: '' });
      return;
    }
    const ok = kind === 'max' ? measured <= limit : measured >= limit;
    const off = kind === 'max' ? measured / limit : limit / measured;
    verdicts.push({
      target,
      measured: show(measured) + extra,
      ok,
      by: ok ? '' : kind === 'max' ? `${((off - 1) * 100).toFixed(0)}% over the limit` : `${off.toFixed(1)}x short`,
    });
  };
  vs('ping-pong <= 1.15x floor', cpuRatio('pingpong'), 1.15, 'max', rx, ` (wall ${rx(wallRatio('pingpong'))})`);
  vs('ring <= 1.2x floor', cpuRatio('ring'), 1.2, 'max', rx, ` (wall ${rx(wallRatio('ring'))})`);
  vs('spawn <= 1.5x floor', cpuRatio('spawn'), 1.5, 'max', rx, ` (wall ${rx(wallRatio('spawn'))}; 100-alive variant ${rx(cpuRatio('spawn-bounded'))})`);
  vs('parked memory at 10^6 <= 300 B/tasklet (heap)', bytesPer('stackless', 1_000_000, 'heapUsed'), 300, 'max', (x) => `${sig(x)} B`,
    (() => {
      const r = bytesPer('stackless', 1_000_000, 'maxRss');
      return r === null ? '' : ` (peak RSS ${sig(r)} B)`;
    })());
  {
    const o = find('parked', 'stackless', (p) => p.n === HUGE_N);
    const done = o !== undefined && o.results.length > 0;
    verdicts.push({
      target: '10^7 parked tasklets complete',
      measured: o === undefined ? 'not run (opt-in: npm run bench -- --huge)' : done ? `completed, ${sig(bytesPer('stackless', HUGE_N, 'heapUsed') ?? NaN)} B/tasklet heap` : `failed: ${o.errors[0] ?? '?'}`,
      ok: o === undefined ? null : done,
      by: '',
    });
  }
  vs(
    `ping-pong >= 20x faster than the fastest JS peer (${fastestPeer === undefined ? '?' : label(fastestPeer.p)})`,
    fastestPeer === undefined ? null : ratio(fastestPeer.v, cpuPerOp(find('pingpong', 'stackless'))),
    20,
    'min',
    rx,
  );
  vs(
    `memory per parked task <= 1/3 of the leanest JS peer (${leanestPeer === undefined ? '?' : label(leanestPeer.p)}, at N=${memCompareN === undefined ? '?' : n(memCompareN)})`,
    leanestPeer === undefined || memCompareN === undefined ? null : ratio(bytesPer('stackless', memCompareN, 'heapUsed'), leanestPeer.v),
    1 / 3,
    'max',
    (x) => `${x.toFixed(2)} of it`,
  );
  vs(
    'call() resume at depth 10,000 within 2x of depth 1',
    ratio(cpuPerOp(find('deep-call', 'stackless', (p) => p.depth === 10_000)), cpuPerOp(find('deep-call', 'stackless', (p) => p.depth === 1))),
    2,
    'max',
    rx,
  );

  // ---- compiled tier and pickling (issue #4) ----
  const C: SystemId = 'stackless-compiled';
  const compiledOverNative = (w: WorkloadName): number | null => ratio(cpuPerOp(find(w, C)), cpuPerOp(find(w, 'stackless')));
  vs('compiled-frame resume <= 1.5x a native generator resume (schedule(), CPU)', compiledOverNative('schedule'), 1.5, 'max', rx,
    ` (ping-pong ${rx(compiledOverNative('pingpong'))}, ring ${rx(compiledOverNative('ring'))})`);
  vs('parked compiled tasklet <= 1.3x the memory of a native one (heap, N = 10^6)',
    ratio(bytesPer(C, 1_000_000, 'heapUsed'), bytesPer('stackless', 1_000_000, 'heapUsed')), 1.3, 'max', rx,
    ` (${sig(bytesPer(C, 1_000_000, 'heapUsed') ?? NaN)} B vs ${sig(bytesPer('stackless', 1_000_000, 'heapUsed') ?? NaN)} B)`);
  const pk = find('pickle', C);
  const perOpUs = (f: (r: ChildResult) => number | undefined): number | null => {
    const x = medianOf(pk, (r) => { const v = f(r); return v === undefined ? undefined : v / r.ops / 1000; });
    return x;
  };
  vs('pickle a small paused tasklet < 20 µs (CPU)', perOpUs((r) => r.cpuNs), 20, 'max', (x) => `${x.toFixed(2)} µs`, ` (wall ${(perOpUs((r) => r.wallNs) ?? NaN).toFixed(2)} µs)`);
  vs('unpickle it < 20 µs (CPU)', perOpUs((r) => r.unpickleCpuNs), 20, 'max', (x) => `${x.toFixed(2)} µs`, ` (wall ${(perOpUs((r) => r.unpickleWallNs) ?? NaN).toFixed(2)} µs)`);
  vs('its pickle <= 270 bytes (Stackless 3.7: 540)', medianOf(pk, (r) => r.bytes), 270, 'max', (x) => `${n(x)} B`);
  {
    const o = find('pickle-deep', C, (p) => p.depth === PICKLE_DEPTH);
    const done = o !== undefined && o.results.length > 0;
    verdicts.push({
      target: 'a 10^6-frame tasklet pickles and resumes',
      measured: o === undefined ? 'not run (--quick uses 10^5)' : done ? `yes: ${sig(medianOf(o, (r) => r.bytes)! / 1e6)} MB, pickle ${sig(medianOf(o, (r) => r.wallNs)! / 1e9)} s, unpickle ${sig(medianOf(o, (r) => r.unpickleWallNs)! / 1e9)} s` : `failed: ${o.errors[0] ?? '?'}`,
      ok: o === undefined ? null : done,
      by: '',
    });
  }

  // ---- document ----
  const cpu = cpus();
  out('# Benchmarks');
  out();
  out(`Generated by \`${inp.command}\` (bench/run.ts) on ${inp.started.toISOString()}; took ${n(Math.round(inp.elapsedS))} s.`);
  out();
  out(`* Machine: ${cpu[0]?.model ?? '?'} x ${cpu.length} logical CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}; load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' / ')}.`);
  out(`* Node ${process.version} (V8 ${process.versions.v8}).`);
  out(`* Each figure is the median of ${opts.runs} runs${opts.quick ? ' (**--quick**: smaller N)' : ''}; every run is a separate \`node\` process (\`bench/child.ts\`); memory runs with \`--expose-gc\`. Parked runs at 10^6 use at most 3 runs, at 10^7 at most 2.`);
  out(`* Children: ${inp.childMode}. The timed region starts after module loading and after a warm-up at a tenth of the size.`);
  out('* **Noise:** this machine is shared (2 cores, several concurrent jobs), so absolute times are noisy. Ratios are measured in the same run; targets use CPU time (process.cpuUsage: all threads of the child, so the parallel GC threads of V8 count too), with wall time beside it.');
  out();
  out('## Targets (our runtime, ratios from this run)');
  out();
  out('| target | measured | verdict |');
  out('| --- | --- | --- |');
  for (const v of verdicts) out(`| ${v.target} | ${v.measured} | ${v.ok === null ? 'not measured' : v.ok ? 'met' : `**missed** (${v.by})`} |`);
  out();
  out('## Speed: ns per operation (wall / CPU), median');
  out();
  out(`| workload | ${ids.map(label).join(' | ')} |`);
  out(`| --- | ${ids.map(() => '---:').join(' | ')} |`);
  for (const row of SPEED_ROWS) out(`| ${row.label} | ${ids.map((s) => speed(find(row.w, s))).join(' | ')} |`);
  out();
  out('Sizes (peers that need microseconds per operation run fewer iterations of the same workload; figures are per operation):');
  out();
  for (const row of SPEED_ROWS) {
    const sizes = ids.map((s) => {
      const o = find(row.w, s);
      return o === undefined || o.na !== null ? null : `${label(s)} ${row.size(o.m.spec.params)}`;
    });
    out(`* ${row.label.replace(/, [^,]*$/, '')}: ${sizes.filter((x) => x !== null).join('; ')}.`);
  }
  out();
  out('## Ratios against the floor (CPU time; wall time in parentheses)');
  out();
  out(`| workload | ${ids.map(label).join(' | ')} |`);
  out(`| --- | ${ids.map(() => '---:').join(' | ')} |`);
  for (const row of SPEED_ROWS) {
    const fc = cpuPerOp(find(row.w, 'floor'));
    const fw = wallPerOp(find(row.w, 'floor'));
    out(`| ${row.label.replace(/, [^,]*$/, '')} | ${ids
      .map((s) => {
        const o = find(row.w, s);
        const c = cpuPerOp(o);
        return c === null ? missing(o) : `${rx(ratio(c, fc))} (${rx(ratio(wallPerOp(o), fw))})`;
      })
      .join(' | ')} |`);
  }
  out();
  if (systems.has('async') && systems.has('stackless')) {
    out('Against the baseline a Node user would write (async/await + promise channel): async CPU time / ours, so > 1 means we are faster.');
    out();
    out('| workload | stackless vs async/await (CPU) | (wall) |');
    out('| --- | ---: | ---: |');
    for (const row of SPEED_ROWS)
      out(`| ${row.label.replace(/, [^,]*$/, '')} | ${rx(ratio(cpuPerOp(find(row.w, 'async')), cpuPerOp(find(row.w, 'stackless'))))} | ${rx(ratio(wallPerOp(find(row.w, 'async')), wallPerOp(find(row.w, 'stackless'))))} |`);
    out();
  }
  out('## Parked memory: bytes per task (heap after GC / peak RSS)');
  out();
  out('N tasks parked on one channel (js-csp: 1,000 per channel); figures minus a baseline process of the same system with N = 0.');
  out();
  out(`| system | ${memNs.map((N) => `N = ${n(N)}`).join(' | ')} |`);
  out(`| --- | ${memNs.map(() => '---:').join(' | ')} |`);
  for (const s of ids) {
    out(`| ${label(s)} | ${memNs
      .map((N) => {
        const o = find('parked', s, (p) => p.n === N);
        const h = bytesPer(s, N, 'heapUsed');
        const r = bytesPer(s, N, 'maxRss');
        if (h === null || r === null) return o === undefined && N < HUGE_N && parkedCapNote(s) !== null && N > 100_000 ? `n/a (${parkedCapNote(s)})` : missing(o);
        return `${n(Math.round(h))} / ${n(Math.round(r))}`;
      })
      .join(' | ')} |`);
  }
  out();
  out('![bytes per parked task](benchmarks-memory.svg)');
  out();
  out('## Deep call: ns per resume round at the bottom of a depth-D stack (wall / CPU)');
  out();
  out('A task recurses to depth D, then does `schedule()`-style yields against a shallow partner; one round = one resume of the deep task + one of the partner. Timed from the bottom of the stack, after a gc(). `call()` = the runtime frame stack; nested = plain `yield*` (or the system\'s own nesting: nested `await`, nested `Effect.gen`).');
  out();
  out(`| system, mode | ${DEPTHS.map((d) => `D = ${n(d)}`).join(' | ')} | D = 10,000 / D = 1 (CPU) |`);
  out(`| --- | ${DEPTHS.map(() => '---:').join(' | ')} | ---: |`);
  for (const mode of ['deep-call', 'deep-yield'] as const) {
    for (const s of ids) {
      const cells = DEPTHS.map((d) => speed(find(mode, s, (p) => p.depth === d)));
      if (cells.every((c) => c.startsWith('n/a'))) {
        if (mode === 'deep-call') continue;
      }
      const r = ratio(cpuPerOp(find(mode, s, (p) => p.depth === 10_000)), cpuPerOp(find(mode, s, (p) => p.depth === 1)));
      out(`| ${label(s)}, ${mode === 'deep-call' ? 'call()' : 'nested'} | ${cells.join(' | ')} | ${rx(r)} |`);
    }
  }
  out();
  out('## Pickling a running tasklet (compiled tier)');
  out();
  out('`pickle`: a small counter tasklet paused mid-loop (one compiled frame, a few locals), pickled N times, then its bytes unpickled N times; one copy is run to the end and must finish as an unbroken run would. `pickle-deep`: a tasklet blocked on a channel under D compiled frames (+ its root frame), pickled once together with the channel, unpickled once, then resumed through all D frames. Only the compiled tier can do this: native generator frames are not restorable, and no peer can serialize a suspended task.');
  out();
  out('| workload | size | bytes | pickle (wall / CPU) | unpickle (wall / CPU) |');
  out('| --- | --- | ---: | ---: | ---: |');
  for (const o of outcomes.filter((x) => x.m.spec.system === C && (x.m.spec.workload === 'pickle' || x.m.spec.workload === 'pickle-deep'))) {
    const deep = o.m.spec.workload === 'pickle-deep';
    const unit = deep ? 1e6 : 1e3;
    const u = deep ? 'ms' : 'µs';
    const t = (f: (r: ChildResult) => number | undefined): string => {
      const x = medianOf(o, (r) => { const v = f(r); return v === undefined ? undefined : v / r.ops / unit; });
      return x === null ? missing(o) : `${sig(x)} ${u}`;
    };
    const size = deep ? `${n(o.m.spec.params.depth!)} frames` : `${n(o.m.spec.params.n!)} times`;
    const b = medianOf(o, (r) => r.bytes);
    out(`| ${o.m.spec.workload} | ${size} | ${b === null ? missing(o) : n(b)} | ${t((r) => r.wallNs)} / ${t((r) => r.cpuNs)} | ${t((r) => r.unpickleWallNs)} / ${t((r) => r.unpickleCpuNs)} |`);
  }
  out();
  out('## Deepest recursion that completes');
  out();
  out('`call()`: one attempt at the limit. Nested: exponential search from 500, then bisection to 1% (default node stack).');
  out();
  out('| system | call() | nested yield* |');
  out('| --- | ---: | ---: |');
  for (const s of ids) {
    const cell = (w: WorkloadName): string => {
      const o = find(w, s);
      const d = medianOf(o, (r) => r.depth);
      if (d === null) return missing(o);
      if (d < 0) return 'failed';
      const reached = o!.results.some((r) => r.limitReached === true);
      const t = medianOf(o, (r) => r.wallNs);
      return `${reached ? '>= ' : ''}${n(d)}${w === 'max-depth-call' && t !== null ? ` (${(t / 1e9).toFixed(2)} s)` : ''}`;
    };
    out(`| ${label(s)} | ${cell('max-depth-call')} | ${cell('max-depth-yield')} |`);
  }
  out();
  out('## Systems');
  out();
  for (const s of ids) out(`* **${label(s)}**: ${systems.get(s)!.note}.`);
  const caps = ids.map((s) => [s, parkedCapNote(s)] as const).filter(([, c]) => c !== null);
  if (caps.length > 0) out(`* Parked memory: ${caps.map(([s, c]) => `${label(s)} ${c}`).join('; ')}.`);
  const failures = outcomes.filter((o) => o.errors.length > 0);
  if (failures.length > 0) {
    out();
    out('## Failed runs');
    out();
    for (const o of failures) out(`* ${o.m.spec.workload} ${label(o.m.spec.system)} ${JSON.stringify(o.m.spec.params)}: ${o.errors.length} of ${o.m.runs} failed: ${o.errors[0]}`);
  }
  out();
  out('Reproduce: `' + inp.command + '` (see bench/README.md).');

  const md = join(inp.outDir, 'benchmarks.md');
  writeFileSync(md, lines.join('\n') + '\n');
  const series: Series[] = ids.map((s) => ({
    label: label(s),
    points: memNs.map((N) => ({ x: N, y: bytesPer(s, N, 'heapUsed') ?? NaN })).filter((p) => Number.isFinite(p.y)),
  }));
  const svg = join(inp.outDir, 'benchmarks-memory.svg');
  writeFileSync(svg, lineChartSvg('Bytes per parked task (heap after GC)', 'parked tasks (log scale)', 'bytes per task (log scale)', series));
  return [md, svg];
}
