import { StacklessError } from '../core/errors.js';

/**
 * Raised by pickle() for a value that cannot be pickled (the message names it and gives its
 * path, e.g. `tasklet.frames[1].state.conn`), and by unpickle() for input that is corrupted,
 * truncated, tampered with, unsigned when a key is required, or made by different code.
 */
export class PickleError extends StacklessError {
  override name = 'PickleError';
  /** Where in the pickled graph the refused value is (pickle() only), e.g. `value.a[2]`. */
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.path = path;
  }
}
