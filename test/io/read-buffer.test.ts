import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ReadBuffer } from '../../src/io/read-buffer.js';

/** One step against a ReadBuffer and a plain Buffer holding the same bytes. */
type Step = { push: number[] } | { take: number } | { find: number[]; from: number } | { clear: true };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ push: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }) }),
  fc.record({ take: fc.nat(20) }),
  fc.record({ find: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), from: fc.nat(20) }),
  fc.constant({ clear: true as const }),
);

describe('ReadBuffer (the chunk list behind every socket read)', () => {
  it('push/take/indexOf/clear behave like one concatenated buffer, including delimiters across chunk seams', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const b = new ReadBuffer();
        let ref = Buffer.alloc(0);
        for (const s of steps) {
          if ('push' in s) {
            b.push(Buffer.from(s.push));
            ref = Buffer.concat([ref, Buffer.from(s.push)]);
          } else if ('take' in s) {
            const n = Math.min(s.take, ref.length);
            assert.deepEqual([...b.take(n)], [...ref.subarray(0, n)]);
            ref = ref.subarray(n);
          } else if ('find' in s) {
            const d = Buffer.from(s.find);
            const expected = ref.indexOf(d, s.from);
            assert.equal(b.indexOf(d, s.from), s.from > ref.length ? -1 : expected);
          } else {
            b.clear();
            ref = Buffer.alloc(0);
          }
          assert.equal(b.length, ref.length);
          b.checkInvariants();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a chunk taken whole is handed out without copying; an emptied buffer can be filled again', () => {
    const b = new ReadBuffer();
    const c = Buffer.from('abc');
    b.push(c);
    assert.equal(b.take(3), c);
    assert.equal(b.length, 0);
    b.push(Buffer.from('de'));
    b.push(Buffer.from('f'));
    assert.equal(b.take(3).toString(), 'def');
    b.checkInvariants();
  });
});
