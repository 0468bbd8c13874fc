import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ConcurrentReadError,
  connect,
  connectTls,
  ConnectionRefusedError,
  ConnectionResetError,
  IoError,
  ioStats,
  LimitExceededError,
  listen,
  listenTls,
  main,
  sleep,
  SocketClosedError,
  spawn,
  tasklets,
  TimeoutError,
  wait,
  WriteAfterShutdownError,
  type Server,
  type Socket,
} from 'stackless/io';
import { useCleanScheduler } from '../support/harness.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const key = readFileSync(new URL('test-key.pem', fixtures));
const cert = readFileSync(new URL('test-cert.pem', fixtures));

function* echoLoop(s: Socket) {
  try {
    for (;;) {
      const b = yield* s.recv();
      if (b.length === 0) break;
      yield* s.write(b);
    }
  } finally {
    s.close();
  }
}

function* serve(server: Server) {
  try {
    for (;;) spawn(echoLoop, yield* server.accept());
  } catch (e) {
    if (!(e instanceof SocketClosedError)) throw e; // server.close() ends the loop
  }
}

function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 20));
}

function assertClean(): void {
  const s = ioStats();
  assert.deepEqual(s, { timers: 0, waits: 0, sockets: 0, servers: 0, processes: 0, turns: 0, tasklets: 1 });
}

