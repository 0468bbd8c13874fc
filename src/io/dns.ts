import * as dnsp from 'node:dns/promises';
import type { Op } from '../core/op.js';
import { wait } from './promise.js';

export interface LookupAddress {
  address: string;
  family: number;
}

/**
 * Resolve `host` like the OS resolver does (getaddrinfo: /etc/hosts, nsswitch, then DNS),
 * blocking the calling tasklet. Returns the first address, or all of them with `{ all: true }`.
 * Raises Node's error (code ENOTFOUND...) on failure. (getaddrinfo runs on libuv's thread
 * pool, 4 threads by default: many slow lookups queue up; set UV_THREADPOOL_SIZE.)
 */
export function lookup(host: string, options?: { family?: 0 | 4 | 6 }): Op<LookupAddress>;
export function lookup(host: string, options: { family?: 0 | 4 | 6; all: true }): Op<LookupAddress[]>;
export function lookup(host: string, options?: { family?: 0 | 4 | 6; all?: boolean }): Op<LookupAddress | LookupAddress[]> {
  const family = options?.family ?? 0;
  if (options?.all === true) return wait(dnsp.lookup(host, { family, all: true }));
  return wait(dnsp.lookup(host, { family }));
}
