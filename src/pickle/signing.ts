import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAC_SIZE } from './format.js';

/** A key for signing pickles: bytes or a string (UTF-8). */
export type PickleKey = Uint8Array | string;

/** HMAC-SHA256 of `data` under `key`. Caller: pickle(), unpickle(). */
export function mac(key: PickleKey, data: Uint8Array): Uint8Array {
  return createHmac('sha256', key).update(data).digest();
}

/** Constant-time check of the MAC at the end of `bytes`. Caller: unpickle(). */
export function verifyMac(key: PickleKey, bytes: Uint8Array): boolean {
  const body = bytes.subarray(0, bytes.length - MAC_SIZE);
  const given = bytes.subarray(bytes.length - MAC_SIZE);
  return timingSafeEqual(mac(key, body), given);
}
