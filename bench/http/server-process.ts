/**
 * A benchmark server in its own child process (bench/http/servers/<file>), with the probes
 * its harness answers: CPU time used so far, memory after two GCs. Used by run.ts, cpu-ab.ts
 * and gc-probe.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Running {
  child: ChildProcess;
  port: number;
  mem(): Promise<{ rss: number; heapUsed: number; external: number; arrayBuffers: number; extra: unknown }>;
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

export function startServer(file: string, name: string, options: { execArgv?: string[]; stdout?: 'ignore' | 'pipe' } = {}): Promise<Running> {
  const child = fork(fileURLToPath(new URL(`./servers/${file}`, import.meta.url)), [], {
    execArgv: ['--conditions=source', '--import', 'tsx', '--expose-gc', '--max-semi-space-size=16', ...(options.execArgv ?? [])],
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s`)), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.on('message', function onReady(m: { cmd: string; port: number }) {
      if (m.cmd !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onReady);
      child.removeAllListeners('exit');
      resolve({
        child,
        port: m.port,
        mem: () =>
          new Promise((res) => {
            child.on('message', function onMem(r: { cmd: string; usage: NodeJS.MemoryUsage; extra: unknown }) {
              if (r.cmd !== 'mem') return;
              child.off('message', onMem);
              res({ ...r.usage, extra: r.extra });
            });
            child.send({ cmd: 'mem' });
          }),
        cpu: () =>
          new Promise((res) => {
            child.on('message', function onCpu(r: { cmd: string; micros: number }) {
              if (r.cmd !== 'cpu') return;
              child.off('message', onCpu);
              res(r.micros);
            });
            child.send({ cmd: 'cpu' });
          }),
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null) return res();
            child.once('exit', () => res());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
