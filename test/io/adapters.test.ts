import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, createReadStream, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Channel, schedule } from 'stackless';
import {
  exec,
  fs,
  IoError,
  ioStats,
  lookup,
  main,
  reader,
  sleep,
  spawnNamed,
  spawnProcess,
  startStallDetector,
  tasklets,
  writer,
  type Process,
  type StallReport,
} from 'stackless/io';
import { useCleanScheduler } from '../support/harness.js';

describe('adapters: fs, dns, child processes, streams', () => {
  useCleanScheduler();

  it('fs operations block only the calling tasklet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackless-io-'));
    try {
      const out = await main(function* () {
        const p = join(dir, 'a.txt');
        yield* fs.writeFile(p, 'hello');
        yield* fs.appendFile(p, ' world');
        const text = yield* fs.readTextFile(p);
        const st = yield* fs.stat(p);
        const names = yield* fs.readdir(dir);
        let code: unknown = null;
        try {
          yield* fs.readFile(join(dir, 'missing'));
        } catch (e) {
          code = (e as NodeJS.ErrnoException).code;
        }
        return { text, size: st.size, names, code };
      });
      assert.deepEqual(out, { text: 'hello world', size: 11, names: ['a.txt'], code: 'ENOENT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dns lookup honours /etc/hosts (localhost)', async () => {
    const a = await main(function* () {
      return yield* lookup('localhost', { family: 4 });
    });
    assert.equal(a.address, '127.0.0.1');
    assert.equal(a.family, 4);
  });

  it('child processes: exec with input; stdio streams; a missing binary raises IoError ENOENT', async () => {
    await main(function* () {
      const r = yield* exec('cat', [], { input: 'piped through cat\n' });
      assert.equal(r.code, 0);
      assert.equal(r.stdout.toString(), 'piped through cat\n');
      const sh = yield* exec('sh', ['-c', 'echo out; echo err >&2; exit 3']);
      assert.deepEqual([sh.code, sh.stdout.toString(), sh.stderr.toString()], [3, 'out\n', 'err\n']);
      const p = spawnProcess('sh', ['-c', 'read x; echo "got $x"; read y; echo "got $y"']);
      yield* p.stdin!.write('one\n');
      assert.equal((yield* p.stdout!.readline()).toString(), 'got one\n');
      yield* p.stdin!.write('two\n');
      assert.equal((yield* p.stdout!.readline()).toString(), 'got two\n');
      assert.deepEqual(yield* p.wait(), { code: 0, signal: null });
      let err: unknown = null;
      try {
        yield* spawnProcess('/nonexistent/binary').wait();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof IoError, String(err));
      assert.equal((err as IoError).code, 'ENOENT');
    });
    assert.equal(ioStats().processes, 0);
  });

  it('killing a tasklet blocked on a child process (wait and stdout) unregisters it; the process keeps running', async () => {
    await main(function* () {
      const p = spawnProcess('sleep', ['5']);
      const waiter = spawnNamed('waiter', function* () {
        yield* p.wait();
      });
      const readerT = spawnNamed('reader', function* () {
        yield* p.stdout!.recv();
      });
      yield* sleep(10);
      assert.equal(waiter.status, 'blocked');
      assert.equal(readerT.status, 'blocked');
      assert.equal(ioStats().waits, 2);
      yield* waiter.kill();
      yield* readerT.kill();
      assert.equal(ioStats().waits, 0);
      assert.equal(p.status, 'running');
      p.kill('SIGKILL');
      const st = yield* p.wait({ timeout: 5000 });
      assert.equal(st.signal, 'SIGKILL');
    });
    assert.equal(ioStats().processes, 0);
  });

  it('main() kills child processes still running when its body ends, and waits for them to exit', async () => {
    let p: Process | null = null;
    let finished: Process | null = null;
    await main(function* () {
      finished = spawnProcess('true');
      yield* finished.wait();
      p = spawnProcess('sleep', ['30']);
      yield* sleep(10);
      assert.equal(p.status, 'running');
      assert.equal(ioStats().processes, 1);
    });
    assert.equal(p!.status, 'exited', 'killed before main() resolved');
    assert.equal(p!.raw.signalCode, 'SIGKILL');
    assert.equal(finished!.status, 'exited');
    assert.equal(ioStats().processes, 0);
  });

  it('readable and writable stream adapters (file stream in, PassThrough out)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackless-io-'));
    try {
      const p = join(dir, 'lines.txt');
      writeFileSync(p, 'l1\nl2\nl3');
      const got = await main(function* () {
        const r = reader(createReadStream(p));
        const lines: string[] = [];
        for (;;) {
          const l = yield* r.readline();
          if (l.length === 0) break;
          lines.push(l.toString());
        }
        const pt = new PassThrough();
        const w = writer(pt);
        const back = reader(pt);
        yield* w.write('abc');
        w.end();
        lines.push((yield* back.readAll()).toString());
        return lines;
      });
      assert.deepEqual(got, ['l1\n', 'l2\n', 'l3', 'abc']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('property: readline/readUntil/read(n) return the same bytes however the stream is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-c]{0,6}$/), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        async (records, cuts) => {
          const text = records.map((r) => r + '\r\n').join('') + 'tail';
          const data = Buffer.from(text);
          const got = await main(function* () {
            const pt = new PassThrough();
            const r = reader(pt);
            spawnNamed('feeder', function* () {
              let i = 0;
              let k = 0;
              while (i < data.length) {
                const n = cuts[k++ % cuts.length]!;
                pt.write(data.subarray(i, i + n));
                i += n;
                yield* sleep(0);
              }
              pt.end();
            });
            const out: string[] = [];
            for (let i = 0; i < records.length; i++) {
              // alternate the three readers over the same stream
              if (i % 3 === 0) out.push((yield* r.readUntil('\r\n')).toString());
              else if (i % 3 === 1) out.push((yield* r.readline({ delimiter: '\r\n' })).toString());
              else out.push((yield* r.read(records[i]!.length + 2)).toString());
            }
            out.push((yield* r.readline()).toString());
            out.push(String((yield* r.recv()).length));
            r.buffer.checkInvariants();
            return out;
          });
          assert.deepEqual(got, [...records.map((x) => x + '\r\n'), 'tail', '0']);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('observability', () => {
  useCleanScheduler();

  it('tasklets() lists every live tasklet with its name, status and what it waits on', async () => {
    await main(function* () {
      const ch = new Channel<number>({ name: 'jobs' });
      spawnNamed('sleeper', function* () {
        yield* sleep(60_000);
      });
      spawnNamed('receiver', function* () {
        yield* ch.receive();
      });
      spawnNamed('runner', function* () {
        for (;;) yield* schedule();
      });
      yield* sleep(0);
      const byName = new Map(tasklets().map((i) => [i.name, i]));
      assert.equal(byName.get('sleeper')!.kind, 'timer');
      assert.match(byName.get('sleeper')!.waitingOn!, /sleep\(60000\)/);
      assert.equal(byName.get('receiver')!.kind, 'channel');
      assert.match(byName.get('receiver')!.waitingOn!, /receiving on channel#\d+\(jobs\)/);
      assert.equal(byName.get('runner')!.waitingOn, null);
      assert.ok(['scheduled', 'current'].includes(byName.get('runner')!.status));
      assert.equal(byName.get('main')!.status, 'current');
    });
  });

  it('the stall detector names a tasklet that runs past the threshold without switching', async () => {
    const reports: StallReport[] = [];
    const d = startStallDetector({ thresholdMs: 40, onStall: (r) => reports.push(r) });
    try {
      await main(function* () {
        spawnNamed('busy-loop', function* () {
          const end = performance.now() + 150;
          while (performance.now() < end) {
            /* CPU-bound, never switches */
          }
          yield* sleep(0);
        });
        spawnNamed('polite', function* () {
          for (let i = 0; i < 100; i++) yield* schedule();
        });
        yield* sleep(100);
      });
    } finally {
      d.stop();
    }
    const names = reports.map((r) => r.name);
    assert.ok(names.includes('busy-loop'), `reports: ${names.join(', ')}`);
    // a tasklet that switches every few µs is never blamed for long (the machine may pause us briefly)
    assert.ok(!reports.some((r) => r.name === 'polite' && r.ms >= 120), JSON.stringify(reports.map((r) => [r.name, r.ms])));
    assert.ok(reports.find((r) => r.name === 'busy-loop')!.ms >= 150);
  });
});
