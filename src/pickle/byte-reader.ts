import { PickleError } from './pickle-error.js';

/**
 * Bounds-checked reads of the pickle format's primitive encodings. Every read that would run
 * past the end raises PickleError ("truncated"), so corrupted input never reads garbage.
 * Caller: the scanner and the decoder.
 */
export class ByteReader {
  pos: number;
  private view: DataView | null = null;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  truncated(what: string): never {
    throw new PickleError(`corrupted or truncated pickle: ${what} runs past the end of the data (byte ${this.pos} of ${this.end})`);
  }

  byte(): number {
    if (this.pos >= this.end) this.truncated('a tag');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) this.truncated('a number');
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (n > Number.MAX_SAFE_INTEGER) break;
        return n;
      }
      scale *= 0x80;
    }
    throw new PickleError(`corrupted pickle: malformed number at byte ${this.pos}`);
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  float64(): number {
    if (this.pos + 8 > this.end) this.truncated('a float');
    const buf = this.buf;
    if (this.view === null) this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) this.truncated(`${n} bytes of binary data`);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Skip `n` bytes (checked). */
  skip(n: number): void {
    if (this.pos + n > this.end) this.truncated(`${n} bytes of binary data`);
    this.pos += n;
  }

  string(): string {
    const n = this.varint();
    if (this.pos + n > this.end) this.truncated(`a ${n}-byte string`);
    const buf = this.buf;
    const start = this.pos;
    this.pos += n;
    if (n <= 64) {
      let s = '';
      let i = start;
      for (; i < start + n; i++) {
        const b = buf[i]!;
        if (b >= 0x80) break;
        s += String.fromCharCode(b);
      }
      if (i === start + n) return s;
    }
    try {
      return decoder.decode(buf.subarray(start, start + n));
    } catch {
      throw new PickleError(`corrupted pickle: invalid UTF-8 in a string at byte ${start}`);
    }
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
