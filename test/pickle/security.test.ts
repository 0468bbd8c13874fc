import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Channel, run, Tasklet } from 'stackless';
import { pickle, PickleError, registerClass, unpickle } from 'stackless/pickle';
import { compiledFunctions } from '../../src/compiler/contract.js';
import { useCleanScheduler } from '../support/harness.js';
import { counter, greeter, server } from './support/compiled.js';

let revives = 0;
class Counted {
  constructor(readonly v: number) {}
}
registerClass(Counted, {
  name: 'test.security.Counted',
  reduce: (c) => c.v,
  revive: (v: number) => {
    revives++;
    return new Counted(v);
  },
});

/** A pickle exercising most node kinds: tasklets, a channel, a closure, classes, errors... */
function sample(): { bytes: Uint8Array; cleanup: () => void } {
  const ch = new Channel<unknown>();
  const srv = new Tasklet(server).setup(ch, []);
  run();
  const g = new Tasklet(greeter).setup('x', []);
  g.run();
  g.remove();
  const c = new Tasklet(counter).setup('c', 3, []);
  c.run();
  c.remove();
  const shared = { s: 1 };
  const bytes = pickle({
    ch,
    srv,
    g,
    c,
    data: [shared, shared, new Map([[1, new Set([2n])]]), new Date(0), /x/g, new Counted(7), new TypeError('e'), new Uint8Array([1, 2]), -0, 'ü', Object.assign([1, , 3], { tag: 'n' })],
  });
  return { bytes, cleanup: () => [srv, g, c].forEach((t) => t.kill()) };
}

function expectPickleError(f: () => unknown, message?: RegExp): PickleError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof PickleError, `expected PickleError, got ${String(e)}`);
    if (message !== undefined) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a PickleError');
}

