/**
 * Profile one benchmark server under wrk load with --cpu-prof and print the functions with
 * the most self time.
 *
 *   node --conditions=source --import tsx bench/http/profile.ts <server> [close|keep-alive] [seconds]
 *
 * <server> is a file name in bench/http/servers without .ts (stackless-http, node-http,
 * stackless-tcp, ...). The .cpuprofile is left in bench/.results/profiles/ (git-ignored)
 * for Chrome DevTools.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name = 'stackless-http', mode = 'keep-alive', secs = '6'] = process.argv.slice(2);
const dir = fileURLToPath(new URL('../.results/profiles/', import.meta.url));
mkdirSync(dir, { recursive: true });
const started = Date.now();
const child = fork(fileURLToPath(new URL(`./servers/${name}.ts`, import.meta.url)), [], {
  execArgv: ['--conditions=source', '--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${dir}`],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const port = await new Promise<number>((resolve) =>
  child.on('message', (m: { cmd: string; port: number }) => {
    if (m.cmd === 'ready') resolve(m.port);
  }),
);
const args = ['-t1', '-c100', `-d${secs}s`];
if (mode === 'close') args.push('-H', 'Connection: close');
const w = spawnSync('wrk', [...args, `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
console.log(w.stdout.split('\n').filter((l) => /Requests\/sec|Latency/.test(l)).join('\n'));
await new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGINT');
});

const file = readdirSync(dir)
  .map((f) => join(dir, f))
  .filter((f) => f.endsWith('.cpuprofile') && statSync(f).mtimeMs >= started)
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
if (file === undefined) throw new Error('no profile written');
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const time = new Map<number, number>();
p.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const self = new Map<string, number>();
let total = 0;
for (const n of p.nodes) {
  const t = time.get(n.id) ?? 0;
  total += t;
  const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  self.set(k, (self.get(k) ?? 0) + t);
}
console.log(`profile: ${file}\nself time, top 25:`);
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
