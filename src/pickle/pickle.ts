import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import type { Tasklet } from '../core/tasklet.js';
import { readCodeIds, readCodeTable, writeCodeTable } from './code-table.js';
import { Decoder } from './decoder.js';
import { Encoder } from './encoder.js';
import { FLAG_SIGNED, FORMAT_VERSION, HEADER_SIZE, MAC_SIZE, MAGIC0, MAGIC1, MAGIC2, OLDEST_READ_VERSION } from './format.js';
import { findPath } from './path.js';
import { PickleError } from './pickle-error.js';
import { Refusal } from './refusal.js';
import { scan } from './scanner.js';
import { mac, verifyMac, type PickleKey } from './signing.js';

export interface PickleOptions {
  /** Sign the pickle with HMAC-SHA256 under this key. */
  readonly key?: PickleKey;
}

export interface UnpickleOptions {
  /** Require a pickle signed with this key; unsigned or tampered input is rejected. */
  readonly key?: PickleKey;
}

/**
 * Serialize `value` and everything it reaches (tasklets, channels, compiled frames and
 * closures, and ordinary data with sharing and cycles) to bytes. Raises PickleError naming
 * the first thing that cannot be pickled and its path.
 */
export function pickle(value: unknown, options?: PickleOptions): Uint8Array {
  // Reuse one encoder (and its buffers) between calls; a nested pickle() (from a reduce())
  // gets its own.
  const enc = spare ?? new Encoder();
  spare = null;
  try {
    return encodeWith(enc, value, options);
  } finally {
    if (enc.w.buf.length <= 1 << 20) {
      enc.reset();
      spare = enc;
    }
  }
}

let spare: Encoder | null = null;
const head = new ByteWriter(128);

function encodeWith(enc: Encoder, value: unknown, options: PickleOptions | undefined): Uint8Array {
  try {
    enc.encode(value);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    const path = findPath(value, e.value);
    throw new PickleError(`cannot pickle ${e.what} at ${path}: ${e.hint}`, path);
  }
  const body = enc.w;
  const key = options?.key;
  head.reset();
  head.byte(MAGIC0);
  head.byte(MAGIC1);
  head.byte(MAGIC2);
  head.byte(FORMAT_VERSION);
  head.byte(key === undefined ? 0 : FLAG_SIGNED);
  writeCodeTable(head, enc.codes);
  const len = head.pos + body.pos;
  const out = new Uint8Array(len + (key === undefined ? 0 : MAC_SIZE));
  out.set(head.buf.subarray(0, head.pos));
  out.set(body.buf.subarray(0, body.pos), head.pos);
  if (key !== undefined) out.set(mac(key, out.subarray(0, len)), len);
  return out;
}

/**
 * Rebuild a value from pickle() bytes. Tasklets come back alive and paused (insert() or run()
 * them); tasklets that were blocked on a pickled channel are blocked in the new channel, in
 * their order. Runs no code but registered revivers (classes, compiled functions), and only
 * after the whole input has been checked.
 */
export function unpickle(bytes: Uint8Array, options?: UnpickleOptions): unknown {
  return decodeWith(bytes, options).decode();
}

/**
 * unpickle(), also returning every tasklet the pickle held, in the order they appear in it.
 * Caller: the resume CLI (resume-cli.ts).
 */
export function unpickleWithTasklets(bytes: Uint8Array, options?: UnpickleOptions): { value: unknown; tasklets: Tasklet[] } {
  const dec = decodeWith(bytes, options);
  const value = dec.decode();
  return { value, tasklets: dec.restoredTasklets() };
}

/**
 * The compiled function ids a pickle needs (its code table), after checking its header and,
 * with a key, its signature; nothing is checked against the loaded code. Caller: the resume
 * CLI, to import the modules before unpickling.
 */
export function pickleFunctionIds(bytes: Uint8Array, options?: UnpickleOptions): string[] {
  const { r } = open(bytes, options);
  return readCodeIds(r);
}

/** Check magic, version, flags and signature; a reader over the code table and body. Caller: decodeWith, pickleFunctionIds. */
function open(bytes: Uint8Array, options: UnpickleOptions | undefined): { r: ByteReader; end: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('unpickle(bytes) needs a Uint8Array (or Buffer)');
  if (bytes.length < HEADER_SIZE || bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1 || bytes[2] !== MAGIC2)
    throw new PickleError('not a stackless pickle (bad magic bytes): was it truncated or made by something else?');
  const version = bytes[3]!;
  if (version < OLDEST_READ_VERSION || version > FORMAT_VERSION)
    throw new PickleError(`pickle format version ${version} is not supported by this stackless (it reads versions ${OLDEST_READ_VERSION} to ${FORMAT_VERSION})`);
  const flags = bytes[4]!;
  if ((flags & ~FLAG_SIGNED) !== 0) throw new PickleError(`corrupted pickle: unknown header flags ${flags}`);
  const signed = (flags & FLAG_SIGNED) !== 0;
  const key = options?.key;
  let end = bytes.length;
  if (key !== undefined) {
    if (!signed) throw new PickleError('unpickle: the pickle is not signed, but a key was given: refusing unsigned input');
    if (bytes.length < HEADER_SIZE + MAC_SIZE || !verifyMac(key, bytes))
      throw new PickleError('unpickle: signature mismatch: the pickle was tampered with, truncated, or signed with another key');
    end -= MAC_SIZE;
  } else if (signed) {
    throw new PickleError('unpickle: the pickle is signed: pass the key ({ key }) to verify it');
  }
  return { r: new ByteReader(bytes, HEADER_SIZE, end), end };
}

/** A decoder over a checked body. Caller: unpickle(), unpickleWithTasklets(). */
function decodeWith(bytes: Uint8Array, options: UnpickleOptions | undefined): Decoder {
  const { r: scanReader, end } = open(bytes, options);
  const code = readCodeTable(scanReader);
  const bodyStart = scanReader.pos;
  const { strings } = scan(scanReader, code);
  return new Decoder(new ByteReader(bytes, bodyStart, end), strings, code);
}
