/**
 * A growable byte buffer with the primitive encodings of the pickle format: LEB128 varints,
 * zigzag integers, float64 (little endian) and UTF-8 strings. Caller: the encoder.
 */
export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView | null = null;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  /** Start again from byte 0, keeping the buffer (writers are reused between pickles). */
  reset(): void {
    this.pos = 0;
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = null;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint for 0 <= n <= 2^53. */
  varint(n: number): void {
    this.ensure(8);
    const buf = this.buf;
    let p = this.pos;
    while (n >= 0x80) {
      buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[p++] = n;
    this.pos = p;
  }

  /** Zigzag varint for a safe integer. */
  zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  float64(x: number): void {
    this.ensure(8);
    if (this.view === null) this.view = new DataView(this.buf.buffer);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** varint byte length, then UTF-8. ASCII strings take the fast path. */
  string(s: string): void {
    const n = s.length;
    let ascii = n < 128;
    if (ascii) {
      for (let i = 0; i < n; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
    }
    if (ascii) {
      this.ensure(n + 1);
      const buf = this.buf;
      let p = this.pos;
      buf[p++] = n;
      for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
      this.pos = p;
      return;
    }
    const encoded = encoder.encode(s);
    this.varint(encoded.length);
    this.bytes(encoded);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const encoder = new TextEncoder();
