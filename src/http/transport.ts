import type { Op } from '../core/op.js';

/**
 * What the server needs from a client connection, as tasklet-blocking operations. Two
 * implementations: NetConnection (node:net parked through core's park/unpark; the default)
 * and IoConnection (stackless/io's Socket). Errors raised: ClientGoneError (the client went
 * away, or the server dropped the connection), HttpTimeoutError (a deadline passed).
 *
 * Timeouts are deadlines: the owner sets `deadline` (performance.now() ms, 0 = none) and
 * the server's sweep calls expire() once it has passed.
 */
export interface Transport {
  /** 'open' → 'eof' (peer sent FIN; writes still allowed) → 'closed'. */
  readonly status: 'open' | 'eof' | 'closed';
  deadline: number;
  /** How long a write may stay blocked on backpressure; 0 = no limit. */
  writeTimeoutMs: number;
  /** Next bytes from the peer; an empty Buffer at end of stream. */
  recv(): Op<Buffer>;
  /** Write; blocks only under backpressure. */
  write(data: string | Uint8Array): Op<void>;
  /** Write a head string and a body in one go. */
  write2(head: string, body: Uint8Array): Op<void>;
  /** Flush, send FIN, destroy once the data is out. */
  closeSoon(): void;
  /** Drop the connection now; waiting tasklets get `error`. */
  destroy(error: Error): void;
  /** The deadline passed: waiting tasklets get HttpTimeoutError; the connection is dropped. */
  expire(what: string): void;
  /** Make a tasklet parked in recv() see end of stream (graceful shutdown of idle connections). */
  endReader(): boolean;
  checkInvariants(): void;
}
