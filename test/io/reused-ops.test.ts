import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConcurrentReadError, connect, ioStats, listen, main, reader, sleep, spawn, TimeoutError, writer } from 'stackless/io';
import { useCleanScheduler } from '../support/harness.js';

// A StreamReader reuses one read operation, a StreamWriter one write operation and a
// Server one accept operation for the calls made inside tasklets (nothing allocated per
// read, write or accept). These tests pin what reuse must not change: an operation in
// flight (parked, or woken and not yet run) is never handed to a second caller; one that
// ended by kill, timeout or error is reusable; plain code keeps one result per call.

/** A Readable fed by hand: once flowing, push() emits 'data' synchronously. */
function feed(): Readable {
  return new Readable({ read() {} });
}

describe('reused read, write and accept operations', () => {
  useCleanScheduler();

  it('a reader woken but not yet run keeps its request while another tasklet reads', async () => {
    const log = await main(function* () {
      const src = feed();
      const r = reader(src, 'fed');
      yield* sleep(0); // the stream starts flowing
      const log: string[] = [];
      const first = spawn(function* () {
        log.push(`first ${(yield* r.readline()).toString()}`);
      });
      yield* sleep(0);
      assert.equal(first.status, 'blocked');
      // a second reader while `first` waits is refused
      assert.throws(() => [...r.readline()], ConcurrentReadError);
      // 'data' wakes `first` (appended to the ring); main runs on and reads the line itself
      src.push(Buffer.from('a\n'));
      assert.equal(first.status, 'scheduled');
      log.push(`main ${(yield* r.readline()).toString().trim()}`);
      yield* sleep(0); // `first` finds nothing and waits again, its request intact
      assert.equal(first.status, 'blocked');
      src.push(Buffer.from('b\nc\n'));
      yield* sleep(0);
      log.push(`main ${(yield* r.readline()).toString().trim()}`);
      r.checkInvariants();
      return log;
    });
    assert.deepEqual(log, ['main a', 'first b\n', 'main c']);
  });

  it('reads that ended by kill, timeout or a limit error leave the reader usable (property)', async () => {
    // each step: a parked read killed, a read timed out, a read over its limit, or data
    // pushed and read back in lines; the lines come back in order whatever came before
    type Step = 'kill' | 'timeout' | 'limit' | { lines: string[] };
    const steps = fc.array(
      fc.oneof(
        fc.constantFrom<Step>('kill', 'timeout', 'limit'),
        fc.record({ lines: fc.array(fc.stringMatching(/^[a-z]{0,5}$/), { minLength: 1, maxLength: 3 }) }),
      ),
      { maxLength: 8 },
    );
    await fc.assert(
      fc.asyncProperty(steps, (plan) =>
        main(function* () {
          const src = feed();
          const r = reader(src, 'fed');
          yield* sleep(0);
          for (const s of plan) {
            if (s === 'kill') {
              const t = spawn(function* () {
                yield* r.readline();
              });
              yield* sleep(0);
              yield* t.kill();
            } else if (s === 'timeout') {
              yield* assertRaises(r.readline({ timeout: 1 }), TimeoutError);
            } else if (s === 'limit') {
              src.push(Buffer.from('xyz'));
              yield* assertRaises(r.readUntil('\n', { limit: 2 }), Error);
              assert.equal((yield* r.read(3)).toString(), 'xyz');
            } else {
              src.push(Buffer.from(s.lines.map((l) => `${l}\n`).join('')));
              for (const l of s.lines) assert.equal((yield* r.readline()).toString(), `${l}\n`);
            }
            r.checkInvariants();
            assert.equal(ioStats().waits, 0);
          }
        }).then(() => undefined),
      ),
      { numRuns: 40 },
    );
  });

  it('plain code gets one operation per read: each keeps its own value', async () => {
    const src = feed();
    const r = reader(src, 'fed');
    await new Promise((resolve) => setImmediate(resolve)); // flowing
    src.push(Buffer.from('one\ntwo\n'));
    const a = r.readline();
    const b = r.readline();
    assert.notEqual(a, b);
    assert.equal(a.value.toString(), 'one\n');
    assert.equal(b.value.toString(), 'two\n');
  });

  it('writers parked on drain, killed or not, while others write through the same writer', async () => {
    const got = await main(function* () {
      const chunks: string[] = [];
      const pending: (() => void)[] = [];
      const sink = new Writable({
        highWaterMark: 4,
        write(chunk: Buffer, _enc, cb) {
          chunks.push(chunk.toString());
          pending.push(() => cb());
        },
      });
      const w = writer(sink, 'sink');
      const done: string[] = [];
      const writeAs = (text: string) =>
        spawn(function* () {
          yield* w.write(text);
          done.push(text);
        });
      const a = writeAs('aaaaa');
      const b = writeAs('bbbbb');
      const c = writeAs('ccccc');
      yield* sleep(0);
      assert.deepEqual([a.status, b.status, c.status], ['blocked', 'blocked', 'blocked']);
      yield* b.kill(); // its data was handed to the stream already; only its wait ends
      assert.equal(ioStats().waits, 2);
      while (pending.length > 0) {
        pending.shift()!();
        yield* sleep(0);
      }
      w.checkInvariants();
      assert.equal(ioStats().waits, 0);
      return { chunks, done };
    });
    assert.deepEqual(got.chunks, ['aaaaa', 'bbbbb', 'ccccc']);
    assert.deepEqual(got.done, ['aaaaa', 'ccccc']);
  });

  it('accept() after a killed and a timed-out accept() gets the next connection', async () => {
    const got = await main(function* () {
      const server = yield* listen(0);
      const killed = spawn(function* () {
        yield* server.accept();
      });
      yield* sleep(0);
      yield* killed.kill();
      yield* assertRaises(server.accept({ timeout: 5 }), TimeoutError);
      const c = yield* connect(server.port);
      const s = yield* server.accept({ timeout: 2000 });
      yield* c.write('hi\n');
      const line = (yield* s.readline()).toString();
      server.checkInvariants();
      assert.equal(server.accepting, 0);
      for (const x of [c, s, server]) x.close();
      return line;
    });
    assert.equal(got, 'hi\n');
  });
});

/** Perform `op` and check that it raises an instance of `type`. */
function* assertRaises(op: Iterable<unknown> & object, type: new (...a: never[]) => Error) {
  try {
    yield* op as Generator<never, unknown, unknown>;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    return;
  }
  assert.fail(`expected ${type.name}`);
}
