import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveModule } from '../../src/pickle/resume.js';
import { PickleError } from 'stackless/pickle';

const CHILD = 'test/pickle/support/resume-child.ts';
const CLI = resolve('bin/stackless.mjs');
const dir = mkdtempSync(join(tmpdir(), 'stackless-resume-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A compiled child process (the test program); its stdout. */
function child(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--import', 'stackless/register', CHILD, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `child ${args[0]} failed:\n${r.stderr}`);
  return r.stdout;
}

const { STACKLESS_PICKLE_KEY: _k, STACKLESS_PROJECT_ROOT: _r, ...baseEnv } = process.env;

/** `stackless resume ...` in a fresh process. */
function resumeCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'resume', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: opts.cwd,
    env: { ...baseEnv, ...opts.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('stackless resume (CLI, fresh processes)', () => {
  const whole = child('whole');

  it('finishes the tasklets of a pickle (a record holding an array of tasklets and their channel) with the output of an unbroken run, from any step', () => {
    assert.match(whole, /c total 15\nproducer done\n$/);
    for (const k of ['1', '2']) {
      const file = join(dir, `relay-${k}.pkl`);
      const start = child('start', file, k);
      const r = resumeCli([file]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(start + r.stdout, whole, `resumed after ${k} rounds`);
      assert.match(r.stdout, /c got 3, sum 6\n/, 'the consumer waits for I/O (sleep) after the resume');
    }
  });

  it('tasklets set up but not started pickle by the compiled function id (FUNCTION_DATA, no registerFunction) and run from the start', () => {
    const file = join(dir, 'unstarted.pkl');
    assert.equal(child('unstarted', file), '');
    const r = resumeCli([file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, whole);
  });

  it('signed pickles: the key from --key <file> or STACKLESS_PICKLE_KEY; a missing or wrong key is refused', () => {
    const file = join(dir, 'signed.pkl');
    const start = child('start', file, '2', 's3cret');
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, 's3cret\n');
    const withFile = resumeCli([file, '--key', keyFile]);
    assert.equal(withFile.status, 0, withFile.stderr);
    assert.equal(start + withFile.stdout, whole);
    const withEnv = resumeCli([file], { env: { STACKLESS_PICKLE_KEY: 's3cret' } });
    assert.equal(withEnv.status, 0, withEnv.stderr);
    assert.equal(withEnv.stdout, withFile.stdout);
    const noKey = resumeCli([file]);
    assert.equal(noKey.status, 1);
    assert.equal(noKey.stdout, '');
    assert.equal(noKey.stderr, 'stackless resume: unpickle: the pickle is signed: pass the key ({ key }) to verify it\n');
    writeFileSync(keyFile, 'wrong');
    const wrong = resumeCli([file, '--key', keyFile]);
    assert.equal(wrong.status, 1);
    assert.equal(wrong.stderr, 'stackless resume: unpickle: signature mismatch: the pickle was tampered with, truncated, or signed with another key\n');
  });

  it('--root: run from another directory', () => {
    const file = join(dir, 'rooted.pkl');
    const start = child('start', file, '1');
    const elsewhere = resumeCli([file, '--root', process.cwd()], { cwd: dir });
    assert.equal(elsewhere.status, 0, elsewhere.stderr);
    assert.equal(start + elsewhere.stdout, whole);
    const wrongRoot = resumeCli([file], { cwd: dir });
    assert.equal(wrongRoot.status, 1);
    assert.match(wrongRoot.stderr, /^stackless resume: resume: module test\/pickle\/fixtures\/relay\.ts is not in the project root .*: run from the root the pickle was made in \(or pass --root\)\n$/);
  });

  it('a tasklet left blocked with no partner is reported (exit 1); an uncaught error ends the resume (exit 1)', () => {
    const lonely = join(dir, 'lonely.pkl');
    child('lonely', lonely);
    const r = resumeCli([lonely]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^stackless resume: 1 tasklet\(s\) could not finish: tasklet#\d+\(waiter\) is blocked receiving on channel#\d+\(inbox\)\n$/);
    const failing = join(dir, 'failing.pkl');
    const start = child('failing', failing);
    assert.equal(start, 'failing step 0\n');
    const f = resumeCli([failing]);
    assert.equal(f.status, 1);
    assert.equal(f.stdout, 'failing step 1\n');
    assert.match(f.stderr, /^stackless resume: a tasklet raised an error it did not catch:\nRangeError: failing: out of steps\n/);
  });

  it('bad usage and a missing file', () => {
    const none = resumeCli([]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /usage: stackless run/);
    const missing = resumeCli([join(dir, 'nope.pkl')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^stackless resume: ENOENT: no such file or directory/);
    const extra = resumeCli(['a.pkl', '--frobnicate']);
    assert.equal(extra.status, 2);
    assert.match(extra.stderr, /^stackless resume: unexpected argument --frobnicate\nusage: stackless resume/);
  });
});

describe('resolveModule: module paths of a pickle stay inside the project root', () => {
  const root = process.cwd();
  it('resolves a module path relative to the root', () => {
    assert.equal(resolveModule(root, 'test/pickle/fixtures/relay.ts'), join(root, 'test/pickle/fixtures/relay.ts'));
  });
  it('refuses paths leaving the root, absolute paths and missing files', () => {
    const refuses = (m: string, re: RegExp) => assert.throws(() => resolveModule(root, m), (e: unknown) => e instanceof PickleError && re.test(e.message));
    refuses('../outside.ts', /module path "\.\.\/outside\.ts" leaves the project root/);
    refuses('test/../../x.ts', /leaves the project root/);
    refuses('/etc/passwd', /module path "\/etc\/passwd" is not relative to the project root: refusing to import it/);
    refuses('', /is not relative to the project root/);
    refuses('test/pickle/fixtures/absent.ts', /module test\/pickle\/fixtures\/absent\.ts is not in the project root/);
  });
});
