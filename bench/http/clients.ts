/**
 * Load generators of the HTTP benchmark that wrk cannot play: the sequential link-following
 * client, and the idle keep-alive connection holder. Plus the wrk wrapper.
 */
import { spawnSync, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SEQUENTIAL_FINAL } from './workload.js';

export interface WrkResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
  errors: number;
  errorDetail: string;
  /** Server CPU time (user + system) per request in µs, when measured. */
  cpuUsPerReq?: number;
  /** Over repeated runs: the highest req/s and the lowest CPU per request. */
  bestReqPerSec?: number;
  minCpuUsPerReq?: number;
  /** Over repeated runs: the median of the runs' p99 latencies (ms). */
  medianP99ms?: number;
  /** Over repeated runs: the request count of each run. */
  requestCounts?: number[];
}

const LUA = fileURLToPath(new URL('./wrk-report.lua', import.meta.url));

/** True when wrk can be run; tries `apt-get install -y wrk` once when running as root. */
export function ensureWrk(log: (s: string) => void): boolean {
  if (spawnSync('wrk', ['--version']).error === undefined) return true;
  if (process.getuid?.() === 0) {
    log('wrk not found: installing it with apt-get (root) ...');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'ignore' });
    if (spawnSync('wrk', ['--version']).error === undefined) return true;
  }
  log('SKIPPING the wrk runs (parallel, keep-alive, sweep): wrk is not installed and cannot be installed here (apt-get install wrk as root)');
  return false;
}

/** How long a wrk run lasts: a fixed time, or a fixed number of requests (`capSeconds` bounds it). */
export type WrkLength = { seconds: number } | { requests: number; capSeconds: number };

/**
 * Run wrk (one thread) with `conns` connections for `length`; `close` sends Connection:
 * close (a new connection per request). With a request count, the Lua script stops the
 * thread after that many responses and prints WRKSTOP; we then interrupt wrk's main thread
 * (SIGINT ends its sleep) so it reports at once. A bare number is seconds.
 */
export function runWrk(url: string, conns: number, length: WrkLength | number, close: boolean): Promise<WrkResult> {
  if (typeof length === 'number') length = { seconds: length };
  const secs = 'seconds' in length ? length.seconds : length.capSeconds;
  const args = ['-t1', `-c${conns}`, `-d${secs}s`, '--timeout', '10s', '-s', LUA];
  if (close) args.push('-H', 'Connection: close');
  args.push(url);
  if ('requests' in length) args.push('--', String(length.requests));
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let interrupted = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!interrupted && out.includes('WRKSTOP\n')) {
        interrupted = true;
        p.kill('SIGINT');
      }
    });
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => {
      const line = out.split('\n').find((l) => l.startsWith('WRKJSON '));
      if (line === undefined) return reject(new Error(`wrk produced no report:\n${out}`));
      const j = JSON.parse(line.slice(8)) as Record<string, number>;
      const seconds = j.duration_us! / 1e6;
      const errors = j.connect! + j.read! + j.write! + j.status! + j.timeout!;
      resolve({
        requests: j.requests!,
        seconds,
        reqPerSec: j.requests! / seconds,
        p50ms: j.p50! / 1000,
        p99ms: j.p99! / 1000,
        maxms: j.max! / 1000,
        errors,
        errorDetail: errors === 0 ? '0' : `connect ${j.connect} read ${j.read} write ${j.write} status ${j.status} timeout ${j.timeout}`,
      });
    });
  });
}

/** One request on a new connection; resolves with the whole response text (read to EOF). */
function fetchOnce(port: number, path: string, http11: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    s.on('connect', () =>
      s.write(http11 ? `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n` : `GET ${path} HTTP/1.0\r\n\r\n`),
    );
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
    s.on('error', reject);
  });
}

/**
 * The Syncless sequential test: `n` requests one at a time, each on a new connection, each
 * following the link in the previous response, starting at /0. Throws unless the final
 * link is SEQUENTIAL_FINAL (for n = 10,000).
 */
export async function runSequential(port: number, n: number, http11: boolean): Promise<{ reqPerSec: number; final: number }> {
  let path = '/0';
  let last = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const text = await fetchOnce(port, path, http11);
    const m = /href="\/(\d+)"/.exec(text);
    if (m === null || !text.startsWith('HTTP/1.')) throw new Error(`sequential: bad response to ${path}: ${JSON.stringify(text.slice(0, 200))}`);
    last = Number(m[1]);
    path = `/${last}`;
  }
  const secs = (performance.now() - t0) / 1000;
  if (n === 10_000 && last !== SEQUENTIAL_FINAL) throw new Error(`sequential: final value ${last}, expected ${SEQUENTIAL_FINAL}`);
  return { reqPerSec: n / secs, final: last };
}

/**
 * Open `n` keep-alive connections, make one request on each, and keep them open and idle.
 * Returns a function that closes them all.
 */
export async function openIdleConnections(port: number, n: number): Promise<() => Promise<void>> {
  const socks: Socket[] = [];
  const batch = 500;
  for (let i = 0; i < n; i += batch) {
    const group: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      group.push(
        new Promise<void>((resolve, reject) => {
          const s = connect(port, '127.0.0.1');
          socks.push(s);
          let got = '';
          s.setEncoding('latin1');
          s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
          const onData = (d: string) => {
            got += d;
            if (got.includes('Hello, World!\n')) {
              s.off('data', onData);
              resolve();
            }
          };
          s.on('data', onData);
          s.on('error', reject);
        }),
      );
    }
    await Promise.all(group);
  }
  return async () => {
    await Promise.all(
      socks.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.destroyed) return resolve();
            s.once('close', () => resolve());
            s.destroy();
          }),
      ),
    );
  };
}
