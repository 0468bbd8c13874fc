import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run, Tasklet } from 'stackless';
import { compiledFunctions, registerCompiledFunction } from '../../src/compiler/contract.js';
import { pickle, PickleError, unpickle } from 'stackless/pickle';
import { useCleanScheduler } from '../support/harness.js';
import { tagged } from './support/compiled.js';

const ID = 'test/pickle/support/compiled.ts#tagged';
const copy = <T>(v: T): T => unpickle(pickle(v)) as T;

/** Run `f` with the registry entry of `ID` replaced (or removed), then put it back. */
function withEntry<R>(replacement: Parameters<typeof registerCompiledFunction>[0] | null, f: () => R): R {
  const saved = compiledFunctions.get(ID)!;
  compiledFunctions.delete(ID);
  if (replacement !== null) compiledFunctions.set(ID, replacement);
  try {
    return f();
  } finally {
    compiledFunctions.set(ID, saved);
  }
}

describe('unstarted tasklets bound to a module-level compiled function (FUNCTION_DATA, no registerFunction)', () => {
  useCleanScheduler();

  it('a new tasklet comes back bound to the same function object and can be set up', () => {
    const u = copy(new Tasklet(tagged));
    assert.equal(u.status, 'new');
    const log: string[] = [];
    u.setup('n', 2, log);
    run();
    assert.deepEqual(log, ['n 0', 'n 1']);
  });

  it('a tasklet set up but not started keeps its function and arguments, and the pickle names the function by id', () => {
    const log: string[] = [];
    const t = new Tasklet(tagged).setup('s', 3, log);
    t.remove();
    const bytes = pickle({ t, log });
    assert.ok(Buffer.from(bytes).includes(Buffer.from(ID)), 'the code table holds the function id');
    const r = unpickle(bytes) as { t: Tasklet; log: string[] };
    assert.equal(r.t.paused, true);
    r.t.insert();
    run();
    assert.deepEqual(r.log, ['s 0', 's 1', 's 2']);
    assert.deepEqual(log, []);
    t.kill();
  });

  it('the function itself, as a value, round-trips to the same object', () => {
    const r = copy({ f: tagged, again: tagged });
    assert.equal(r.f, tagged);
    assert.equal(r.again, tagged);
  });

  it('changed code is refused, naming the module and the function', () => {
    const bytes = pickle(new Tasklet(tagged));
    const saved = compiledFunctions.get(ID)!;
    withEntry({ ...saved, codeHash: 'beefbeef' }, () =>
      assert.throws(
        () => unpickle(bytes),
        (e: unknown) =>
          e instanceof PickleError &&
          /code changed for function tagged in module test\/pickle\/support\/compiled\.ts: the pickle was made by code version 7a99ed01, this process has beefbeef/.test(e.message),
      ),
    );
  });

  it('a function whose module is not loaded is refused with advice to import it', () => {
    const bytes = pickle(new Tasklet(tagged));
    withEntry(null, () =>
      assert.throws(() => unpickle(bytes), {
        name: 'PickleError',
        message: /needs compiled function tagged of module test\/pickle\/support\/compiled\.ts, which is not loaded in this process: import test\/pickle\/support\/compiled\.ts/,
      }),
    );
  });

  it('a registration without the function object is refused when unpickling, before anything is built', () => {
    const bytes = pickle(new Tasklet(tagged));
    const { fn: _fn, ...rest } = compiledFunctions.get(ID)!;
    withEntry(rest, () =>
      assert.throws(() => unpickle(bytes), { name: 'PickleError', message: /compiled function test\/pickle\/support\/compiled\.ts#tagged is loaded but not as a module-level function value/ }),
    );
  });

  it('pickling refuses a tagged function that is not the one registered under its id, with its path', () => {
    const saved = compiledFunctions.get(ID)!;
    withEntry({ ...saved, fn: function* other() {} }, () =>
      assert.throws(() => pickle({ job: tagged }), (e: unknown) => e instanceof PickleError && e.path === 'value.job' && /not the function registered under its id/.test(e.message)),
    );
  });

  it('a plain unregistered function is still refused', () => {
    function* plain() {}
    assert.throws(() => pickle(new Tasklet(plain)), (e: unknown) => e instanceof PickleError && e.path === 'tasklet.tempval' && /function plain \(not registered and not compiled\)/.test(e.message));
  });
});
