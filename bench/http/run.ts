/**
 * The Syncless HTTP benchmark (research/coroutine-io.md §c.3), reproduced against our
 * tasklet servers and node:http, node:net and fastify baselines, each in its own child
 * process, all in one run so ratios are taken side by side.
 *
 *   node --conditions=source --import tsx bench/http/run.ts [--quick] [--only=a,b]
 *
 * Prints progress and writes docs/benchmarks-http.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer, type Running } from './server-process.js';
import { ensureWrk, openIdleConnections, runSequential, runWrk, type WrkLength, type WrkResult } from './clients.js';

interface ServerSpec {
  name: string;
  file: string;
  kind: 'raw' | 'http';
  note: string;
}

const SERVERS: ServerSpec[] = [
  { name: 'node:net', file: 'node-net.ts', kind: 'raw', note: 'baseline, callbacks' },
  { name: 'stackless tcp', file: 'stackless-tcp.ts', kind: 'raw', note: 'stackless/io sockets: accept, readline, write, close' },
  { name: 'stackless tcp (adapter)', file: 'stackless-tcp-adapter.ts', kind: 'raw', note: "the http layer's node:net adapter" },
  { name: 'node:http', file: 'node-http.ts', kind: 'http', note: 'baseline' },
  { name: 'fastify', file: 'fastify.ts', kind: 'http', note: 'baseline' },
  { name: 'stackless http', file: 'stackless-http.ts', kind: 'http', note: 'stackless/http, tasklet per connection' },
  { name: 'stackless http (io Socket)', file: 'stackless-http-io.ts', kind: 'http', note: "stackless/http with transport 'io'" },
  { name: 'stackless on llhttp', file: 'stackless-llhttp.ts', kind: 'http', note: 'A/B prototype: node:http parser, tasklet per connection' },
];

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg === undefined ? null : onlyArg.slice(7).split(',');
const P = {
  /** Requests per parallel / keep-alive run (the issue: 100,000); wrk stops after them. */
  requests: quick ? 20_000 : 100_000,
  /** Upper bound of one counted run, so that a server that stalls cannot hang the benchmark. */
  capSecs: 120,
  sweep: quick ? [1, 100, 1000, 10000] : [1, 10, 100, 1000, 10000],
  sweepSecs: quick ? 1 : 2,
  reps: quick ? 1 : 3,
  sequential: 10_000,
  idle: 10_000,
};

const log = (s: string) => console.log(`[bench/http ${new Date().toISOString().slice(11, 19)}] ${s}`);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Row {
  spec: ServerSpec;
  parallel?: WrkResult;
  keepAlive?: WrkResult;
  sweep: { conns: number; r: WrkResult }[];
  sequential?: { reqPerSec: number; final: number };
  idleBytes?: { rss: number; heap: number; extra: unknown };
  error?: string;
}

/** The run with the median req/s (its latencies are reported with it). */
function median(rs: WrkResult[]): WrkResult {
  const sorted = [...rs].sort((a, b) => a.reqPerSec - b.reqPerSec);
  const m = sorted[Math.floor(sorted.length / 2)]!;
  const cpus = rs.map((r) => r.cpuUsPerReq ?? 0).sort((a, b) => a - b);
  const p99s = rs.map((r) => r.p99ms).sort((a, b) => a - b);
  return {
    ...m,
    medianP99ms: p99s[Math.floor(p99s.length / 2)]!,
    cpuUsPerReq: cpus[Math.floor(cpus.length / 2)]!,
    bestReqPerSec: sorted[sorted.length - 1]!.reqPerSec,
    minCpuUsPerReq: cpus[0]!, requestCounts: rs.map((r) => r.requests), errors: rs.reduce((n, r) => n + r.errors, 0), errorDetail: rs.map((r) => r.errorDetail).filter((d) => d !== '0').join('; ') || '0' };
}

/**
 * Run `scenario` on every server, `reps` times, rotating the order each repetition so
 * that load from the rest of the machine spreads over all servers; keep the median run.
 */
async function interleaved(
  rows: Row[],
  servers: Map<Row, Running>,
  reps: number,
  label: string,
  scenario: (row: Row, srv: Running) => Promise<WrkResult>,
  store: (row: Row, r: WrkResult) => void,
): Promise<void> {
  const results = new Map<Row, WrkResult[]>();
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[(i + rep) % rows.length]!;
      const srv = servers.get(row);
      if (srv === undefined || row.error !== undefined) continue;
      try {
        const r = await scenario(row, srv);
        log(`${label} [${rep + 1}/${reps}] ${row.spec.name}: ${fmt(r)}`);
        results.set(row, [...(results.get(row) ?? []), r]);
      } catch (e) {
        row.error = String((e as Error).stack ?? e);
        log(`${row.spec.name}: FAILED: ${row.error}`);
      }
    }
  }
  for (const [row, rs] of results) store(row, median(rs));
}

