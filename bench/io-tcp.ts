/**
 * The Syncless raw-TCP workload (issue #6: accept, read lines to the blank line, write a
 * fixed response, close; a new connection per request, 100 concurrent) on stackless/io
 * sockets against node:net and the http layer's thin node:net adapter, side by side. Each
 * server (bench/http/servers/*.ts) runs in its own child process; wrk drives them in
 * rotating order, `--reps` times, and the figure compared is the server's CPU time per
 * request (user + system, from /proc), which a shared machine disturbs far less than req/s.
 *
 *   node --conditions=source --import tsx bench/io-tcp.ts [--reps=5] [--secs=3] [--conns=100] [--only=node-net,stackless-tcp,/old/tree/bench/http/servers/stackless-tcp.ts]
 *
 * Prints one line per run and a summary: median and lowest CPU µs/request, and the ratio
 * node:net ÷ server (> 1: the server needs less CPU per request than node:net); also the
 * median user-mode part (the kernel part is mostly the same syscalls for every server, and
 * carries much of the noise from other processes on the machine).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWrk, runWrk } from './http/clients.js';

const arg = (name: string, dflt: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const REPS = Number(arg('reps', '5'));
const SECS = Number(arg('secs', '3'));
const CONNS = Number(arg('conns', '100'));
const SERVERS = arg('only', 'node-net,stackless-tcp,stackless-tcp-adapter').split(',');

interface Child {
  name: string;
  child: ChildProcess;
  port: number;
}

function start(name: string): Promise<Child> {
  // a bare name is a server in bench/http/servers; a path (with a '/') is used as given
  const file = name.includes('/') ? resolvePath(name) : fileURLToPath(new URL(`./http/servers/${name}.ts`, import.meta.url));
  const child = fork(file, [], {
    execArgv: ['--conditions=source', '--import', 'tsx', '--expose-gc', '--max-semi-space-size=16'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.on('message', function onReady(m: { cmd: string; port: number }) {
      if (m.cmd !== 'ready') return;
      child.off('message', onReady);
      child.removeAllListeners('exit');
      resolve({ name, child, port: m.port });
    });
  });
}

/** CPU time of a process (all threads) in µs, total and kernel-mode: /proc/<pid>/stat utime
 * and stime, in clock ticks of 10 ms (1% of a 1 s measurement). */
function cpuMicros(pid: number): { total: number; kernel: number } {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]) * 10_000;
  const kernel = Number(fields[12]) * 10_000;
  return { total: user + kernel, kernel };
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const med = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)]!;

if (!ensureWrk((s) => console.log(s))) process.exit(1);
const children: Child[] = [];
for (const s of SERVERS) children.push(await start(s));
const cpuPerReq = new Map<string, number[]>(SERVERS.map((s) => [s, []]));
const userPerReq = new Map<string, number[]>(SERVERS.map((s) => [s, []]));
try {
  for (const c of children) await runWrk(`http://127.0.0.1:${c.port}/`, CONNS, 1, true); // warm-up
  for (let rep = 0; rep < REPS; rep++) {
    for (let i = 0; i < children.length; i++) {
      const c = children[(i + rep) % children.length]!;
      const before = cpuMicros(c.child.pid!);
      const r = await runWrk(`http://127.0.0.1:${c.port}/`, CONNS, SECS, true);
      const after = cpuMicros(c.child.pid!);
      const us = (after.total - before.total) / r.requests;
      const sys = (after.kernel - before.kernel) / r.requests;
      cpuPerReq.get(c.name)!.push(us);
      userPerReq.get(c.name)!.push(us - sys);
      console.log(
        `rep ${rep + 1} ${c.name.padEnd(24)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s  ${us.toFixed(1).padStart(6)} µs CPU/req ` +
          `(user ${(us - sys).toFixed(1)}, kernel ${sys.toFixed(1)})  errors ${r.errors}`,
      );
    }
  }
} finally {
  for (const c of children) c.child.kill('SIGTERM');
}
const base = cpuPerReq.get('node-net');
const baseUser = userPerReq.get('node-net');
console.log('\nserver                    CPU µs/req median (lowest)   node:net ÷ server median (lowest)   user-mode µs/req median (÷)');
for (const [name, xs] of cpuPerReq) {
  const ratio = base === undefined ? '' : `${(med(base) / med(xs)).toFixed(2)}x (${(sorted(base)[0]! / sorted(xs)[0]!).toFixed(2)}x)`;
  const us = userPerReq.get(name)!;
  const user = `${med(us).toFixed(1)}` + (baseUser === undefined ? '' : ` (${(med(baseUser) / med(us)).toFixed(2)}x)`);
  console.log(`${name.padEnd(26)}${med(xs).toFixed(1).padStart(8)} (${sorted(xs)[0]!.toFixed(1)})`.padEnd(56) + ' ' + ratio.padEnd(36) + user);
}
