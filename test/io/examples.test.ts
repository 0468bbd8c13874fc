import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

function runExample(file: string): string[] {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', `examples/${file}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `examples/${file} exited with ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

describe('io examples', () => {
  it('echo server: every client line comes back, then the process exits', () => {
    assert.deepEqual(runExample('io-echo-server.ts'), ['5 clients, 15 lines echoed correctly', 'echo server stopped']);
  });
  it('chat server: each client hears the others, not itself', () => {
    assert.deepEqual(runExample('io-chat-server.ts'), [
      'client 1 heard: <2> hello from 2 | <3> hello from 3',
      'client 2 heard: <1> hello from 1 | <3> hello from 3',
      'client 3 heard: <1> hello from 1 | <2> hello from 2',
    ]);
  });
  it('line-protocol client: the dialogue', () => {
    assert.deepEqual(runExample('io-line-client.ts'), [
      '> ADD 2 3',
      '< = 5',
      '> MUL 6 7',
      '< = 42',
      '> POW 2 8',
      '< ERR unknown command POW',
      '> QUIT',
      '< BYE',
    ]);
  });
  it('send and close: a payload written just before close() reaches slow clients in full', () => {
    assert.deepEqual(runExample('io-send-and-close.ts'), [
      'client 1 got all of 4194304 bytes',
      'client 2 got all of 4194304 bytes',
      'client 3 got all of 4194304 bytes',
    ]);
  });
  it('child processes: exec, line-by-line stdout, and a forgotten child killed when main() ends', () => {
    assert.deepEqual(runExample('io-processes.ts'), [
      'exec: exit code 3, stdout "hello from sh\\n"',
      'read: line 1',
      'read: line 2',
      'read: line 3',
      'counter exited with 0',
      'after main(): the forgotten sleep is exited, killed by SIGKILL',
    ]);
  });
  it('crawler: a Pool of 10 fetchers crawls all 60 pages, never more than 10 at once', () => {
    const [line] = runExample('io-crawler.ts');
    const m = /^crawled (\d+) pages with at most (\d+) concurrent fetchers \(pool size 10\)$/.exec(line!);
    assert.ok(m, line);
    assert.equal(Number(m[1]), 60);
    assert.ok(Number(m[2]) <= 10 && Number(m[2]) >= 2, line);
  });
});
