import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Bomb, Channel, checkInvariants, run, Tasklet } from 'stackless';
import { pickle, registerFunction, unpickle } from 'stackless/pickle';
import { useCleanScheduler } from '../support/harness.js';
import { counter, deep, greeter, sender, server } from './support/compiled.js';

registerFunction(counter, 'test.pickle.counter');

const copy = <T>(v: T): T => unpickle(pickle(v)) as T;

describe('tasklets and channels round-trip (spec §10)', () => {
  useCleanScheduler();

  it('a new (bound, not started) tasklet comes back new and can be set up', () => {
    const t = new Tasklet(counter);
    const u = copy(t);
    assert.equal(u.status, 'new');
    assert.equal(u.alive, false);
    const log: string[] = [];
    u.setup('n', 2, log);
    run();
    assert.deepEqual(log, ['n 0', 'n 1']);
  });

  it('a paused tasklet that has not started keeps its function and arguments', () => {
    const log: string[] = [];
    const t = new Tasklet(counter, ['p', 2, log]);
    const r = copy({ t, log });
    assert.equal(r.t.paused, true);
    r.t.insert();
    run();
    assert.deepEqual(r.log, ['p 0', 'p 1']);
    assert.deepEqual(log, [], 'the original is untouched');
    t.kill();
  });

  it('a runnable tasklet pickled mid-loop comes back paused, and both copies finish independently', () => {
    const log: string[] = [];
    const t = new Tasklet(counter).setup('c', 4, log);
    t.run(); // runs 'c 0', then schedule() puts it back in the ring
    assert.equal(t.status, 'scheduled');
    const r = copy({ t, log });
    assert.equal(r.t.status, 'paused', 'Stackless: unpickled tasklets are never scheduled');
    assert.equal(r.t.alive, true);
    assert.equal(r.t.restorable, true);
    assert.equal(r.t.depth, 1);
    r.t.checkInvariants();
    run();
    assert.deepEqual(log, ['c 0', 'c 1', 'c 2', 'c 3']);
    assert.deepEqual(r.log, ['c 0']);
    r.t.insert();
    run();
    assert.deepEqual(r.log, ['c 0', 'c 1', 'c 2', 'c 3']);
    assert.equal(r.t.status, 'dead');
  });

  it('a restored paused tasklet can be run() directly: it runs one step at once', () => {
    const log: string[] = [];
    const t = new Tasklet(counter).setup('r', 3, log);
    t.run();
    t.remove();
    const r = copy({ t, log });
    r.t.run();
    assert.deepEqual(r.log, ['r 0', 'r 1']);
    assert.equal(r.t.status, 'scheduled');
    run();
    assert.deepEqual(r.log, ['r 0', 'r 1', 'r 2']);
    assert.equal(r.t.status, 'dead');
    t.kill();
  });

  it('a dead tasklet comes back dead; name, atomic and blockTrap are kept', () => {
    const t = new Tasklet(counter, undefined, { name: 'worker' }).setup('d', 1, []);
    run();
    assert.equal(copy(t).status, 'dead');
    const u = new Tasklet(counter, ['e', 1, []], { name: 'flags' });
    u.setAtomic(true);
    u.blockTrap = true;
    const v = copy(u);
    assert.equal(v.name, 'flags');
    assert.equal(v.atomic, true);
    assert.equal(v.blockTrap, true);
    u.kill();
  });

  it('a tasklet blocked on a channel is re-linked into the unpickled channel and completes when a partner comes', () => {
    const ch = new Channel<unknown>({ name: 'requests' });
    const log: string[] = [];
    const t = new Tasklet(server).setup(ch, log);
    run();
    assert.equal(t.blocked, true);
    assert.equal(ch.balance, -1);
    const r = copy({ ch, t, log });
    assert.equal(r.ch.balance, -1);
    assert.equal(r.ch.name, 'requests');
    assert.equal(r.ch.queue, r.t);
    assert.equal(r.t.blocked, true);
    assert.match(r.t.waitReason, /receiving on channel#\d+\(requests\)/);
    r.ch.checkInvariants();
    r.t.checkInvariants();
    checkInvariants();
    r.ch.send('a');
    r.ch.send('b');
    assert.deepEqual(r.log, ['served a', 'served b']);
    r.ch.send('stop');
    assert.equal(r.t.status, 'dead');
    assert.deepEqual(log, [], 'the original server saw nothing');
    assert.equal(ch.balance, -1);
    t.kill();
  });

  it('pickling a blocked tasklet alone brings its channel along', () => {
    const ch = new Channel<unknown>();
    const t = new Tasklet(server).setup(ch, []);
    run();
    const u = copy(t);
    assert.equal(u.blocked, true);
    assert.match(u.waitReason, /receiving on channel/);
    assert.notEqual(u.waitReason, t.waitReason, 'a new channel');
    t.kill();
  });

  it('blocked senders keep their values (shared objects stay shared), the balance and FIFO order', () => {
    const ch = new Channel<unknown>();
    ch.preference = 1;
    const shared = { big: 10n ** 30n };
    const senders = [
      new Tasklet(sender).setup(ch, [{ n: 1, shared }]),
      new Tasklet(sender).setup(ch, [{ n: 2, shared }]),
      new Tasklet(sender).setup(ch, [new Bomb(new RangeError('sent error'))]),
      new Tasklet(sender).setup(ch, [{ n: 4, shared }]),
    ];
    run();
    assert.equal(ch.balance, 4);
    const r = copy({ ch, senders });
    assert.equal(r.ch.balance, 4);
    assert.equal(r.ch.preference, 1);
    r.ch.checkInvariants();
    const order: Tasklet[] = [];
    for (let t = r.ch.queue; t !== null; t = t.next) order.push(t);
    assert.deepEqual(order, r.senders, 'queue order kept');
    const a = r.ch.receive().value as { n: number; shared: object };
    const b = r.ch.receive().value as { n: number; shared: object };
    assert.equal(a.n, 1);
    assert.equal(b.n, 2);
    assert.equal(a.shared, b.shared);
    assert.equal((a.shared as { big: bigint }).big, 10n ** 30n);
    assert.throws(() => r.ch.receive(), (e: unknown) => e instanceof RangeError && e.message === 'sent error');
    assert.equal((r.ch.receive().value as { n: number }).n, 4);
    assert.equal(r.ch.balance, 0);
    run();
    for (const t of r.senders) assert.equal(t.status, 'dead');
    assert.equal(ch.balance, 4, 'the original channel is untouched');
    for (const t of senders) t.kill();
  });

  it('a closure over its frame (cycle frame → closure → frame) is revived on the new frame', () => {
    const out: string[] = [];
    const t = new Tasklet(greeter).setup('bob', out);
    t.run();
    t.remove();
    const r = copy({ t, out });
    r.t.insert();
    run();
    assert.deepEqual(r.out, ['hello bob', 'hi again'], 'the closure sees the revived frame’s updated local');
    t.kill();
  });

  it('a pending throw (Bomb in tempval) survives and explodes when the copy runs', () => {
    const log: string[] = [];
    const t = new Tasklet(counter).setup('k', 5, log);
    t.run();
    t.throw(new TypeError('pending boom'), { pending: true });
    const u = copy(t);
    t.kill();
    u.insert();
    assert.throws(() => run(), (e: unknown) => e instanceof TypeError && e.message === 'pending boom');
    assert.equal(u.status, 'dead');
  });

  it('a tasklet in a nested call (several compiled frames) resumes with the right frames', () => {
    const ch = new Channel<unknown>();
    const t = new Tasklet(deep).setup(5, ch);
    run();
    assert.equal(t.depth, 6);
    const r = copy({ ch, t });
    assert.equal(r.t.depth, 6);
    assert.equal(r.t.blocked, true);
    new Tasklet(function* () {
      yield* r.ch.send(100);
    }).setup();
    run();
    assert.equal(r.t.status, 'dead');
    assert.equal(r.ch.balance, 0);
    t.kill();
  });

  it('property: a channel with any queue of blocked senders or receivers keeps balance, order and values', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.anything({ maxDepth: 2, withBigInt: true, withMap: true, withSet: true, withDate: true }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(-1, 0, 1),
        (senders, values, preference) => {
          const ch = new Channel<unknown>();
          ch.preference = preference;
          const logs: string[][] = [];
          const ts = values.map((v) => {
            if (senders) return new Tasklet(sender).setup(ch, [v]);
            const log: string[] = [];
            logs.push(log);
            return new Tasklet(server).setup(ch, log);
          });
          run();
          assert.equal(ch.balance, senders ? values.length : -values.length);
          const r = copy({ ch, ts, logs });
          r.ch.checkInvariants();
          checkInvariants();
          assert.equal(r.ch.balance, ch.balance);
          assert.equal(r.ch.preference, preference);
          const queue: Tasklet[] = [];
          for (let t = r.ch.queue; t !== null; t = t.next) queue.push(t);
          assert.deepEqual(queue, r.ts);
          if (senders) {
            const got = values.map(() => r.ch.receive().value);
            got.forEach((g, i) => assert.deepEqual(g, values[i]));
          } else {
            values.forEach((_, i) => r.ch.send(`v${i}`));
            run(); // with preference 0 the servers only run now
            values.forEach((_, i) => assert.deepEqual(r.logs[i], [`served v${i}`]));
            values.forEach(() => r.ch.send('stop'));
          }
          run();
          assert.equal(r.ch.balance, 0);
          for (const t of r.ts) assert.equal(t.status, 'dead');
          for (const t of ts) t.kill();
          assert.equal(ch.balance, 0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