describe('sockets: reading and writing', () => {
  useCleanScheduler();

  it('echo over TCP: recv, read(n) across partial writes, readline, readUntil', async () => {
    await main(function* () {
      const server = yield* listen(0);
      spawn(serve, server);
      const c = yield* connect(server.port);
      assert.equal(c.remotePort, server.port);
      assert.equal(c.remoteAddress, '127.0.0.1');
      // partial writes: read(n) waits for all n bytes
      yield* c.write('hel');
      yield* sleep(5);
      yield* c.write('lo wor');
      yield* sleep(5);
      yield* c.write('ld\nsecond line\nA||B||');
      assert.equal((yield* c.read(5)).toString(), 'hello');
      assert.equal((yield* c.readline()).toString(), ' world\n');
      assert.equal((yield* c.readline()).toString(), 'second line\n');
      assert.equal((yield* c.readUntil('||')).toString(), 'A||');
      assert.equal((yield* c.readUntil(Buffer.from('||'))).toString(), 'B||');
      c.checkInvariants();
      server.checkInvariants();
      c.close();
      c.checkInvariants();
      server.close();
    });
    await settle();
    assertClean();
  });

  it('half-close: the server reads to EOF after shutdown() and can still answer', async () => {
    const reply = await main(function* () {
      const server = yield* listen(0);
      spawn(function* () {
        const s = yield* server.accept();
        const all = yield* s.readAll();
        yield* s.write(`got ${all.length} bytes`);
        s.close();
      });
      const c = yield* connect(server.port);
      yield* c.write(Buffer.alloc(100_000, 1));
      c.shutdown();
      let err: unknown = null;
      try {
        yield* c.write('more');
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof WriteAfterShutdownError, String(err));
      assert.match((err as Error).message, /shutdown/);
      const r = (yield* c.readAll()).toString();
      assert.equal((yield* c.recv()).length, 0, 'recv at EOF returns an empty buffer');
      c.close();
      server.close();
      return r;
    });
    assert.equal(reply, 'got 100000 bytes');
    await settle();
    assertClean();
  });

  it('peer reset mid-read surfaces as ConnectionResetError with its errno code', async () => {
    const err = await main(function* () {
      const server = yield* listen(0);
      spawn(function* () {
        const s = yield* server.accept();
        yield* s.readline();
        s.reset();
      });
      const c = yield* connect(server.port);
      yield* c.write('hi\n');
      try {
        yield* c.recv();
        return null;
      } catch (e) {
        return e;
      } finally {
        c.close();
        server.close();
      }
    });
    assert.ok(err instanceof ConnectionResetError, String(err));
    assert.equal(err.code, 'ECONNRESET');
    await settle();
    assertClean();
  });

  it('timeouts per call and per socket fire when nothing arrives and not when data does', async () => {
    await main(function* () {
      const server = yield* listen(0);
      spawn(function* () {
        const s = yield* server.accept();
        yield* sleep(300); // well after both 5 ms timeouts, even on a loaded machine
        yield* s.write('late\n');
        yield* s.readAll();
        s.close();
      });
      const c = yield* connect(server.port);
      let err: unknown = null;
      try {
        yield* c.readline({ timeout: 5 });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TimeoutError, String(err));
      assert.match((err as Error).message, /readline\(\).*timed out after 5 ms/);
      c.timeout = 5;
      err = null;
      try {
        yield* c.recv();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TimeoutError);
      c.timeout = null;
      assert.equal((yield* c.readline({ timeout: 2000 })).toString(), 'late\n');
      c.close();
      server.close();
    });
    await settle();
    assertClean();
  });

  it('misuse raises typed errors: two readers, read/write after close, readUntil over its limit', async () => {
    await main(function* () {
      const server = yield* listen(0);
      spawn(function* () {
        const s = yield* server.accept();
        yield* s.write('x'.repeat(100));
        yield* s.readAll();
        s.close();
      });
      const c = yield* connect(server.port);
      let err: unknown = null;
      try {
        yield* c.readUntil('\n', { limit: 50 });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof LimitExceededError, String(err));
      assert.equal((yield* c.read(100)).length, 100, 'the data stayed buffered');
      let firstErr: unknown = null;
      const first = spawn(function* () {
        try {
          yield* c.recv();
        } catch (e) {
          firstErr = e;
        }
      });
      yield* sleep(1);
      err = null;
      try {
        yield* c.recv();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ConcurrentReadError, String(err));
      assert.match((err as Error).message, /already waiting to read/);
      c.close();
      yield* sleep(1);
      assert.equal(first.status, 'dead', 'the blocked reader was woken by close()');
      assert.ok(firstErr instanceof SocketClosedError, String(firstErr));
      for (const op of [() => c.recv(), () => c.write('x')]) {
        err = null;
        try {
          yield* op();
        } catch (e) {
          err = e;
        }
        assert.ok(err instanceof SocketClosedError, String(err));
      }
      server.close();
    });
    await settle();
    assertClean();
  });

  it('write() blocks on a full kernel buffer until the peer reads (backpressure)', async () => {
    await main(function* () {
      const server = yield* listen(0);
      let peer!: Socket;
      spawn(function* () {
        peer = yield* server.accept();
      });
      const c = yield* connect(server.port);
      yield* sleep(5);
      const big = Buffer.alloc(1 << 20, 7);
      let written = 0;
      const writer = spawn(function* () {
        for (let i = 0; i < 32; i++) {
          yield* c.write(big);
          written++;
        }
        c.shutdown();
      });
      yield* sleep(30);
      assert.equal(writer.status, 'blocked');
      assert.ok(written < 32, `writer should be stuck, wrote ${written} MiB`);
      const info = tasklets().find((i) => i.tasklet === writer)!;
      assert.equal(info.kind, 'socket');
      assert.match(info.waitingOn!, /drain/);
      c.checkInvariants();
      const all = yield* peer.readAll();
      assert.equal(all.length, 32 << 20);
      peer.checkInvariants();
      assert.equal(written, 32);
      peer.close();
      c.close();
      server.close();
    });
    await settle();
    assertClean();
  });

  it('connect to a closed port raises ConnectionRefusedError; listen on a busy port raises IoError EADDRINUSE', async () => {
    await main(function* () {
      const server = yield* listen(0);
      const port = server.port;
      let err: unknown = null;
      try {
        yield* listen(port);
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof IoError);
      assert.equal((err as IoError).code, 'EADDRINUSE');
      server.close();
      yield* sleep(5);
      err = null;
      try {
        yield* connect(port);
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ConnectionRefusedError, String(err));
      assert.equal((err as IoError).code, 'ECONNREFUSED');
    });
    await settle();
    assertClean();
  });
});

/** A plain node:net client that does not read until `resume()`; `done` is every byte it got
 * until the server's FIN, or the error that ended the connection. */
