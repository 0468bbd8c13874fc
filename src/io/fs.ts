import * as fsp from 'node:fs/promises';
import type { Op } from '../core/op.js';
import { wait } from './promise.js';

/**
 * node:fs/promises for tasklets: each call blocks the calling tasklet (not the process)
 * until the operation finishes, and raises Node's error (with its `code`) on failure.
 * For anything not listed, `yield* wait(fsp.whatever(...))`.
 */
export const fs = {
  readFile(path: string | URL, options?: { encoding?: null }): Op<Buffer> {
    return wait(fsp.readFile(path, options));
  },
  readTextFile(path: string | URL, encoding: BufferEncoding = 'utf8'): Op<string> {
    return wait(fsp.readFile(path, { encoding }));
  },
  writeFile(path: string | URL, data: string | Uint8Array): Op<void> {
    return wait(fsp.writeFile(path, data));
  },
  appendFile(path: string | URL, data: string | Uint8Array): Op<void> {
    return wait(fsp.appendFile(path, data));
  },
  stat(path: string | URL): Op<import('node:fs').Stats> {
    return wait(fsp.stat(path));
  },
  readdir(path: string | URL): Op<string[]> {
    return wait(fsp.readdir(path));
  },
  mkdir(path: string | URL, options?: { recursive?: boolean }): Op<string | undefined> {
    return wait(fsp.mkdir(path, options));
  },
  rm(path: string | URL, options?: { recursive?: boolean; force?: boolean }): Op<void> {
    return wait(fsp.rm(path, options));
  },
  rename(from: string | URL, to: string | URL): Op<void> {
    return wait(fsp.rename(from, to));
  },
};
