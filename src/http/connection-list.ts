import { InternalError } from '../core/errors.js';

/** What the list links: its two link fields belong to the list (writer: ConnectionList only). */
export interface Linked<T> {
  /** @internal Writer: ConnectionList. */
  listPrev: T | null;
  /** @internal Writer: ConnectionList. */
  listNext: T | null;
  /** @internal Writer: ConnectionList. True while in a list. */
  listed: boolean;
}

/**
 * The server's open connections, as an intrusive doubly-linked list: add and remove are
 * O(1) and allocate nothing, and a removed entry keeps no link to the others.
 *
 * Why not a Set: with a new connection per request, V8 rehashes a Set's table every few
 * hundred add/delete pairs, and a replaced table that was promoted to the old generation
 * keeps pointers to young connections until the next full GC. Every young object reachable
 * from them (tasklet, generators, socket, buffers) then survives scavenges and is promoted:
 * measured on the benchmark server, 3x the bytes surviving each scavenge and 3x the bytes
 * promoted per request, and 4x the GC pause time per request (docs/http.md, "Performance").
 *
 * Invariants:
 *  - `head` … following `listNext` visits exactly the listed entries, `size` of them, each
 *    `listPrev` pointing back; `head.listPrev` is null, the last entry's `listNext` is null.
 *  - an entry not in the list has both links null and `listed` false.
 */
export class ConnectionList<T extends Linked<T>> {
  private head: T | null = null;
  size = 0;

  /** Caller: the owning server. Requires: `x` is in no list. */
  add(x: T): void {
    if (x.listed) throw new InternalError('ConnectionList.add: already listed');
    const h = this.head;
    x.listNext = h;
    x.listPrev = null;
    if (h !== null) h.listPrev = x;
    this.head = x;
    x.listed = true;
    this.size++;
  }

  /** Remove `x`; false if it was not listed. Caller: the owning server. */
  remove(x: T): boolean {
    if (!x.listed) return false;
    const p = x.listPrev;
    const n = x.listNext;
    if (p === null) this.head = n;
    else p.listNext = n;
    if (n !== null) n.listPrev = p;
    x.listPrev = null;
    x.listNext = null;
    x.listed = false;
    this.size--;
    return true;
  }

  /** The entries now, as an array: safe to iterate while entries are removed. */
  toArray(): T[] {
    const out: T[] = [];
    for (let x = this.head; x !== null; x = x.listNext) out.push(x);
    return out;
  }

  checkInvariants(): void {
    let n = 0;
    let prev: T | null = null;
    for (let x = this.head; x !== null; x = x.listNext) {
      if (!x.listed) throw new InternalError('ConnectionList: an entry in the list is not marked listed');
      if (x.listPrev !== prev) throw new InternalError('ConnectionList: back link broken');
      prev = x;
      if (++n > this.size) throw new InternalError('ConnectionList: more entries than size (a cycle?)');
    }
    if (n !== this.size) throw new InternalError(`ConnectionList: size ${this.size}, ${n} entries`);
  }
}
