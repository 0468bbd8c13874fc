import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Bomb, DeadlockError, TaskletExit } from 'stackless';
import { pickle, registerClass, REDUCE, REVIVE, unpickle } from 'stackless/pickle';
import { isoDiff } from './support/iso.js';

const roundTrip = <T>(v: T): T => unpickle(pickle(v)) as T;

function assertIso(a: unknown, b: unknown): void {
  const d = isoDiff(a, b);
  assert.equal(d, null, d ?? '');
}

describe('values round-trip', () => {
  it('keeps the special numbers, undefined and BigInt', () => {
    const v = [undefined, null, NaN, -0, 0, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 1.5, -7, 300, 2n ** 200n, -(2n ** 70n), 0n, true, false];
    const r = roundTrip(v);
    assert.equal(r.length, v.length);
    v.forEach((x, i) => assert.ok(Object.is(x, r[i]), `index ${i}: ${String(x)} vs ${String(r[i])}`));
  });

  it('keeps strings, including non-ASCII and long ones, and shares repeated strings', () => {
    const long = 'x'.repeat(100_000);
    const v = ['', 'ascii', 'é ü 你好 🎉', long, long, '\u0000\uffff'];
    assert.deepEqual(roundTrip(v), v);
    assert.ok(pickle([long, long]).length < long.length + 64, 'a repeated string is written once');
  });

  it('keeps Date, RegExp (flags), Map and Set order, holes and null-prototype objects', () => {
    const sparse: unknown[] = [1, , 3];
    sparse[10] = 'end';
    const np = Object.create(null) as Record<string, unknown>;
    np.a = 1;
    const v = { d: new Date(1234), bad: new Date(NaN), re: /a(b)+c/gimsuy, m: new Map<unknown, unknown>([['z', 1], [2, 'two'], [{ k: 1 }, [3]]]), s: new Set([3, 1, 2]), sparse, np, trailing: [1, , ,] };
    const r = roundTrip(v);
    assertIso(v, r);
    assert.equal(r.re.flags, 'dgimsuy'.replace('d', ''));
    assert.equal(Object.getPrototypeOf(r.np), null);
    assert.equal(r.trailing.length, 3);
  });

  it('keeps arrays exactly: holes vs undefined, trailing and huge gaps, named properties (shared, cyclic, "__proto__")', () => {
    const holes: unknown[] = [, undefined, , 'x', ,];
    const huge: unknown[] = ['first'];
    huge[4_000_000_000] = 'last'; // a gap of 4e9 holes: written as one run, not element by element
    const shared = { s: 1 };
    const named = Object.assign([1, , 3], { label: 'nums', shared, 'two words': true }) as unknown as unknown[] & Record<string, unknown>;
    named.self = named;
    Object.defineProperty(named, '__proto__', { value: 'plain key', enumerable: true, configurable: true, writable: true });
    const sparseNamed = Object.assign([] as unknown[], { meta: 7 });
    sparseNamed[5] = 'five';
    const match = /b(c)/.exec('abc')!; // index and input: a RegExp match array
    const r = roundTrip({ holes, huge, named, sparseNamed, shared, match });
    assertIso({ holes, named, sparseNamed, shared, match }, { holes: r.holes, named: r.named, sparseNamed: r.sparseNamed, shared: r.shared, match: r.match });
    assert.deepEqual(Object.keys(r.holes), ['1', '3'], 'holes stay holes, an undefined element stays an element');
    assert.equal(r.holes.length, 5);
    assert.equal(r.huge.length, 4_000_000_001);
    assert.deepEqual(Object.keys(r.huge), ['0', '4000000000']);
    assert.equal(r.huge[4_000_000_000], 'last');
    assert.equal(r.named.label, 'nums');
    assert.equal(r.named.shared, r.shared);
    assert.equal(r.named.self, r.named);
    assert.equal(Object.getPrototypeOf(r.named), Array.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(r.named, '__proto__')?.value, 'plain key');
    assert.deepEqual(Object.keys(r.sparseNamed), ['5', 'meta']);
    assert.equal(r.match.index, 1);
    assert.equal(r.match.input, 'abc');
    assert.ok(pickle([1, 2, 3]).length < pickle(Object.assign([1, 2, 3], { a: 1 })).length, 'plain arrays pay nothing for names');
  });

  it('refuses a symbol-keyed property on an array with its path', () => {
    const a = Object.assign([1], { [Symbol('tag')]: { unique: true } });
    assert.throws(() => pickle({ a }), { name: 'PickleError', message: /a property keyed by a Symbol \(Symbol\(tag\)\) at value\.a\[Symbol\(tag\)\]/ });
  });

  it('keeps typed arrays, ArrayBuffers (shared between views), DataView and Buffers', () => {
    const ab = new ArrayBuffer(16);
    const u8 = new Uint8Array(ab, 2, 4);
    u8.set([1, 2, 3, 4]);
    const f32 = new Float32Array(ab, 8, 2);
    f32[0] = 1.5;
    const v = { ab, u8, f32, dv: new DataView(ab, 1, 3), big: new BigInt64Array([-5n]), buf: Buffer.from('héllo'), empty: new Uint16Array(0) };
    const r = roundTrip(v);
    assertIso(v, r);
    assert.equal(r.u8.buffer, r.ab, 'views share their buffer');
    assert.equal(r.f32.buffer, r.ab);
    assert.ok(Buffer.isBuffer(r.buf));
    assert.equal(r.buf.toString(), 'héllo');
  });

  it('keeps errors: class, message, stack, cause, extra properties, AggregateError.errors', () => {
    const cause = new RangeError('inner');
    const e = new TypeError('outer', { cause }) as TypeError & { code?: string };
    e.code = 'E_X';
    const agg = new AggregateError([cause, 'x'], 'many');
    const r = roundTrip({ e, agg, cause });
    assert.ok(r.e instanceof TypeError);
    assert.equal(r.e.message, 'outer');
    assert.equal(r.e.stack, e.stack);
    assert.equal(r.e.cause, r.cause, 'the cause is shared');
    assert.ok(r.cause instanceof RangeError);
    assert.equal(r.e.code, 'E_X');
    assert.ok(Object.prototype.toString.call(r.e) === '[object Error]', 'a real error object');
    assert.deepEqual(Object.keys(r.e), ['code']);
    assert.ok(r.agg instanceof AggregateError);
    assert.equal(r.agg.errors[0], r.cause);
    assert.equal(r.agg.errors[1], 'x');
  });

  it('keeps core values: Bomb, TaskletExit, core error classes', () => {
    const err = new DeadlockError('stuck');
    const v = { b: new Bomb(err), exit: new TaskletExit('bye', 3), err };
    const r = roundTrip(v);
    assert.ok(r.b instanceof Bomb);
    assert.equal(r.b.error, r.err);
    assert.ok(r.err instanceof DeadlockError);
    assert.equal(r.err.message, 'stuck');
    assert.equal(r.err.name, 'DeadlockError');
    assert.ok(r.exit instanceof TaskletExit);
    assert.ok(!(r.exit instanceof Error));
    assert.equal(r.exit.message, 'bye');
    assert.equal(r.exit.code, 3);
  });

  it('keeps sharing and cycles, and objects keyed "__proto__" stay plain data', () => {
    const shared = { s: 1 };
    const a: Record<string, unknown> = { shared, again: shared };
    a.self = a;
    const m = new Map<unknown, unknown>();
    m.set(m, a);
    a.m = m;
    const evil = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const r = roundTrip({ a, evil });
    assertIso({ a, evil }, r);
    assert.equal(r.a.self, r.a);
    assert.equal(r.a.shared, r.a.again);
    assert.equal((r.a.m as Map<unknown, unknown>).get(r.a.m), r.a);
    assert.equal(Object.getPrototypeOf(r.evil), Object.prototype);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('class instances: registerClass default (fields, cycles), reduce/revive, REDUCE method and static REVIVE', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
        public next: Point | null = null,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    registerClass(Point, { name: 'test.Point' });
    class Secret {
      #value: string;
      constructor(v: string) {
        this.#value = v;
      }
      get value(): string {
        return this.#value;
      }
    }
    registerClass(Secret, { name: 'test.Secret', reduce: (s) => s.value, revive: (v: string) => new Secret(v) });
    class Temp {
      constructor(readonly celsius: number) {}
      [REDUCE](): number {
        return this.celsius;
      }
      static [REVIVE](c: number): Temp {
        return new Temp(c);
      }
    }
    registerClass(Temp, { name: 'test.Temp' });
    const p = new Point(3, 4);
    p.next = p;
    const r = roundTrip({ p, s: new Secret('k'), t: new Temp(21), cls: Point });
    assert.ok(r.p instanceof Point);
    assert.equal(r.p.norm(), 5);
    assert.equal(r.p.next, r.p);
    assert.equal(r.s.value, 'k');
    assert.ok(r.t instanceof Temp);
    assert.equal(r.t.celsius, 21);
    assert.equal(r.cls, Point, 'a registered class pickles as itself');
  });

  it('a custom revive() inside a cycle gets its state once the cycle is closed', () => {
    class Node2 {
      constructor(public peer: unknown) {}
    }
    registerClass(Node2, { name: 'test.Node2', reduce: (n) => ({ peer: n.peer }), revive: (s: { peer: unknown }) => new Node2(s.peer) });
    const holder: { n?: Node2 } = {};
    holder.n = new Node2(holder);
    const r = roundTrip(holder);
    assert.ok(r.n instanceof Node2);
    assert.equal(r.n.peer, r);
  });

  it('property: fc.anything() round-trips to an isomorphic value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withUnicodeString: true,
          withObjectString: true,
        }),
        (v) => {
          assertIso(v, roundTrip(v));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: random graphs with shared references and cycles keep their identity structure', () => {
    const node = fc.oneof(
      fc.constant('object' as const),
      fc.constant('array' as const),
      fc.constant('named array' as const),
      fc.constant('sparse array' as const),
      fc.constant('map' as const),
      fc.constant('set' as const),
      fc.constant('nullproto' as const),
    );
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), fc.anything({ maxDepth: 1 })), { maxLength: 40 }),
        (kinds, edges) => {
          const nodes: object[] = kinds.map((k) =>
            k === 'object' || k === 'nullproto'
              ? k === 'object' ? {} : Object.create(null)
              : k === 'map' ? new Map() : k === 'set' ? new Set() : Object.assign([], { kind: k }),
          );
          for (const [from, to, key, leaf] of edges) {
            const a = nodes[from % nodes.length]!;
            const b = to % 3 === 0 ? leaf : nodes[to % nodes.length]!;
            const kind = (a as { kind?: string }).kind;
            if (kind === 'named array') {
              if (to % 2 === 0) (a as unknown as Record<string, unknown>)[`k${key}`] = b;
              else (a as unknown[]).push(b);
            } else if (kind === 'sparse array') {
              const arr = a as unknown[];
              arr[arr.length + (from % 3)] = b; // 0-2 holes before each element, undefined leaves too
            } else if (Array.isArray(a)) a.push(b);
            else if (a instanceof Map) a.set(key, b);
            else if (a instanceof Set) a.add(b);
            else (a as Record<string, unknown>)[`k${key}`] = b;
          }
          const root = nodes;
          const r = roundTrip(root);
          assertIso(root, r);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: fc.letrec trees with back-edges to ancestors round-trip', () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('node')),
      node: fc.record({ children: fc.array(tie('tree'), { maxLength: 4 }), tag: fc.string(), link: fc.nat(5) }),
      leaf: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.bigInt(), fc.constant(undefined)),
    }));
    fc.assert(
      fc.property(tree, (t) => {
        // Turn `link` into a reference to an ancestor: cycles through the tree.
        const stack: [unknown, unknown[]][] = [[t, []]];
        while (stack.length > 0) {
          const [n, ancestors] = stack.pop()!;
          if (n === null || typeof n !== 'object' || !('children' in (n as object))) continue;
          const node = n as { children: unknown[]; link: unknown };
          if (ancestors.length > 0) node.link = ancestors[(node.link as number) % ancestors.length];
          for (const c of node.children) stack.push([c, [...ancestors, node]]);
        }
        assertIso(t, roundTrip(t));
      }),
      { numRuns: 200 },
    );
  });
});
