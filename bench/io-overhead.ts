/**
 * The JavaScript cost of the tasklet I/O path, without syscalls or network noise: a fake
 * stream emits 'data' events and accepts writes. Baseline: a plain 'data' listener that
 * writes back. Tasklet: an echo tasklet (recv → write → recv...) under main(), so every
 * message goes through the whole path: Waiter wake → unpark → wakeHook → microtask restart
 * (hub tasklet woken) → trampoline → recv returns → write → recv parks → idle.
 * Reports CPU µs per message (process.cpuUsage), 3 rounds.
 * Run: node --conditions=source --import tsx bench/io-overhead.ts
 */
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { main, sleep, spawn, StreamReader, StreamWriter } from 'stackless/io';

class FakeStream extends EventEmitter {
  written = 0;
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  write(b: Buffer): boolean {
    this.written += b.length;
    return true;
  }
  get writableNeedDrain(): boolean {
    return false;
  }
}

const N = 200_000;
const chunk = Buffer.alloc(64, 1);

async function feed(s: FakeStream): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    s.emit('data', chunk);
    await null; // let the restart microtask (queued by the wake-up) run
  }
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / N;
}

async function baseline(): Promise<number> {
  const s = new FakeStream();
  s.on('data', (d: Buffer) => s.write(d));
  return feed(s);
}

async function tasklet(): Promise<number> {
  const s = new FakeStream();
  const r = new StreamReader(s as unknown as Readable, 'fake', 'socket');
  const w = new StreamWriter(s as unknown as Writable, 'fake', 'socket');
  let perMsg = 0;
  const echo: { t: { status: string } | null } = { t: null };
  const driver = (async () => {
    // wait until the echo tasklet is parked in recv() (else the data would pile up in the buffer)
    while (echo.t === null || echo.t.status !== 'blocked') await new Promise((res) => setImmediate(res));
    perMsg = await feed(s);
    s.emit('end');
  })();
  await main(function* () {
    const t = (echo.t = spawn(function* () {
      for (;;) {
        const b = yield* r.recv();
        if (b.length === 0) return;
        yield* w.write(b);
      }
    }));
    while (t.alive) yield* sleep(5);
  });
  await driver;
  if (s.written !== N * 64) throw new Error(`echoed ${s.written} bytes, expected ${N * 64}`);
  return perMsg;
}

for (let k = 0; k < 3; k++) {
  const b = await baseline();
  const t = await tasklet();
  console.log(`baseline ${b.toFixed(2)} µs/msg, tasklet echo ${t.toFixed(2)} µs/msg, overhead ${(t - b).toFixed(2)} µs/msg`);
}