function slowReader(port: number): { resume(): void; done: Promise<{ bytes: number; error: string | null }> } {
  const c = net.connect(port, '127.0.0.1');
  c.pause();
  let bytes = 0;
  const done = new Promise<{ bytes: number; error: string | null }>((resolve) => {
    c.on('data', (d: Buffer) => (bytes += d.length));
    c.on('end', () => resolve({ bytes, error: null }));
    c.on('error', (e: NodeJS.ErrnoException) => resolve({ bytes, error: e.code ?? e.message }));
  });
  return { resume: () => c.resume(), done };
}

describe('sockets: closing', () => {
  useCleanScheduler();
  const BIG = 8 * 1024 * 1024; // more than the kernel buffers hold: part stays in Node's buffer

  /** Accept one connection from a paused client and get a write of BIG bytes parked on
   * 'drain' (so unsent data sits in Node's buffer); returns the server socket and the
   * writer's outcome. */
  function* pendingWrite(server: Server) {
    const s = yield* server.accept();
    const outcome: { error: unknown } = { error: undefined };
    spawn(function* () {
      try {
        yield* s.write(Buffer.alloc(BIG, 7));
        outcome.error = null;
      } catch (e) {
        outcome.error = e;
      }
    });
    while (s.raw.writableLength === 0 || !s.raw.writableNeedDrain) yield* sleep(1);
    return { s, outcome };
  }

  it('close() after write() delivers every byte, then FIN (it used to discard unsent data)', async () => {
    const got = await main(function* () {
      const server = yield* listen(0);
      const client = slowReader(server.port);
      const { s, outcome } = yield* pendingWrite(server);
      assert.ok(s.raw.writableLength > 0, 'data is still queued in Node when close() is called');
      s.close();
      s.close(); // idempotent
      assert.equal(s.closed, true);
      yield* sleep(0);
      assert.ok(outcome.error instanceof SocketClosedError, `the parked writer is told: ${String(outcome.error)}`);
      let err: unknown = null;
      try {
        yield* s.write('late');
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof SocketClosedError, String(err));
      assert.equal(ioStats().sockets, 1, 'the closing socket counts until its data is out');
      client.resume();
      const r = yield* wait(client.done);
      server.close();
      return r;
    });
    assert.deepEqual(got, { bytes: BIG, error: null });
    await settle();
    assertClean();
  });

  it('abort() discards unsent data at once', async () => {
    const got = await main(function* () {
      const server = yield* listen(0);
      const client = slowReader(server.port);
      const { s, outcome } = yield* pendingWrite(server);
      s.abort();
      assert.equal(s.closed, true);
      yield* sleep(0);
      assert.ok(outcome.error instanceof SocketClosedError, String(outcome.error));
      client.resume();
      const r = yield* wait(client.done);
      server.close();
      return r;
    });
    assert.ok(got.bytes < BIG, `abort() cut the stream short (${got.bytes} of ${BIG} bytes)`);
    await settle();
    assertClean();
  });

  it('a closing socket whose peer never reads is aborted when main() ends: nothing leaks, no hang', async () => {
    let client: ReturnType<typeof slowReader> | null = null;
    await main(function* () {
      const server = yield* listen(0);
      client = slowReader(server.port);
      const { s } = yield* pendingWrite(server);
      s.close();
      assert.equal(ioStats().sockets, 1, 'the closing socket still counts');
    });
    client!.resume();
    const r = await client!.done;
    assert.ok(r.bytes < BIG, `the lingering data was discarded (${r.bytes} of ${BIG} bytes)`);
    await settle();
    assertClean();
  });
});

