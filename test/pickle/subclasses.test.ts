import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, run, Tasklet } from 'stackless';
import { pickle, PickleError, registerClass, unpickle } from 'stackless/pickle';
import { useCleanScheduler } from '../support/harness.js';
import { counter, server, tagged } from './support/compiled.js';

class Worker extends Tasklet<[string, number, string[]]> {
  jobs = 0;
  owner: { name: string } | null = null;
  constructor(fn: typeof counter, readonly role: string) {
    super(fn);
    if (role === '') throw new Error('the constructor must not run on unpickle');
  }
  describe(): string {
    return `${this.role}: ${this.jobs} jobs for ${this.owner?.name}`;
  }
}
registerClass(Worker, { name: 'test.Worker' });

class Unregistered extends Tasklet {
  extra = 1;
}

const copy = <T>(v: T): T => unpickle(pickle(v)) as T;

describe('Tasklet subclasses', () => {
  useCleanScheduler();

  it('a registered subclass comes back as its class with its own fields, running where it stopped', () => {
    const log: string[] = [];
    const owner = { name: 'ann' };
    const w = new Worker(counter, 'builder');
    w.jobs = 3;
    w.owner = owner;
    w.setup('w', 3, log);
    w.run();
    w.remove();
    const r = copy({ w, owner, log });
    assert.ok(r.w instanceof Worker);
    assert.ok(r.w instanceof Tasklet);
    assert.equal(r.w.describe(), 'builder: 3 jobs for ann');
    assert.equal(r.w.owner, r.owner, 'a field shares references with the rest of the graph');
    assert.deepEqual(Object.keys(r.w).filter((k) => !k.startsWith('_') && k !== 'id').sort(), ['jobs', 'owner', 'role']);
    assert.equal(r.w.paused, true);
    r.w.checkInvariants();
    r.w.insert();
    run();
    assert.deepEqual(r.log, ['w 0', 'w 1', 'w 2']);
    assert.equal(r.w.status, 'dead');
    w.kill();
  });

  it('new, dead and blocked subclass instances keep their class (a blocked one stays in its channel)', () => {
    const n = copy(new Worker(tagged, 'idle'));
    assert.ok(n instanceof Worker);
    assert.equal(n.status, 'new');
    assert.equal(n.role, 'idle');

    const ch = new Channel<unknown>();
    const log: string[] = [];
    const b = new Worker(server as never, 'server');
    b.setup(ch as never, log as never, undefined as never);
    run();
    const r = copy({ b, ch, log });
    assert.ok(r.b instanceof Worker);
    assert.equal(r.b.blocked, true);
    assert.equal(r.ch.queue, r.b);
    r.ch.send('x');
    assert.deepEqual(r.log, ['served x']);
    r.ch.send('stop');
    b.kill();

    const d = new Worker(counter, 'done').setup('d', 0, []);
    run();
    const dd = copy(d);
    assert.ok(dd instanceof Worker);
    assert.equal(dd.status, 'dead');
  });

  it('an unregistered subclass is refused with its class name and path, never downgraded to a Tasklet', () => {
    const t = new Unregistered(counter as never);
    assert.throws(
      () => pickle({ pool: [t] }),
      (e: unknown) =>
        e instanceof PickleError &&
        e.path === 'value.pool[0]' &&
        /cannot pickle tasklet#\d+, an instance of Unregistered \(a Tasklet subclass that is not registered\) at value\.pool\[0\]: call registerClass\(Unregistered\)/.test(e.message),
    );
  });

  it('a subclass field that cannot be pickled is refused with its path', () => {
    const w = new Worker(tagged, 'x');
    w.owner = { name: Promise.resolve('n') as never };
    assert.throws(() => pickle(w), (e: unknown) => e instanceof PickleError && e.path === 'tasklet.owner.name' && /a Promise/.test(e.message));
  });

  it('reading a subclass instance needs the class registered under the same name', () => {
    class Local extends Tasklet {}
    registerClass(Local, { name: 'test.Local' });
    const bytes = pickle(new Local(tagged as never));
    // simulate a process without the registration: the name differs in the bytes
    const s = Buffer.from(bytes).toString('latin1').replace('test.Local', 'test.Lxcal');
    assert.throws(() => unpickle(Buffer.from(s, 'latin1')), {
      name: 'PickleError',
      message: 'unpickle: Tasklet subclass "test.Lxcal" is not registered in this process: call registerClass(test.Lxcal) before unpickling',
    });
  });

  it('registerClass refuses reduce/revive for a Tasklet subclass', () => {
    class R extends Tasklet {}
    assert.throws(() => registerClass(R, { reduce: () => 1 }), { name: 'TypeError', message: /registerClass\(R\): a Tasklet subclass is pickled as its tasklet state plus its own fields/ });
  });

  it('a Channel subclass is refused (it would come back as a plain Channel)', () => {
    class Pipe extends Channel<number> {}
    assert.throws(() => pickle({ p: new Pipe() }), (e: unknown) => e instanceof PickleError && e.path === 'value.p' && /an instance of Pipe \(a Channel subclass\)/.test(e.message));
  });
});
