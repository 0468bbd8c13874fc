/**
 * Helpers for the HTTP server tests: run a server under runMainAsync for the duration of
 * one test, and a raw TCP client that sends exact bytes and collects what comes back.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { runMainAsync } from 'stackless';
import { main as ioMain } from 'stackless/io';
import { listen, type Handler, type HttpServer, type ListenOptions } from 'stackless/http';

let transport: 'net' | 'io' = 'net';
/** The transport withServer() uses (per test file); 'io' runs main under stackless/io's main(). */
export function useTransport(t: 'net' | 'io'): void {
  transport = t;
}

export interface Running {
  server: HttpServer;
  port: number;
  errors: unknown[];
}

/**
 * Start `handler` on 127.0.0.1, run `body`, then close the server gracefully and wait for
 * main to end. Asserts that no connection or tasklet is left afterwards and that the server's
 * invariants held.
 */
export async function withServer(
  handler: Handler,
  options: ListenOptions,
  body: (r: Running) => Promise<void>,
): Promise<void> {
  const errors: unknown[] = [];
  let ready!: (s: HttpServer) => void;
  const started = new Promise<HttpServer>((r) => (ready = r));
  const run = transport === 'io' ? ioMain : runMainAsync;
  const mainDone = run(function* () {
    const server = yield* listen(handler, { transport, ...options, onError: (e) => errors.push(e) });
    ready(server);
    yield* server.closed();
  });
  const server = await Promise.race([started, mainDone.then(() => Promise.reject(new Error('main ended early')))]);
  try {
    server.checkInvariants();
    await body({ server, port: server.port, errors });
    server.checkInvariants();
  } finally {
    server.close({ deadline: 300 });
    await withDeadline(mainDone, 3000, 'server did not close');
  }
  const st = server.stats();
  assert.equal(st.connections, 0, 'no connection left after close');
  assert.equal(st.tasklets, 0, 'no connection tasklet left after close');
  assert.equal(server.state, 'closed');
}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))),
  ]);
}

/** A raw client connection that records everything it receives and whether it was closed. */
export class RawClient {
  readonly sock: Socket;
  data = '';
  closed = false;
  private waiters: (() => void)[] = [];
  private readonly opened: Promise<void>;

  constructor(port: number) {
    this.sock = connect(port, '127.0.0.1');
    this.sock.setEncoding('latin1');
    this.opened = new Promise((r) => this.sock.once('connect', () => r()));
    this.sock.on('data', (d: string) => {
      this.data += d;
      this.notify();
    });
    this.sock.on('error', () => {});
    this.sock.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  async send(text: string | Buffer): Promise<void> {
    await this.opened;
    this.sock.write(text);
  }

  /** Wait until `pred(data)` holds (or the connection closed and it still does not: throws). */
  async until(pred: (data: string, closed: boolean) => boolean, ms = 2000): Promise<string> {
    const t0 = Date.now();
    while (!pred(this.data, this.closed)) {
      if (this.closed) throw new Error(`connection closed; received ${JSON.stringify(this.data.slice(0, 500))}`);
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting; received ${JSON.stringify(this.data.slice(0, 500))}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
    return this.data;
  }

  /** Wait for the server to close the connection; returns everything received. */
  async untilClosed(ms = 2000): Promise<string> {
    const t0 = Date.now();
    while (!this.closed) {
      if (Date.now() - t0 > ms) throw new Error(`server did not close; received ${JSON.stringify(this.data.slice(0, 500))}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
    return this.data;
  }

  /** Number of complete HTTP responses in `data` (counted by status lines). */
  responses(): number {
    return (this.data.match(/HTTP\/1\.1 \d{3} /g) ?? []).length;
  }

  destroy(): void {
    this.sock.destroy();
  }

  private notify(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}

/** Wait until `pred()` holds, polling. */
export async function eventually(pred: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
