import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

function runExample(file: string, args: string[] = []): string[] {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', `examples/${file}`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `examples/${file} exited with ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

describe('core examples', () => {
  it('chicken-egg alternates strictly', () => {
    assert.deepEqual(runExample('chicken-egg.ts'), [
      'egg got: egg',
      'chicken got: chicken',
      'egg got: egg',
      'chicken got: chicken',
      'egg got: egg',
      'chicken got: chicken',
      'done, balance 0',
    ]);
  });
  it('yes-no passes the list through two channels in order', () => {
    assert.deepEqual(runExample('yes-no.ts'), [
      'printer: YES',
      'printer: NO',
      'printer: YES',
      'printer: YES',
      'printer: NO',
      'printer: end of list',
      'main: sent 5 answers',
    ]);
  });
  it('preference gives the verified orders', () => {
    assert.deepEqual(runExample('preference.ts'), [
      'preference -1: P, X, main',
      'preference  0: main, X, P',
      'preference +1: main, X, P',
      'scheduleAll  : X, P, main',
    ]);
  });
  it('kill runs finally and leaves the channel', () => {
    assert.deepEqual(runExample('kill.ts'), [
      'worker: did job 1',
      'main: worker is blocked, balance -1',
      'worker: cleaning up',
      'main: worker alive=false, balance 0, neverStarted alive=false',
    ]);
  });
  it('channel exceptions reach the receiver and uncaught ones reach main', () => {
    assert.deepEqual(runExample('channel-exceptions.ts'), [
      'main: parsed 42',
      'main: ParseError: not a number: "forty-two"',
      'main: caught propagated RangeError: crashed in a tasklet (crasher alive=false)',
    ]);
  });
  it('atomic nests and restores', () => {
    assert.deepEqual(runExample('atomic.ts'), [
      'before: atomic=false',
      'inside: atomic=true',
      'nested: atomic=true',
      'after nested: atomic=true',
      'after: atomic=false',
    ]);
  });
  it('deadlock messages', () => {
    assert.deepEqual(runExample('deadlock.ts'), [
      '1: Deadlock: the last runnable tasklet cannot be blocked. (balance still 0)',
      '2: a tasklet runs and ends without sending',
      '3: the main tasklet is receiving without a sender available. (balance 0)',
    ]);
  });
  it('many tasklets all finish (small counts)', () => {
    const lines = runExample('many-tasklets.ts', ['200', '2000']);
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^200 tasklets \(200 alive at once\): 200 finished in \d+ ms, peak RSS \d+ MiB$/);
    assert.match(lines[1]!, /^2,000 tasklets \(2000 alive at once\): 2000 finished in \d+ ms, peak RSS \d+ MiB$/);
  });
});
