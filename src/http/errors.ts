import { StacklessError } from '../core/errors.js';

/**
 * The HTTP layer's error catalogue. Protocol errors carry the status the server answers
 * with; usage errors say what to do instead.
 */

/** A request the server rejects: malformed (400), too large (413/431), unsupported (501/505). */
export class HttpParseError extends StacklessError {
  override name = 'HttpParseError';
  constructor(
    /** The response status the server sends before closing the connection. */
    readonly status: 400 | 413 | 414 | 417 | 431 | 501 | 505,
    message: string,
  ) {
    super(message);
  }
}

/** The client closed or reset the connection while a handler was reading or writing. */
export class ClientGoneError extends StacklessError {
  override name = 'ClientGoneError';
}

/** The client sent nothing for longer than the server's timeout (idle, head or body). */
export class HttpTimeoutError extends StacklessError {
  override name = 'HttpTimeoutError';
}

/** A request body is larger than the limit the handler or server allows (answered with 413). */
export class BodyTooLargeError extends StacklessError {
  override name = 'BodyTooLargeError';
  readonly status = 413;
}

/** A handler used the response the wrong way (write after end, header after the head was sent). */
export class HttpUsageError extends StacklessError {
  override name = 'HttpUsageError';
}

/** An invalid response header name or value (it would let a response be split or smuggled). */
export class InvalidHeaderError extends StacklessError {
  override name = 'InvalidHeaderError';
}