/** A wrk run with the server's CPU time per request (µs) measured around it. */
async function measured(srv: Running, url: string, conns: number, length: WrkLength, close: boolean): Promise<WrkResult> {
  const c0 = await srv.cpu();
  const r = await runWrk(url, conns, length, close);
  const c1 = await srv.cpu();
  r.cpuUsPerReq = r.requests > 0 ? (c1 - c0) / r.requests : 0;
  return r;
}

async function benchAll(specs: ServerSpec[], wrk: boolean): Promise<Row[]> {
  const rows: Row[] = specs.map((spec) => ({ spec, sweep: [] }));
  const servers = new Map<Row, Running>();
  for (const row of rows) {
    try {
      servers.set(row, await startServer(row.spec.file, row.spec.name));
    } catch (e) {
      row.error = String((e as Error).stack ?? e);
      log(`${row.spec.name}: FAILED to start: ${row.error}`);
    }
  }
  const url = (srv: Running, path: string) => `http://127.0.0.1:${srv.port}${path}`;
  const http = rows.filter((r) => r.spec.kind === 'http');
  try {
    if (wrk) {
      for (const [row, srv] of servers) await runWrk(url(srv, '/'), 10, 1, row.spec.kind === 'raw'); // warm-up (JIT)
      const counted: WrkLength = { requests: P.requests, capSeconds: P.capSecs };
      await interleaved(rows, servers, P.reps, `parallel c=100 close n=${P.requests}`, (_row, srv) => measured(srv, url(srv, '/'), 100, counted, true), (row, r) => (row.parallel = r));
      await interleaved(http, servers, P.reps, `keep-alive c=100 n=${P.requests}`, (_row, srv) => measured(srv, url(srv, '/'), 100, counted, false), (row, r) => (row.keepAlive = r));
      for (const c of P.sweep) {
        const secs = c >= 5000 ? P.sweepSecs + 6 : P.sweepSecs;
        await interleaved(http, servers, 1, `sweep keep-alive c=${c} ${secs}s`, (_row, srv) => measured(srv, url(srv, '/'), c, { seconds: secs }, false), (row, r) => row.sweep.push({ conns: c, r }));
      }
    }
    for (const row of rows) {
      const srv = servers.get(row);
      if (srv === undefined || row.error !== undefined) continue;
      try {
        log(`${row.spec.name}: sequential, ${P.sequential} requests following the LCG links`);
        row.sequential = await runSequential(srv.port, P.sequential, row.spec.kind === 'http');
        log(`  ${row.sequential.reqPerSec.toFixed(0)} req/s, final value ${row.sequential.final} (expected 2845218640) OK`);
        if (row.spec.kind === 'http') {
          const before = await srv.mem();
          const close = await openIdleConnections(srv.port, P.idle);
          const after = await srv.mem();
          row.idleBytes = {
            rss: (after.rss - before.rss) / P.idle,
            heap: (after.heapUsed + after.external - before.heapUsed - before.external) / P.idle,
            extra: after.extra,
          };
          log(`${row.spec.name}: ${P.idle} idle keep-alive connections: ${row.idleBytes.rss.toFixed(0)} B RSS, ${row.idleBytes.heap.toFixed(0)} B JS heap+external per connection ${JSON.stringify(after.extra)}`);
          await close();
        }
      } catch (e) {
        row.error = String((e as Error).stack ?? e);
        log(`${row.spec.name}: FAILED: ${row.error}`);
      }
    }
  } finally {
    for (const srv of servers.values()) await srv.stop();
  }
  return rows;
}

function fmt(r: WrkResult): string {
  return `${r.requests} requests in ${r.seconds.toFixed(2)} s: ${r.reqPerSec.toFixed(0)} req/s, ${(r.cpuUsPerReq ?? 0).toFixed(1)} µs CPU/req, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms, max ${r.maxms.toFixed(1)} ms, errors ${r.errorDetail}`;
}

