/**
 * The pickle wire format, version 2: constants shared by the encoder, the scanner and the
 * decoder. See docs/pickling.md ("Format") for the grammar.
 *
 *   pickle  = magic "SLP" · version u8 · flags u8 · codeTable · value · [hmac 32 bytes]
 *   codeTable = varint n · n × (string fnId · string codeHash)
 *   value   = tag u8 · inline data · child values (pre-order)
 *
 * Every object node gets the next id (0, 1, 2, ...) in stream order; `REF id` points back to
 * it, which is how sharing and cycles survive. Strings are interned: `STR` adds to the string
 * table, `STRREF` repeats one.
 */

export const MAGIC0 = 0x53; // 'S'
export const MAGIC1 = 0x4c; // 'L'
export const MAGIC2 = 0x50; // 'P'
/**
 * Version written. 2 added the array-with-names tag, the tasklet subclass bit and the
 * module-level compiled-function kind; a version 1 pickle is a valid version 2 pickle, so
 * both are read. A pickle of a newer version is refused by version, never as "corrupted".
 */
export const FORMAT_VERSION = 2;
/** Oldest version this reader accepts. */
export const OLDEST_READ_VERSION = 1;
export const HEADER_SIZE = 5;
export const MAC_SIZE = 32;

/** Header flag bits. */
export const FLAG_SIGNED = 1;

/** Value tags. Tags >= SMALL_INT encode the integers 0..(255 - SMALL_INT) in one byte. */
export const enum Tag {
  UNDEFINED = 0,
  NULL = 1,
  FALSE = 2,
  TRUE = 3,
  /** zigzag varint: an integer with |n| <= 2^53 */
  INT = 4,
  FLOAT = 5,
  NAN = 6,
  NEG_ZERO = 7,
  POS_INF = 8,
  NEG_INF = 9,
  /** sign u8 · varint byte count · magnitude bytes (little endian) */
  BIGINT = 10,
  /** varint byte length · utf8; appended to the string table */
  STR = 11,
  /** varint index into the string table */
  STR_REF = 12,
  /** varint object id */
  REF = 13,
  /** varint length · elements (HOLES runs inside) */
  ARRAY = 14,
  /** varint run length: that many missing elements (only inside ARRAY) */
  HOLES = 15,
  /** varint n · n × (string key · value) */
  OBJECT = 16,
  /** same, with a null prototype */
  NULL_OBJECT = 17,
  /** float64 time value */
  DATE = 18,
  /** string source · string flags */
  REGEXP = 19,
  /** varint n · n × (key · value) */
  MAP = 20,
  /** varint n · n × value */
  SET = 21,
  /** u8 bits (HAS_STACK, HAS_CAUSE) · string class · message · [stack] · [cause] · varint n · n × (string key · value) */
  ERROR = 22,
  /** varint byteLength · bytes */
  ARRAY_BUFFER = 23,
  /** u8 kind · varint byteOffset · varint length · buffer value */
  TYPED_ARRAY = 24,
  /** varint length · bytes (a Node Buffer, copied out of its pool) */
  BUFFER = 25,
  /** string class name · state value (registered classes) */
  CLASS = 26,
  /** varint code index · varint n · n × (string key · value): a compiled frame's state */
  FRAME = 27,
  /** varint code index · env value: a compiled closure */
  CLOSURE = 28,
  /**
   * u8 bits (status, atomic, blockTrap, hasName, hasEntry, subclass) · [string class name] ·
   * [name] · tempval · frames · [entry fn · entry args] · [channel] · [subclass fields object]
   */
  TASKLET = 29,
  /** u8 bits (preference, scheduleAll, closing, senders, hasName) · [name] · queue array */
  CHANNEL = 30,
  /** u8 kind · (FN_FUNCTION / FN_CLASS: string name | FN_COMPILED: varint code index) */
  FUNCTION = 31,
  /** u8 mode · [result value]: an operation a compiled frame is suspended in */
  OPERATION = 32,
  /**
   * An array with named (non-index) own properties: varint length · varint n · elements
   * (HOLES runs inside) · n × (string key · value). Plain arrays use ARRAY.
   */
  ARRAY_PROPS = 33,
  SMALL_INT = 64,
}

export const SMALL_INT_MAX = 255 - Tag.SMALL_INT;

/** ERROR bits. */
export const ERR_HAS_STACK = 1;
export const ERR_HAS_CAUSE = 2;

/** TASKLET bits: status in the low 2 bits. */
export const T_NEW = 0;
export const T_PAUSED = 1;
export const T_BLOCKED = 2;
export const T_DEAD = 3;
export const T_STATUS_MASK = 3;
export const T_ATOMIC = 4;
export const T_BLOCK_TRAP = 8;
export const T_HAS_NAME = 16;
export const T_HAS_ENTRY = 32;
/** An instance of a registered Tasklet subclass: class name inline, its own fields last. */
export const T_SUBCLASS = 64;

/** CHANNEL bits: preference + 1 in the low 2 bits. */
export const C_PREF_MASK = 3;
export const C_SCHEDULE_ALL = 4;
export const C_CLOSING = 8;
export const C_SENDERS = 16;
export const C_HAS_NAME = 32;

/** FUNCTION kinds. */
export const FN_FUNCTION = 0;
export const FN_CLASS = 1;
/** A module-level compiled generator function (FUNCTION_DATA), by code-table index. */
export const FN_COMPILED = 2;

/** OPERATION modes. */
export const OP_RESUME_VALUE = 0;
export const OP_RESUME_VOID = 1;
export const OP_DONE = 2;

/** TYPED_ARRAY kinds, in this order. */
export const TYPED_ARRAY_KINDS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
] as const;
export type TypedArrayKind = (typeof TYPED_ARRAY_KINDS)[number];

/** `k` is an array index (a canonical uint32 below 2^32 - 1): ARRAY_PROPS names are never one. */
export function isArrayIndex(k: string): boolean {
  const n = Number(k);
  return n >>> 0 === n && n !== 0xffffffff && String(n) === k;
}
