import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

function runExample(file: string, ...args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

describe('http examples', () => {
  it('examples/http-hello.ts serves GET and POST from tasklets and closes cleanly', () => {
    const r = runExample('examples/http-hello.ts');
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /GET {2}-> 200 Hello from a tasklet: GET \/hello\?x=1\n/);
    assert.match(r.out, /POST -> 200 Hello from a tasklet: POST \/echo with "ping"\n/);
    assert.match(r.out, /closed \{"connections":0,"idleConnections":0,"activeRequests":0,"tasklets":0,"requests":2\}/);
  });

  it('examples/http-upgrade.ts switches a connection to its own protocol after a 101', () => {
    const r = runExample('examples/http-upgrade.ts');
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /without upgrade -> 426 this server speaks shout/);
    assert.match(r.out, /upgrade -> 101 Switching Protocols, Upgrade: shout\nHELLO, TASKLET\nSWITCHING PROTOCOLS\n\(2 lines\)\n/);
    assert.match(r.out, /closed \{"connections":0,"idleConnections":0,"activeRequests":0,"tasklets":0,"requests":2\}/);
  });

  it('examples/http-lcg.ts follows the LCG links end to end', () => {
    let v = 0;
    for (let i = 0; i < 500; i++) v = (1664525 * v + 1013904223) % 4294967296;
    const r = runExample('examples/http-lcg.ts', '--count', '500');
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, new RegExp(`followed 500 links; final value ${v}\\n`));
  });
});
