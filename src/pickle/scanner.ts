import { ByteReader } from './byte-reader.js';
import { FN_CLASS, FN_FUNCTION, OP_DONE, Tag, TYPED_ARRAY_KINDS, T_BLOCKED, T_HAS_ENTRY, T_HAS_NAME, T_STATUS_MASK, C_HAS_NAME, ERR_HAS_CAUSE, ERR_HAS_STACK, C_PREF_MASK } from './format.js';
import { PickleError } from './pickle-error.js';
import { classNamed, functionNamed } from './registry.js';
import type { LoadedCode } from './code-table.js';

const GENERIC = 0;
const ARRAY = 1;
const KEYED = 2;

/**
 * Check a pickle body's structure before anything is built: every tag known, every length
 * inside the data, every REF/STR_REF pointing backwards, object keys are strings, every
 * class and function name registered, every frame's code loaded, nothing after the end.
 * Returns the string table (the decoder reuses it) and the number of object ids.
 * So a truncated or corrupted pickle is refused before any reviver runs. Caller: unpickle().
 */
export function scan(r: ByteReader, code: readonly LoadedCode[]): { strings: string[]; ids: number } {
  const strings: string[] = [];
  let ids = 0;
  const rem: number[] = [1];
  const kinds: number[] = [GENERIC];
  const bad = (what: string): never => {
    throw new PickleError(`corrupted pickle: ${what} at byte ${r.pos}`);
  };
  const inlineStr = (): string => {
    const t = r.byte();
    if (t === Tag.STR) {
      const s = r.string();
      strings.push(s);
      return s;
    }
    if (t === Tag.STR_REF) {
      const i = r.varint();
      if (i >= strings.length) bad('a string reference out of range');
      return strings[i]!;
    }
    return bad(`tag ${t} where a string was expected`);
  };
  const open = (n: number, kind: number): void => {
    if (n > 0xffffffff) bad('an impossible length');
    rem.push(n);
    kinds.push(kind);
  };
  const codeAt = (what: 'reviveFrame' | 'reviveClosure'): void => {
    const i = r.varint();
    const c = code[i];
    if (c === undefined) bad('a code index out of range');
    if (typeof c!.info[what] !== 'function')
      throw new PickleError(`compiled function ${c!.fnId} cannot be revived here: it has no ${what} (the compiler's registration lacks it)`);
  };

  while (rem.length > 0) {
    const top = rem.length - 1;
    if (rem[top] === 0) {
      rem.pop();
      kinds.pop();
      continue;
    }
    const kind = kinds[top]!;
    if (kind === KEYED && rem[top]! % 2 === 0) {
      rem[top]!--;
      inlineStr();
      continue;
    }
    rem[top]!--;
    const tag = r.byte();
    if (tag >= Tag.SMALL_INT) continue;
    switch (tag) {
      case Tag.UNDEFINED:
      case Tag.NULL:
      case Tag.FALSE:
      case Tag.TRUE:
      case Tag.NAN:
      case Tag.NEG_ZERO:
      case Tag.POS_INF:
      case Tag.NEG_INF:
        break;
      case Tag.INT:
        r.zigzag();
        break;
      case Tag.FLOAT:
        r.float64();
        break;
      case Tag.BIGINT: {
        const sign = r.byte();
        if (sign > 1) bad('a bigint sign');
        r.bytes(r.varint());
        break;
      }
      case Tag.STR:
        strings.push(r.string());
        break;
      case Tag.STR_REF:
        if (r.varint() >= strings.length) bad('a string reference out of range');
        break;
      case Tag.REF:
        if (r.varint() >= ids) bad('an object reference out of range');
        break;
      case Tag.ARRAY:
        ids++;
        open(r.varint(), ARRAY);
        break;
      case Tag.HOLES: {
        const n = r.varint();
        if (kind !== ARRAY || n < 1 || n - 1 > rem[top]!) bad('a run of holes outside an array');
        rem[top]! -= n - 1;
        break;
      }
      case Tag.OBJECT:
      case Tag.NULL_OBJECT:
        ids++;
        open(2 * r.varint(), KEYED);
        break;
      case Tag.DATE:
        ids++;
        r.float64();
        break;
      case Tag.REGEXP: {
        ids++;
        const source = inlineStr();
        const flags = inlineStr();
        try {
          new RegExp(source, flags);
        } catch {
          bad('an invalid regular expression');
        }
        break;
      }
      case Tag.MAP:
        ids++;
        open(2 * r.varint(), GENERIC);
        break;
      case Tag.SET:
        ids++;
        open(r.varint(), GENERIC);
        break;
      case Tag.ERROR: {
        ids++;
        const bits = r.byte();
        const name = inlineStr();
        const e = classNamed(name);
        if (e === undefined || !e.isError)
          throw new PickleError(`unpickle: error class "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
        open(2 + (bits & ERR_HAS_STACK ? 1 : 0) + (bits & ERR_HAS_CAUSE ? 1 : 0), GENERIC);
        break;
      }
      case Tag.ARRAY_BUFFER:
      case Tag.BUFFER:
        ids++;
        r.bytes(r.varint());
        break;
      case Tag.TYPED_ARRAY:
        ids++;
        if (r.byte() >= TYPED_ARRAY_KINDS.length) bad('an unknown typed array kind');
        r.varint();
        r.varint();
        open(1, GENERIC);
        break;
      case Tag.CLASS: {
        ids++;
        const name = inlineStr();
        const e = classNamed(name);
        if (e === undefined || e.isError)
          throw new PickleError(`unpickle: class "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
        open(1, GENERIC);
        break;
      }
      case Tag.FRAME:
        ids++;
        codeAt('reviveFrame');
        open(2 * r.varint(), KEYED);
        break;
      case Tag.CLOSURE:
        ids++;
        codeAt('reviveClosure');
        open(1, GENERIC);
        break;
      case Tag.TASKLET: {
        ids++;
        const bits = r.byte();
        if (bits >= 64) bad('unknown tasklet flags');
        open((bits & T_HAS_NAME ? 1 : 0) + 2 + (bits & T_HAS_ENTRY ? 2 : 0) + ((bits & T_STATUS_MASK) === T_BLOCKED ? 1 : 0), GENERIC);
        break;
      }
      case Tag.CHANNEL: {
        ids++;
        const bits = r.byte();
        if (bits >= 64 || (bits & C_PREF_MASK) === 3) bad('unknown channel flags');
        open((bits & C_HAS_NAME ? 1 : 0) + 1, GENERIC);
        break;
      }
      case Tag.FUNCTION: {
        const kind = r.byte();
        const name = inlineStr();
        if (kind === FN_FUNCTION) {
          if (functionNamed(name) === undefined)
            throw new PickleError(`unpickle: function "${name}" is not registered in this process: call registerFunction(fn, ${JSON.stringify(name)}) before unpickling`);
        } else if (kind === FN_CLASS) {
          if (classNamed(name) === undefined)
            throw new PickleError(`unpickle: class "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
        } else bad('an unknown function kind');
        break;
      }
      case Tag.OPERATION: {
        ids++;
        const mode = r.byte();
        if (mode > OP_DONE) bad('an unknown operation mode');
        if (mode === OP_DONE) open(1, GENERIC);
        break;
      }
      default:
        bad(`unknown tag ${tag}`);
    }
  }
  if (r.pos !== r.end) bad(`${r.end - r.pos} bytes after the end of the value`);
  return { strings, ids };
}
