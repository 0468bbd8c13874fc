import assert from 'node:assert/strict';
import { createServer, Socket } from 'node:net';
import { describe, it } from 'node:test';
import { getCurrent, run, runMain, schedule, Tasklet } from 'stackless';
import { main, sleep } from 'stackless/io';
import { pickle, PickleError, registerFunction } from 'stackless/pickle';
import { useCleanScheduler } from '../support/harness.js';
import { counter } from './support/compiled.js';

/** Assert pickle(v) raises a PickleError whose message matches and whose path is `path`. */
function refuses(v: unknown, message: RegExp, path: string): PickleError {
  let caught: unknown;
  try {
    pickle(v);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof PickleError, `expected a PickleError, got ${String(caught)}`);
  assert.match(caught.message, message);
  assert.equal(caught.path, path);
  assert.ok(caught.message.includes(` at ${path}`), `the message names the path: ${caught.message}`);
  return caught;
}

describe('refusals name what and where', () => {
  useCleanScheduler();

  it('a Promise', () => {
    const p = Promise.resolve(1);
    refuses({ a: [1, { p }] }, /a Promise/, 'value.a[1].p');
  });

  it('a socket (class not registered)', () => {
    const s = new Socket();
    refuses({ conn: s }, /instance of Socket.*registerClass\(Socket/, 'value.conn');
    s.destroy();
  });

  it('a net.Server', () => {
    const srv = createServer();
    refuses([srv], /instance of Server/, 'value[0]');
  });

  it('a timer', () => {
    const t = setTimeout(() => {}, 1000);
    clearTimeout(t);
    refuses(new Map([['timer', t]]), /instance of Timeout/, 'value.get("timer")');
  });

  it('a native generator object', () => {
    function* nat() {
      yield 1;
    }
    refuses({ g: nat() }, /native generator function\* nat/, 'value.g');
  });

  it('WeakMap, WeakSet and WeakRef', () => {
    refuses({ w: new WeakMap() }, /a WeakMap/, 'value.w');
    refuses([new WeakSet()], /a WeakSet/, 'value[0]');
    refuses({ r: new WeakRef({}) }, /a WeakRef/, 'value.r');
  });

  it('a Symbol value and a symbol-keyed property', () => {
    refuses({ s: Symbol('x') }, /a Symbol \(Symbol\(x\)\)/, 'value.s');
    const k = Symbol('key');
    refuses({ o: { [k]: 1 } }, /keyed by a Symbol/, 'value.o[Symbol(key)]');
  });

  it('an unregistered function, and a registered one is fine', () => {
    function helper(): void {}
    refuses({ f: helper }, /function helper \(not registered and not compiled\).*registerFunction\(helper/, 'value.f');
    refuses([() => 1], /anonymous function/, 'value[0]');
    function registered(): number {
      return 1;
    }
    registerFunction(registered, 'test.registered');
    assert.ok(pickle({ f: registered }).length > 0);
  });

  it('a SharedArrayBuffer view', () => {
    refuses({ v: new Int32Array(new SharedArrayBuffer(8)) }, /SharedArrayBuffer/, 'value.v');
  });

  it('the current tasklet: Stackless\'s message', () => {
    let err: unknown;
    const t = new Tasklet(function* () {
      try {
        pickle({ me: getCurrent() });
      } catch (e) {
        err = e;
      }
      yield* schedule();
    }).setup();
    run();
    assert.ok(err instanceof PickleError);
    assert.match(err.message, /You cannot __reduce__ the tasklet which is current/);
    assert.equal(err.path, 'value.me');
    assert.equal(t.alive, false);
  });

  it('the main tasklet', () => {
    runMain(function* () {
      refuses({ m: getCurrent() }, /current tasklet/, 'value.m');
    });
  });

  it('a tasklet with a native frame is not restorable: the error names the function', () => {
    function* worker() {
      yield* schedule();
    }
    const t = new Tasklet(worker).setup();
    t.run();
    assert.equal(t.restorable, false);
    refuses(t, /not restorable, frame 0 is the native generator function\* worker/, 'tasklet.frames[0]');
    t.kill();
  });

  it('a compiled frame holding a Promise: the path goes through the frame state', () => {
    const log: string[] = [];
    const t = new Tasklet(counter).setup('x', 3, log);
    t.run();
    t.remove();
    log.push(Promise.resolve() as never);
    refuses(t, /a Promise/, 'tasklet.frames[0].state.$log[1]');
    t.kill();
  });

  it('a tasklet that has not started, with an unregistered native function', () => {
    function* later() {
      yield* schedule();
    }
    const t = new Tasklet(later).setup();
    t.remove();
    refuses({ t }, /function later/, 'value.t.entry.fn');
    t.kill();
  });

  it('a tasklet blocked on I/O (not on a channel)', async () => {
    await main(function* () {
      const t = new Tasklet(function* () {
        yield* sleep(60_000);
      }).setup();
      yield* schedule();
      assert.equal(t.blocked, true);
      refuses({ t }, /blocked .*sleep.*only tasklets blocked on a channel can be pickled/, 'value.t');
      yield* t.kill();
    });
  });
});
