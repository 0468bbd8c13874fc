import type { Socket as NetSocket } from 'node:net';
import { isTaskletExit } from '../core/errors.js';
import type { Trap } from '../core/frame.js';
import { GenOp, launch, type Op } from '../core/op.js';
import { Socket } from '../io/socket.js';
import { ClientGoneError, HttpTimeoutError } from './errors.js';
import type { Transport } from './transport.js';

const EMPTY = Buffer.alloc(0);

/**
 * The server's side of a connection on stackless/io's `Socket` (option
 * `transport: 'io'`): reads and writes are io's operations, their errors mapped to the HTTP
 * layer's (ClientGoneError, HttpTimeoutError). io's waits are restarted by its hub (core's
 * wakeHook, installed when stackless/io loads). Compare NetConnection (the default), which
 * parks on node:net directly.
 *
 * Invariants:
 *  - status 'open' → 'eof' → 'closed' (or 'open' → 'closed'); `ending`, `expired` and
 *    `forced` say why io's socket was closed under a waiting tasklet, and decide what that
 *    tasklet sees (end of stream, HttpTimeoutError, the forced error).
 */
export class IoConnection implements Transport {
  status: 'open' | 'eof' | 'closed' = 'open';
  deadline = 0;
  writeTimeoutMs = 0;
  private readonly sock: Socket;
  private ending = false;
  private expired: string | null = null;
  private forced: Error | null = null;

  constructor(raw: NetSocket) {
    this.sock = new Socket(raw, 'http client');
  }

  recv(): Op<Buffer> {
    return launch(new GenOp('http recv (io)', () => this.recvGen()));
  }

  write(data: string | Uint8Array): Op<void> {
    return launch(new GenOp('http write (io)', () => this.writeGen(data, null)));
  }

  write2(head: string, body: Uint8Array): Op<void> {
    return launch(new GenOp('http write (io)', () => this.writeGen(head, body)));
  }

  private *recvGen(): Generator<Trap, Buffer, unknown> {
    if (this.status === 'eof') return EMPTY;
    try {
      const d = yield* this.sock.recv();
      if (d.length === 0) this.status = 'eof';
      return d;
    } catch (e) {
      if (this.ending && !isTaskletExit(e)) return EMPTY;
      throw this.map(e);
    }
  }

  private *writeGen(data: string | Uint8Array, body: Uint8Array | null): Generator<Trap, void, unknown> {
    const opts = this.writeTimeoutMs > 0 ? { timeout: this.writeTimeoutMs } : undefined;
    try {
      if (body === null) return yield* this.sock.write(data, opts);
      // One write for small bodies; no cork() around writes that may park (a corked socket
      // never drains).
      if (body.byteLength <= 16 * 1024) return yield* this.sock.write(Buffer.concat([Buffer.from(data as string), body]), opts);
      yield* this.sock.write(data, opts);
      yield* this.sock.write(body, opts);
    } catch (e) {
      throw this.map(e);
    }
  }

  private map(e: unknown): unknown {
    if (isTaskletExit(e)) return e;
    this.status = 'closed';
    if (this.forced !== null) return this.forced;
    if (this.expired !== null) return new HttpTimeoutError(`${this.expired}: timed out`);
    if ((e as Error)?.name === 'TimeoutError') return new HttpTimeoutError(`client too slow: ${(e as Error).message}`);
    if (e instanceof Error && /Closed|Reset|IoError/.test(e.name)) return new ClientGoneError(`the client went away: ${e.message}`, { cause: e });
    return e;
  }

  closeSoon(): void {
    const raw = this.sock.raw;
    if (raw.destroyed) return;
    raw.end(() => raw.destroy());
    if (raw.writableLength > 0) raw.setTimeout(5_000, () => raw.destroy());
  }

  // destroy() and expire() are hard closes (io's abort(): unsent data dropped, handle freed
  // now), like net-connection's socket.destroy(): a timed-out or forcibly shut connection must
  // not linger for close()'s graceful flush (up to 5 s against a peer that reads nothing).
  destroy(error: Error): void {
    this.forced = error;
    this.status = 'closed';
    this.sock.abort();
  }

  expire(what: string): void {
    this.deadline = 0;
    this.expired = what;
    this.status = 'closed';
    this.sock.abort();
  }

  endReader(): boolean {
    this.ending = true;
    this.sock.close();
    return true;
  }

  checkInvariants(): void {}

  toString(): string {
    return `IoConnection(${this.sock.label}, ${this.status})`;
  }
}
