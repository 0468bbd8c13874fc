import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConnectionList, type Linked } from '../../src/http/connection-list.js';

class Entry implements Linked<Entry> {
  listPrev: Entry | null = null;
  listNext: Entry | null = null;
  listed = false;
  constructor(readonly id: number) {}
}

describe('ConnectionList (the server\'s open connections)', () => {
  it('property: any sequence of adds and removes matches a Set, and removed entries keep no links', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(15)), { maxLength: 200 }), (ops) => {
        const list = new ConnectionList<Entry>();
        const model = new Set<Entry>();
        const entries = Array.from({ length: 16 }, (_, i) => new Entry(i));
        for (const [add, i] of ops) {
          const e = entries[i]!;
          if (add) {
            if (model.has(e)) assert.throws(() => list.add(e), /already listed/);
            else {
              list.add(e);
              model.add(e);
            }
          } else {
            assert.equal(list.remove(e), model.delete(e));
            assert.equal(e.listPrev, null);
            assert.equal(e.listNext, null);
            assert.equal(e.listed, false);
          }
          list.checkInvariants();
          assert.equal(list.size, model.size);
          assert.deepEqual(new Set(list.toArray()), model);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('toArray() is a snapshot: removing entries while iterating it visits every entry once', () => {
    const list = new ConnectionList<Entry>();
    const es = Array.from({ length: 5 }, (_, i) => new Entry(i));
    for (const e of es) list.add(e);
    const seen: number[] = [];
    for (const e of list.toArray()) {
      seen.push(e.id);
      list.remove(es[(e.id + 1) % 5]!);
      list.remove(e);
    }
    assert.deepEqual(seen.sort(), [0, 1, 2, 3, 4]);
    assert.equal(list.size, 0);
    list.checkInvariants();
  });
});