describe('untrusted input', () => {
  useCleanScheduler();

  it('every truncation is refused with a clear error, before any reviver runs', () => {
    const { bytes, cleanup } = sample();
    cleanup();
    revives = 0;
    for (let n = 0; n < bytes.length; n++) expectPickleError(() => unpickle(bytes.subarray(0, n)));
    assert.equal(revives, 0, 'no revive() ran for a truncated pickle');
    assert.ok(unpickle(bytes));
    assert.equal(revives, 1);
  });

  it('bytes after the end, bad magic, unknown version, unknown flags', () => {
    const { bytes, cleanup } = sample();
    cleanup();
    expectPickleError(() => unpickle(Uint8Array.from([...bytes, 0])), /after the end/);
    expectPickleError(() => unpickle(Uint8Array.from([0, ...bytes.subarray(1)])), /not a stackless pickle/);
    const v2 = Uint8Array.from(bytes);
    v2[3] = 99;
    expectPickleError(() => unpickle(v2), /format version 99 is not supported by this stackless \(it reads versions 1 to 2\)/);
    v2[3] = 0;
    expectPickleError(() => unpickle(v2), /format version 0 is not supported/);
    assert.equal(bytes[3], 2, 'pickles are written as version 2');
    const v1 = Uint8Array.from(bytes);
    v1[3] = 1; // a version 1 pickle (this one uses nothing version 2 added) still reads
    assert.ok(unpickle(v1));
    const fl = Uint8Array.from(bytes);
    fl[4] = 0x80;
    expectPickleError(() => unpickle(fl), /unknown header flags/);
    assert.throws(() => unpickle('SLP' as never), TypeError);
  });

  it('property: corrupted bytes give a PickleError or a value, never another error or a hang', () => {
    const { bytes, cleanup } = sample();
    cleanup();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (flips) => {
        const b = Uint8Array.from(bytes);
        for (const [i, x] of flips) b[i] = x;
        try {
          unpickle(b);
        } catch (e) {
          assert.ok(e instanceof PickleError, `not a PickleError: ${String(e)} ${(e as Error).stack}`);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('unpickling never calls eval or Function', () => {
    const { bytes, cleanup } = sample();
    cleanup();
    const g = globalThis as Record<string, unknown>;
    const saved = { eval: g.eval, Function: g.Function };
    let called = 0;
    g.eval = () => {
      called++;
    };
    g.Function = function () {
      called++;
    };
    try {
      const r = unpickle(bytes) as { g: Tasklet };
      assert.equal(r.g.paused, true);
    } finally {
      g.eval = saved.eval;
      g.Function = saved.Function;
    }
    assert.equal(called, 0);
  });

  it('code versions: a changed hash names the module and function; missing code is named too', () => {
    const t = new Tasklet(counter).setup('v', 3, []);
    t.run();
    t.remove();
    const bytes = pickle(t);
    t.kill();
    const id = 'test/pickle/support/compiled.ts#counter';
    const info = compiledFunctions.get(id)!;
    try {
      compiledFunctions.set(id, { ...info, codeHash: 'changed1' });
      expectPickleError(
        () => unpickle(bytes),
        /code changed for function counter in module test\/pickle\/support\/compiled\.ts: the pickle was made by code version c0ffee01, this process has changed1/,
      );
      compiledFunctions.delete(id);
      expectPickleError(() => unpickle(bytes), /needs compiled function counter of module test\/pickle\/support\/compiled\.ts, which is not loaded/);
    } finally {
      compiledFunctions.set(id, info);
    }
    assert.equal((unpickle(bytes) as Tasklet).paused, true);
  });

  it('signed pickles: HMAC-SHA256 verified; unsigned, tampered and wrong-key input rejected', () => {
    const key = 'k3y';
    const v = { a: [1, 2, 3], s: 'secret' };
    const signed = pickle(v, { key });
    assert.deepEqual(unpickle(signed, { key }), v);
    assert.deepEqual(unpickle(signed, { key: Buffer.from(key) }), v, 'string and bytes keys agree');
    assert.equal(signed.length, pickle(v).length + 32);
    expectPickleError(() => unpickle(pickle(v), { key }), /not signed/);
    expectPickleError(() => unpickle(signed), /is signed: pass the key/);
    expectPickleError(() => unpickle(signed, { key: 'other' }), /signature mismatch/);
    for (let i = 5; i < signed.length; i += 3) {
      const b = Uint8Array.from(signed);
      b[i] ^= 1;
      expectPickleError(() => unpickle(b, { key }), /signature mismatch/);
    }
    expectPickleError(() => unpickle(signed.subarray(0, signed.length - 1), { key }), /signature mismatch/);
  });

  it('unregistered classes and functions in the input are refused by name before anything is built', () => {
    class Later {
      x = 1;
    }
    registerClass(Later, { name: 'test.security.Later' });
    const bytes = pickle({ l: new Later() });
    const tampered = Buffer.from(Buffer.from(bytes).toString('latin1').replace('test.security.Later', 'test.security.Lator'), 'latin1');
    expectPickleError(() => unpickle(tampered), /class "test.security.Lator" is not registered/);
  });
});

class Guarded extends Tasklet {
  _statux = 'field';
}
registerClass(Guarded, { name: 'test.security.Guarded' });

describe('crafted names cannot reach runtime state', () => {
  useCleanScheduler();
  const forge = (bytes: Uint8Array, from: string, to: string): Uint8Array => {
    const s = Buffer.from(bytes).toString('latin1');
    assert.ok(s.includes(from));
    return Buffer.from(s.replace(from, to), 'latin1');
  };

  it('an array property named "length" or like an index is refused before anything is built', () => {
    const bytes = pickle(Object.assign([1, 2], { lengtx: 5, x1: 0 }));
    assert.throws(() => unpickle(forge(bytes, 'lengtx', 'length')), { name: 'PickleError', message: /^corrupted pickle: an array property named "length" at byte \d+$/ });
    const notIndex = unpickle(forge(bytes, 'x1', '01')) as unknown[] & Record<string, unknown>;
    assert.equal(notIndex['01'], 0, '"01" is a name, not an index');
    assert.equal(notIndex.length, 2);
    const idx = pickle(Object.assign([1, 2], { x7: 0 }));
    assert.throws(() => unpickle(forge(idx, 'x7', '77')), { name: 'PickleError', message: /^corrupted pickle: an array property named "77"/ });
  });

  it('a Tasklet subclass field named like a runtime field is refused', () => {
    const bytes = pickle(new Guarded());
    assert.throws(() => unpickle(forge(bytes, '_statux', '_status')), {
      name: 'PickleError',
      message: 'corrupted pickle: a Tasklet subclass field is named "_status", a field of the runtime',
    });
  });
});