describe('sockets: Unix domain and TLS', () => {
  useCleanScheduler();

  it('echo over a Unix domain socket', async () => {
    const path = join(tmpdir(), `stackless-io-${process.pid}.sock`);
    rmSync(path, { force: true });
    const got = await main(function* () {
      const server = yield* listen({ path });
      assert.equal(server.address(), path);
      spawn(serve, server);
      const c = yield* connect({ path });
      yield* c.write('unix\n');
      const line = (yield* c.readline()).toString();
      c.close();
      server.close();
      return line;
    });
    assert.equal(got, 'unix\n');
    await settle();
    assertClean();
  });

  it('echo over TLS with a fixed self-signed certificate', async () => {
    const got = await main(function* () {
      const server = yield* listenTls(0, '127.0.0.1', { key, cert });
      spawn(serve, server);
      const c = yield* connectTls(server.port, '127.0.0.1', { ca: cert, servername: 'localhost' });
      yield* c.write('secret\n');
      const line = (yield* c.readline()).toString();
      c.close();
      server.close();
      return line;
    });
    assert.equal(got, 'secret\n');
    await settle();
    assertClean();
  });

  it('a TLS client that does not trust the certificate gets a typed IoError', async () => {
    const err = await main(function* () {
      const server = yield* listenTls(0, '127.0.0.1', { key, cert });
      try {
        yield* connectTls(server.port, '127.0.0.1', { servername: 'localhost' });
        return null;
      } catch (e) {
        return e;
      } finally {
        server.close();
      }
    });
    assert.ok(err instanceof IoError, String(err));
    assert.equal(typeof (err as IoError).code, 'string');
    await settle();
    assertClean();
  });
});

describe('sockets: cancellation and leaks', () => {
  useCleanScheduler();

  it('killing tasklets blocked on accept, recv, write (drain) and connect (TLS handshake) cleans up every waiter', async () => {
    // a raw server that accepts but never speaks TLS: connectTls stays in the handshake
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    await main(function* () {
      const server = yield* listen(0);
      const other = yield* listen(0);
      const acceptor = spawn(function* () {
        yield* other.accept();
      });
      const c = yield* connect(server.port);
      const reader = spawn(function* () {
        yield* c.recv();
      });
      const writer = spawn(function* () {
        for (;;) yield* c.write(Buffer.alloc(1 << 20));
      });
      const connector = spawn(function* () {
        yield* connectTls(silentPort, '127.0.0.1', { ca: cert });
      });
      yield* sleep(30);
      for (const t of [acceptor, reader, writer, connector]) assert.equal(t.status, 'blocked', `${t} ${t.waitReason}`);
      assert.equal(ioStats().waits, 4);
      for (const t of [acceptor, reader, writer, connector]) yield* t.kill();
      c.checkInvariants();
      other.checkInvariants();
      assert.equal(ioStats().waits, 0);
      assert.equal(ioStats().timers, 0);
      c.close();
      server.close();
      other.close();
    });
    silent.close();
    await settle();
    assertClean();
  });

  it('10,000 connect/close cycles leak no tasklets, sockets, waits or timers', async () => {
    const before = ioStats();
    await main(function* () {
      const server = yield* listen(0);
      spawn(function* () {
        try {
          for (;;) (yield* server.accept()).close();
        } catch (e) {
          if (!(e instanceof SocketClosedError)) throw e;
        }
      });
      // sequential: on this kernel concurrent loopback connects are slower, even for plain node:net
      for (let i = 0; i < 10_000; i++) {
        const c = yield* connect(server.port, '127.0.0.1', { timeout: 5000 });
        c.close();
      }
      yield* sleep(20);
      assert.ok(tasklets().length <= 3, `live tasklets: ${tasklets().length}`);
      server.close();
    });
    await settle();
    assert.deepEqual(ioStats(), before);
    assertClean();
  });
});

describe('sockets: several acceptors', () => {
  useCleanScheduler();

  it('several tasklets may accept on one server; each connection goes to exactly one', async () => {
    const served = await main(function* () {
      const server = yield* listen(0);
      const by: number[] = [];
      for (let k = 0; k < 3; k++)
        spawn(function* () {
          try {
            for (;;) {
              const s = yield* server.accept();
              by.push(k);
              s.close();
            }
          } catch (e) {
            if (!(e instanceof SocketClosedError)) throw e;
          }
        });
      yield* sleep(0);
      for (let i = 0; i < 9; i++) (yield* connect(server.port)).close();
      while (by.length < 9) yield* sleep(1);
      server.checkInvariants();
      server.close();
      yield* sleep(0);
      return by;
    });
    assert.equal(served.length, 9);
    assert.ok(new Set(served).size >= 2, `FIFO acceptors share the work: ${served.join(',')}`);
    await settle();
    assertClean();
  });
});
