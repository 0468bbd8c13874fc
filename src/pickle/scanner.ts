import { ByteReader } from './byte-reader.js';
import {
  C_HAS_NAME,
  C_PREF_MASK,
  ERR_HAS_CAUSE,
  ERR_HAS_STACK,
  FN_CLASS,
  FN_COMPILED,
  FN_FUNCTION,
  isArrayIndex,
  OP_DONE,
  T_BLOCKED,
  T_HAS_ENTRY,
  T_HAS_NAME,
  T_STATUS_MASK,
  T_SUBCLASS,
  Tag,
  TYPED_ARRAY_KINDS,
} from './format.js';
import { PickleError } from './pickle-error.js';
import { classNamed, functionNamed } from './registry.js';
import type { LoadedCode } from './code-table.js';

const GENERIC = 0;
const ARRAY = 1;
const KEYED = 2;
/** The named properties of an ARRAY_PROPS: keys must not be indices or "length". */
const ARRAY_KEYED = 3;


/**
 * Check a pickle body's structure before anything is built: every tag known, every length
 * inside the data, every REF/STR_REF pointing backwards, object keys are strings, every
 * class and function name registered, every frame's code loaded, nothing after the end.
 * Returns the string table (the decoder reuses it) and the number of object ids.
 * So a truncated or corrupted pickle is refused before any reviver runs. Caller: unpickle().
 */
export function scan(r: ByteReader, code: readonly LoadedCode[]): { strings: string[]; ids: number } {
  return new Scanner(r, code).run();
}

class Scanner {
  readonly strings: string[] = [];
  ids = 0;
  constructor(
    private readonly r: ByteReader,
    private readonly code: readonly LoadedCode[],
  ) {}

  private bad(what: string): never {
    throw new PickleError(`corrupted pickle: ${what} at byte ${this.r.pos}`);
  }

  private inlineStr(): string {
    const r = this.r;
    const t = r.byte();
    if (t === Tag.STR) {
      const s = r.string();
      this.strings.push(s);
      return s;
    }
    if (t === Tag.STR_REF) {
      const i = r.varint();
      if (i >= this.strings.length) this.bad('a string reference out of range');
      return this.strings[i]!;
    }
    return this.bad(`tag ${t} where a string was expected`);
  }

  private rem: number[] = [1];
  private kinds: number[] = [GENERIC];

  private open(n: number, kind: number): void {
    if (n > 0xffffffff) this.bad('an impossible length');
    this.rem.push(n);
    this.kinds.push(kind);
  }

  private codeAt(what: 'reviveFrame' | 'reviveClosure'): void {
    const i = this.r.varint();
    const c = this.code[i];
    if (c === undefined) return this.bad('a code index out of range');
    if (typeof c.info[what] !== 'function')
      throw new PickleError(`compiled function ${c.fnId} cannot be revived here: it has no ${what} (the compiler's registration lacks it)`);
  }