function cell(r: WrkResult | undefined): string {
  return r === undefined
    ? '– | – | – | –'
    : `${r.reqPerSec.toFixed(0)} (${(r.bestReqPerSec ?? r.reqPerSec).toFixed(0)}) | ${(r.cpuUsPerReq ?? 0).toFixed(1)} (${(r.minCpuUsPerReq ?? r.cpuUsPerReq ?? 0).toFixed(1)}) | ${r.p50ms.toFixed(2)} / ${r.p99ms.toFixed(2)} / ${r.maxms.toFixed(1)} | ${r.errorDetail}`;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}x`;
}

function report(rows: Row[], wrk: boolean): string {
  const by = (n: string) => rows.find((r) => r.spec.name === n);
  const L: string[] = [];
  L.push('# HTTP benchmark (Syncless workload)', '');
  L.push(
    `Generated by \`node --conditions=source --import tsx bench/http/run.ts${quick ? ' --quick' : ''}\` on ${new Date().toISOString()}`,
    `(${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; the machine is shared, so absolute figures are noisy:`,
    'compare the ratios, which are taken side by side in one run). Each server runs in its own child process;',
    'the load generator is wrk (1 thread) for the parallel, keep-alive and sweep runs, and a Node client for',
    'the sequential and idle-connection runs. Latencies are wrk\'s (request written → response read; connect',
    'time excluded). See docs/http.md for the method.',
    '',
  );
  if (!wrk) L.push('**wrk was not available: the parallel, keep-alive and sweep runs were skipped.**', '');
  L.push('## Parallel (100 concurrent, new connection per request) and keep-alive (100 connections)', '');
  const counts = rows.flatMap((r) => [...(r.parallel?.requestCounts ?? []), ...(r.keepAlive?.requestCounts ?? [])]);
  const countText = counts.length === 0 ? '' : ` (requests counted by wrk in each run: ${Math.min(...counts).toLocaleString('en')} to ${Math.max(...counts).toLocaleString('en')})`;
  L.push(
    `${P.requests.toLocaleString('en')} requests per run${countText}: wrk's thread stops itself after its ${P.requests.toLocaleString('en')}th response,`,
    `path \`/\`; each server ${P.reps} time(s), interleaved`,
    '(the order rotates each repetition); the run with the median req/s is shown, errors are summed over all runs.',
    '',
  );
  L.push('req/s: median (best); CPU µs/req: median (lowest). Latencies and errors as above.', '');
  L.push('| server | variant | parallel req/s | CPU µs/req | p50 / p99 / max ms | errors | keep-alive req/s | CPU µs/req | p50 / p99 / max ms | errors |');
  L.push('| --- | --- | ---: | ---: | --- | --- | ---: | ---: | --- | --- |');
  for (const r of rows) {
    if (r.error !== undefined && r.parallel === undefined) {
      L.push(`| ${r.spec.name} | ${r.spec.kind} | failed: ${r.error.split('\n')[0]} | | | | | | | |`);
      continue;
    }
    L.push(`| ${r.spec.name} | ${r.spec.kind} | ${cell(r.parallel)} | ${cell(r.keepAlive)} |`);
  }
  L.push('', '## Targets', '');
  const sh = by('stackless http');
  const nh = by('node:http');
  const st = by('stackless tcp');
  const nn = by('node:net');
  const sa = by('stackless tcp (adapter)');
  const inv = (a: number | undefined, b: number | undefined) => ratio(b, a);
  L.push(
    'req/s ratios are measured under whatever else the machine runs (on a shared machine a run can lose 3x to a',
    'neighbour), so four estimates are given: median and best req/s over the interleaved runs, and the CPU-time',
    'ratio (server CPU per request, baseline ÷ ours: the req/s ratio a saturated server reaches on an idle',
    'machine), median and lowest. The best-of-runs and lowest-CPU figures are the least disturbed by other load.',
    '',
  );
  L.push('| target | req/s ratio (median) | req/s ratio (best of runs) | CPU-time ratio (median) | CPU-time ratio (lowest) |', '| --- | --- | --- | --- | --- |');
  const line = (label: string, a: WrkResult | undefined, b: WrkResult | undefined) =>
    L.push(
      `| ${label} | ${ratio(a?.reqPerSec, b?.reqPerSec)} | ${ratio(a?.bestReqPerSec, b?.bestReqPerSec)} | ${inv(a?.cpuUsPerReq, b?.cpuUsPerReq)} | ${inv(a?.minCpuUsPerReq, b?.minCpuUsPerReq)} |`,
    );
  line('stackless http ≥ 0.9x node:http req/s, keep-alive', sh?.keepAlive, nh?.keepAlive);
  line('stackless http ≥ 0.9x node:http req/s, new connection per request', sh?.parallel, nh?.parallel);
  line('stackless tcp (io sockets) ≥ 1.0x node:net req/s', st?.parallel, nn?.parallel);
  line('stackless tcp (http adapter) ≥ 1.0x node:net req/s', sa?.parallel, nn?.parallel);
  const p99 = (a: WrkResult | undefined, b: WrkResult | undefined) =>
    `${ratio(a?.p99ms, b?.p99ms)} (runs with the median req/s); ${ratio(a?.medianP99ms, b?.medianP99ms)} (median p99 of each server's ${P.reps} runs)`;
  L.push(`| stackless http p99 ≤ 1.5x node:http p99, keep-alive | ${p99(sh?.keepAlive, nh?.keepAlive)} | | | |`);
  L.push(`| stackless http p99 ≤ 1.5x node:http p99, new connection per request | ${p99(sh?.parallel, nh?.parallel)} | | | |`);
  L.push(`| no errors | ${rows.every((r) => r.error === undefined && [r.parallel, r.keepAlive, ...r.sweep.map((s) => s.r)].every((w) => w === undefined || w.errors === 0)) ? 'yes' : 'NO (see tables)'} | | | |`);
  L.push('', '## Concurrency sweep (keep-alive, HTTP servers)', '');
  L.push(`${P.sweepSecs} s per point (+6 s at 10,000 connections, which take seconds to connect); req/s, server CPU µs per request, p99 ms.`, '');
  const httpRows = rows.filter((r) => r.spec.kind === 'http');
  L.push(`| connections | ${httpRows.map((r) => r.spec.name).join(' | ')} |`);
  L.push(`| ---: | ${httpRows.map(() => '---').join(' | ')} |`);
  for (const c of P.sweep) {
    L.push(
      `| ${c} | ${httpRows
        .map((r) => {
          const p = r.sweep.find((s) => s.conns === c)?.r;
          return p === undefined ? '–' : `${p.reqPerSec.toFixed(0)} req/s, ${(p.cpuUsPerReq ?? 0).toFixed(1)} µs, p99 ${p.p99ms.toFixed(1)} ms${p.errors ? `, errors ${p.errorDetail}` : ''}`;
        })
        .join(' | ')} |`,
    );
  }
  L.push('', '## Sequential (10,000 requests, one at a time, new connection each, following the LCG links)', '');
  L.push('The final link must be 2845218640 (10,000 LCG steps from 0); every run below checked it.', '');
  L.push('| server | req/s | final value |', '| --- | ---: | ---: |');
  for (const r of rows) L.push(`| ${r.spec.name} | ${r.sequential ? r.sequential.reqPerSec.toFixed(0) : '–'} | ${r.sequential?.final ?? '–'} |`);
  L.push('', `## Memory per idle keep-alive connection (${P.idle.toLocaleString('en')} connections)`, '');
  L.push('Server process, after two forced GCs, minus the same figure before the connections were opened.', '');
  L.push('| server | RSS bytes / connection | JS heap + external bytes / connection | server counters |', '| --- | ---: | ---: | --- |');
  for (const r of httpRows)
    L.push(`| ${r.spec.name} | ${r.idleBytes ? r.idleBytes.rss.toFixed(0) : '–'} | ${r.idleBytes ? r.idleBytes.heap.toFixed(0) : '–'} | ${r.idleBytes ? JSON.stringify(r.idleBytes.extra) : ''} |`);
  const failed = rows.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    L.push('', '## Failures', '');
    for (const r of failed) L.push(`- ${r.spec.name}: \`${r.error!.split('\n')[0]}\``);
  }
  L.push('');
  return L.join('\n');
}

async function main(): Promise<void> {
  const wrk = ensureWrk(log);
  const specs = SERVERS.filter((s) => (only === null || only.includes(s.file.replace(/\.ts$/, ''))) && existsSync(here(`./servers/${s.file}`)));
  for (const s of SERVERS) if (!specs.includes(s) && only === null) log(`skipping ${s.name}: bench/http/servers/${s.file} is missing`);
  const rows = await benchAll(specs, wrk);
  const out = fileURLToPath(new URL('../../docs/benchmarks-http.md', import.meta.url));
  if (only === null) {
    writeFileSync(out, report(rows, wrk));
    log(`wrote ${out}`);
  } else {
    console.log(report(rows, wrk));
  }
  const bad = rows.filter((r) => r.error !== undefined);
  if (bad.length > 0) process.exitCode = 1;
}

await main();
