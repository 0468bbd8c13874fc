#!/usr/bin/env node
// `npm run bench [-- options]`: the runtime suite (bench/run.ts: floor, async baseline and
// peers -> docs/benchmarks.md) and then the HTTP suite (bench/http/run.ts: the Syncless
// benchmark against node:http, node:net and fastify -> docs/benchmarks-http.md).
//   --quick            short runs of both
//   --no-http          only the runtime suite;  --http-only  only the HTTP suite
//   other options go to bench/run.ts (see bench/README.md).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noHttp = args.includes('--no-http');
const httpOnly = args.includes('--http-only');
const coreArgs = args.filter((a) => a !== '--no-http' && a !== '--http-only');
const node = (script, extra) => {
  console.log(`\n=== ${script} ${extra.join(' ')}`);
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...extra], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${script} failed with status ${r.status}`);
    process.exit(r.status ?? 1);
  }
};
if (!httpOnly) node('bench/run.ts', coreArgs);
if (!noHttp) node('bench/http/run.ts', quick ? ['--quick'] : []);