  run(): { strings: string[]; ids: number } {
    const r = this.r;
    const rem = this.rem;
    const kinds = this.kinds;
    while (rem.length > 0) {
      const top = rem.length - 1;
      if (rem[top] === 0) {
        rem.pop();
        kinds.pop();
        continue;
      }
      const kind = kinds[top]!;
      if ((kind === KEYED || kind === ARRAY_KEYED) && rem[top]! % 2 === 0) {
        rem[top]!--;
        const k = this.inlineStr();
        if (kind === ARRAY_KEYED && (k === 'length' || isArrayIndex(k))) this.bad(`an array property named ${JSON.stringify(k)}`);
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
          if (sign > 1) this.bad('a bigint sign');
          r.skip(r.varint());
          break;
        }
        case Tag.STR:
          this.strings.push(r.string());
          break;
        case Tag.STR_REF:
          if (r.varint() >= this.strings.length) this.bad('a string reference out of range');
          break;
        case Tag.REF:
          if (r.varint() >= this.ids) this.bad('an object reference out of range');
          break;
        case Tag.ARRAY:
          this.ids++;
          this.open(r.varint(), ARRAY);
          break;
        case Tag.ARRAY_PROPS: {
          this.ids++;
          const n = r.varint();
          const names = r.varint();
          if (names === 0) this.bad('an array with an empty property list');
          this.open(2 * names, ARRAY_KEYED);
          this.open(n, ARRAY);
          break;
        }
        case Tag.HOLES: {
          const n = r.varint();
          if (kind !== ARRAY || n < 1 || n - 1 > rem[top]!) this.bad('a run of holes outside an array');
          rem[top]! -= n - 1;
          break;
        }
        case Tag.OBJECT:
        case Tag.NULL_OBJECT:
          this.ids++;
          this.open(2 * r.varint(), KEYED);
          break;
        case Tag.DATE:
          this.ids++;
          r.float64();
          break;
        case Tag.REGEXP: {
          this.ids++;
          const source = this.inlineStr();
          const flags = this.inlineStr();
          try {
            new RegExp(source, flags);
          } catch {
            this.bad('an invalid regular expression');
          }
          break;
        }
        case Tag.MAP:
          this.ids++;
          this.open(2 * r.varint(), GENERIC);
          break;
        case Tag.SET:
          this.ids++;
          this.open(r.varint(), GENERIC);
          break;
        case Tag.ERROR: {
          this.ids++;
          const bits = r.byte();
          const name = this.inlineStr();
          const e = classNamed(name);
          if (e === undefined || !e.isError)
            throw new PickleError(`unpickle: error class "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
          this.open(2 + (bits & ERR_HAS_STACK ? 1 : 0) + (bits & ERR_HAS_CAUSE ? 1 : 0), GENERIC);
          break;
        }
        case Tag.ARRAY_BUFFER:
        case Tag.BUFFER:
          this.ids++;
          r.skip(r.varint());
          break;
        case Tag.TYPED_ARRAY:
          this.ids++;
          if (r.byte() >= TYPED_ARRAY_KINDS.length) this.bad('an unknown typed array kind');
          r.varint();
          r.varint();
          this.open(1, GENERIC);
          break;
        case Tag.CLASS: {
          this.ids++;
          const name = this.inlineStr();
          const e = classNamed(name);
          if (e === undefined || e.isError)
            throw new PickleError(`unpickle: class "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
          this.open(1, GENERIC);
          break;
        }
        case Tag.FRAME:
          this.ids++;
          this.codeAt('reviveFrame');
          this.open(2 * r.varint(), KEYED);
          break;
        case Tag.CLOSURE:
          this.ids++;
          this.codeAt('reviveClosure');
          this.open(1, GENERIC);
          break;
        case Tag.TASKLET: {
          this.ids++;
          const bits = r.byte();
          if (bits >= 128) this.bad('unknown tasklet flags');
          if (bits & T_SUBCLASS) {
            const name = this.inlineStr();
            const e = classNamed(name);
            if (e === undefined || !e.isTasklet)
              throw new PickleError(`unpickle: Tasklet subclass "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
          }
          this.open(
            (bits & T_HAS_NAME ? 1 : 0) + 2 + (bits & T_HAS_ENTRY ? 2 : 0) + ((bits & T_STATUS_MASK) === T_BLOCKED ? 1 : 0) + (bits & T_SUBCLASS ? 1 : 0),
            GENERIC,
          );
          break;
        }
        case Tag.CHANNEL: {
          this.ids++;
          const bits = r.byte();
          if (bits >= 64 || (bits & C_PREF_MASK) === 3) this.bad('unknown channel flags');
          this.open((bits & C_HAS_NAME ? 1 : 0) + 1, GENERIC);
          break;
        }
        case Tag.FUNCTION: {
          const kind = r.byte();
          if (kind === FN_COMPILED) {
            const i = r.varint();
            const c = this.code[i];
            if (c === undefined) this.bad('a code index out of range');
            if (typeof c.info.fn !== 'function')
              throw new PickleError(
                `unpickle: compiled function ${c.fnId} is loaded but not as a module-level function value (its registration has no fn): ` +
                  'an unstarted tasklet cannot be bound to it here',
              );
            break;
          }
          const name = this.inlineStr();
          if (kind === FN_FUNCTION) {
            if (functionNamed(name) === undefined)
              throw new PickleError(`unpickle: function "${name}" is not registered in this process: call registerFunction(fn, ${JSON.stringify(name)}) before unpickling`);
          } else if (kind === FN_CLASS) {
            if (classNamed(name) === undefined)
              throw new PickleError(`unpickle: class "${name}" is not registered in this process: call registerClass(${name}) before unpickling`);
          } else this.bad('an unknown function kind');
          break;
        }
        case Tag.OPERATION: {
          this.ids++;
          const mode = r.byte();
          if (mode > OP_DONE) this.bad('an unknown operation mode');
          if (mode === OP_DONE) this.open(1, GENERIC);
          break;
        }
        default:
          this.bad(`unknown tag ${tag}`);
      }
    }

    if (r.pos !== r.end) this.bad(`${r.end - r.pos} bytes after the end of the value`);
    return { strings: this.strings, ids: this.ids };
  }
}
