import { StacklessError } from '../core/errors.js';

/**
 * The I/O layer's error catalogue. Every error a user can trigger is one of these, with a
 * message that says what happened and what to do. Errors that come from the OS keep the
 * errno code in `code` (ECONNRESET, ECONNREFUSED, EPIPE, ...) and the original in `cause`.
 */

/** Base class of errors raised by stackless/io. */
export class IoError extends StacklessError {
  override name = 'IoError';
  /** The errno code ("ECONNRESET") when the error came from the OS, else undefined. */
  readonly code: string | undefined;
  constructor(message: string, options?: { code?: string | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code;
  }
}

/** Read, write or accept on a socket/server/stream that was closed with close(). */
export class SocketClosedError extends IoError {
  override name = 'SocketClosedError';
}

/** write() after shutdown() (half-close) or end() of a stream. */
export class WriteAfterShutdownError extends IoError {
  override name = 'WriteAfterShutdownError';
}

/** A second tasklet tried to read while another one is already waiting to read. */
export class ConcurrentReadError extends IoError {
  override name = 'ConcurrentReadError';
}

/** The peer reset the connection (ECONNRESET) or the pipe broke (EPIPE). */
export class ConnectionResetError extends IoError {
  override name = 'ConnectionResetError';
}

/** Nobody listens at the address (ECONNREFUSED, ENOENT for a Unix socket path). */
export class ConnectionRefusedError extends IoError {
  override name = 'ConnectionRefusedError';
}

/** readUntil() found no delimiter within `limit` bytes; the data stays buffered. */
export class LimitExceededError extends IoError {
  override name = 'LimitExceededError';
}

/** A synchronization primitive used the wrong way (release of an unheld lock, ...). */
export class SyncUsageError extends StacklessError {
  override name = 'SyncUsageError';
}

/** Queue.putNowait on a full queue / getNowait on an empty one. */
export class QueueFullError extends StacklessError {
  override name = 'QueueFullError';
}
export class QueueEmptyError extends StacklessError {
  override name = 'QueueEmptyError';
}

/**
 * Map an error from node:net/tls/fs/child_process to a typed error. Caller: the socket,
 * stream and connect code when Node reports an 'error' event or a failed callback.
 */
export function fromNodeError(e: unknown, context: string): IoError {
  if (e instanceof IoError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const c = typeof code === 'string' ? code : undefined;
  const msg = e instanceof Error ? e.message : String(e);
  if (c === 'ECONNRESET' || c === 'EPIPE')
    return new ConnectionResetError(`${context}: connection reset by peer (${c}): ${msg}`, { code: c, cause: e });
  if (c === 'ECONNREFUSED' || c === 'ENOENT')
    return new ConnectionRefusedError(`${context}: connection refused (${c}): ${msg}; is the server listening?`, {
      code: c,
      cause: e,
    });
  return new IoError(`${context}: ${msg}`, { code: c, cause: e });
}
