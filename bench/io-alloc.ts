/**
 * Bytes allocated per request by a raw-TCP benchmark server (bench/http/servers/<name>.ts),
 * including objects already collected: V8's sampling heap profiler with
 * includeObjectsCollectedByMinorGC/MajorGC, started after a warm-up, during a wrk run (100
 * concurrent, a new connection per request). Prints the total and the top allocation sites
 * (the allocating function and its three callers). Allocation drives GC time, which a
 * connection-per-request server pays on every request.
 *
 *   node --conditions=source --import tsx bench/io-alloc.ts [server=stackless-tcp] [top=25]
 *
 * The same file is loaded into the server child with --import (IO_ALLOC_CHILD set), where
 * it runs the profiler on request over IPC.
 */
import { fork, spawnSync } from 'node:child_process';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

if (process.env.IO_ALLOC_CHILD !== undefined) {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<{ profile?: { head: ProfileNode } }> =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as object))));
  process.on('message', async (m: { cmd?: string }) => {
    if (m.cmd === 'alloc-start') {
      await post('HeapProfiler.enable');
      await post('HeapProfiler.startSampling', {
        samplingInterval: 512,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      process.send!({ cmd: 'alloc-started' });
    } else if (m.cmd === 'alloc-stop') {
      const r = await post('HeapProfiler.stopSampling');
      process.send!({ cmd: 'alloc-profile', head: r.profile!.head });
    }
  });
} else {
  const name = process.argv[2] ?? 'stackless-tcp';
  const top = Number(process.argv[3] ?? 25);
  const child = fork(fileURLToPath(new URL(`./http/servers/${name}.ts`, import.meta.url)), [], {
    execArgv: ['--conditions=source', '--import', 'tsx', '--import', fileURLToPath(import.meta.url)],
    env: { ...process.env, IO_ALLOC_CHILD: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const reply = <T>(cmd: string): Promise<T> =>
    new Promise((resolve) =>
      child.on('message', function on(m: { cmd: string }) {
        if (m.cmd !== cmd) return;
        child.off('message', on);
        resolve(m as T);
      }),
    );
  const { port } = await reply<{ port: number }>('ready');
  const wrk = (secs: number): string =>
    spawnSync('wrk', ['-t1', '-c100', `-d${secs}s`, '-H', 'Connection: close', `http://127.0.0.1:${port}/`], { encoding: 'utf8' }).stdout;
  wrk(1); // warm-up: let the JIT settle first
  child.send({ cmd: 'alloc-start' });
  await reply('alloc-started');
  const requests = Number(/(\d+) requests in/.exec(wrk(2))?.[1] ?? NaN);
  child.send({ cmd: 'alloc-stop' });
  const { head } = await reply<{ head: ProfileNode }>('alloc-profile');
  child.kill('SIGTERM');

  const sites = new Map<string, number>();
  let total = 0;
  const walk = (n: ProfileNode, stack: string[]): void => {
    const f = n.callFrame;
    const here = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    const st = [...stack, here];
    if (n.selfSize > 0) {
      total += n.selfSize;
      const k = st.slice(-4).reverse().join(' < ');
      sites.set(k, (sites.get(k) ?? 0) + n.selfSize);
    }
    for (const c of n.children) walk(c, st);
  };
  walk(head, []);
  console.log(`${name}: ${requests} requests, ${(total / requests).toFixed(0)} bytes allocated per request`);
  for (const [k, v] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(v / requests).toFixed(0).padStart(7)}  ${k}`);
}
