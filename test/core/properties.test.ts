/**
 * Property tests: random programs of tasklets doing sends, receives, schedules,
 * scheduleRemoves, kills, inserts and removes on a few channels (random preference and
 * scheduleAll), run to completion or deadlock. Checked before every step and at the end:
 *  - the scheduler's and every channel's invariants (balance = ± queue length, links);
 *  - every live tasklet is in exactly one place (the run ring, one channel queue, or paused),
 *    and a blocked tasklet waits in the direction its channel's balance says;
 *  - no message is lost or duplicated: every value is received at most once, only after it
 *    was offered, and every value whose send() returned was received, unless a kill wiped it
 *    from a woken receiver's tempval before that receiver ran (Stackless semantics).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  Bomb,
  Channel,
  checkInvariants,
  getCurrent,
  getMain,
  getRunCount,
  isTaskletExit,
  run,
  runMain,
  schedule,
  scheduleRemove,
  setChannelCallback,
  setScheduleCallback,
  StacklessError,
  switchTrap,
  Tasklet,
  type Trap,
} from 'stackless';
import { useCleanScheduler } from '../support/harness.js';

type Action =
  | { op: 'send'; ch: number }
  | { op: 'recv'; ch: number }
  | { op: 'schedule' }
  | { op: 'scheduleRemove' }
  | { op: 'kill'; target: number }
  | { op: 'insert'; target: number }
  | { op: 'remove'; target: number }
  | { op: 'run'; target: number }
  | { op: 'switch'; target: number }
  | { op: 'throw'; target: number; pending: boolean }
  | { op: 'killPending'; target: number }
  | { op: 'sendException'; ch: number }
  | { op: 'nestedRun' }
  | { op: 'close'; ch: number }
  | { op: 'open'; ch: number }
  /** Perform `inner` with switchTrap(1): it may only succeed without switching, or fail
   * changing nothing. */
  | { op: 'trapped'; inner: Action };

/** A message sent as an exception (sendException): the receiver raises it. */
class Msg extends Error {
  constructor(readonly v: number) {
    super(`message ${v}`);
  }
}
/** Thrown into tasklets by the `throw` action. */
class Injected extends Error {}

/** The message id a tempval holds (a plain value, or a Bomb carrying a Msg), else null. */
function messageIn(tempval: unknown): number | null {
  if (typeof tempval === 'number') return tempval;
  if (tempval instanceof Bomb && tempval.error instanceof Msg) return tempval.error.v;
  return null;
}

interface Program {
  channels: { preference: -1 | 0 | 1; scheduleAll: boolean }[];
  tasklets: Action[][];
  /** Actions of a generator main, before it calls run(). */
  main: Action[];
  /** 'plain': main only calls run(); 'plainActions': plain script code performs the main
   * actions (each executes at once); 'generator': runMain performs them with yield*. */
  mainForm: 'plain' | 'plainActions' | 'generator';
}

/** 200 by default; raise it locally with STACKLESS_PROPERTY_RUNS=5000 to hunt for bugs. */
const RUNS = Number(process.env['STACKLESS_PROPERTY_RUNS'] ?? 200);
const MAX_CH = 3;
const MAX_T = 5;

const plainActionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('send' as const), ch: fc.nat(MAX_CH - 1) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('recv' as const), ch: fc.nat(MAX_CH - 1) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'schedule' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'scheduleRemove' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('kill' as const), target: fc.nat(MAX_T - 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), target: fc.nat(MAX_T - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), target: fc.nat(MAX_T - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('run' as const), target: fc.nat(MAX_T - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('switch' as const), target: fc.nat(MAX_T - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('throw' as const), target: fc.nat(MAX_T - 1), pending: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('killPending' as const), target: fc.nat(MAX_T - 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('sendException' as const), ch: fc.nat(MAX_CH - 1) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'nestedRun' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), ch: fc.nat(MAX_CH - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('open' as const), ch: fc.nat(MAX_CH - 1) }) },
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 12, arbitrary: plainActionArb },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('trapped' as const), inner: plainActionArb }) },
);

const mainActionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ op: fc.constant('send' as const), ch: fc.nat(MAX_CH - 1) }),
  fc.record({ op: fc.constant('recv' as const), ch: fc.nat(MAX_CH - 1) }),
  fc.constant({ op: 'schedule' as const }),
  fc.record({ op: fc.constant('sendException' as const), ch: fc.nat(MAX_CH - 1) }),
);

const programArb: fc.Arbitrary<Program> = fc.record({
  channels: fc.array(
    fc.record({ preference: fc.constantFrom(-1 as const, 0 as const, 1 as const), scheduleAll: fc.boolean() }),
    { minLength: 1, maxLength: MAX_CH },
  ),
  tasklets: fc.array(fc.array(actionArb, { maxLength: 8 }), { minLength: 1, maxLength: MAX_T }),
  main: fc.oneof(fc.array(mainActionArb, { maxLength: 4 }), fc.array(actionArb, { maxLength: 6 })),
  mainForm: fc.constantFrom('plain' as const, 'plainActions' as const, 'generator' as const),
});

/** Execute one random program and check it; throws on any violation. */
function execute(p: Program, tasklets: Tasklet[]): string {
  /** What happened, in order: which tasklet started which action, and what was received. */
  const trace: string[] = [];
  const channels = p.channels.map((c, i) => {
    const ch = new Channel<number>({ name: `c${i}` });
    ch.preference = c.preference;
    ch.scheduleAll = c.scheduleAll;
    return ch;
  });
  const chOf = (i: number) => channels[i % channels.length]!;
  const pending = new Map<Tasklet, 'send' | 'recv'>();
  let nextValue = 1;
  const senderOf = new Map<number, Tasklet>();
  const sendReturned = new Set<number>();
  const sendFailed = new Set<number>();
  const received: number[] = [];
  const destroyed = new Set<number>();
  /** A generator main that receives can be woken with a value and then get a propagated error. */
  const fragileMain = p.mainForm !== 'plain' && p.main.some((a) => a.op === 'recv');

  function checkAll(where: string): void {
    const st = checkInvariants();
    for (const c of channels) c.checkInvariants();
    const everyone = [getMain(), ...tasklets];
    for (const t of everyone) t.checkInvariants();
    // where is each tasklet?
    const place = new Map<Tasklet, string[]>();
    const mark = (t: Tasklet, at: string) => place.set(t, [...(place.get(t) ?? []), at]);
    let ringSize = 0;
    const cur = getCurrent();
    let t: Tasklet = cur;
    do {
      mark(t, 'ring');
      ringSize++;
      assert.ok(ringSize <= everyone.length, `${where}: ring does not close`);
      t = t.next!;
    } while (t !== cur);
    assert.equal(ringSize, st.runcount, `${where}: ring size is runcount`);
    assert.equal(getRunCount(), ringSize);
    for (const c of channels) {
      for (let q = c.queue; q !== null; q = q.next) {
        mark(q, c.name!);
        const dir = pending.get(q);
        assert.equal(dir, c.balance > 0 ? 'send' : 'recv', `${where}: ${q} waits on ${c} in the balance's direction`);
      }
    }
    for (const x of everyone) {
      const at = place.get(x) ?? [];
      if (!x.alive) {
        assert.deepEqual(at, [], `${where}: dead ${x} is nowhere`);
        continue;
      }
      const expected = x.status === 'paused' ? 0 : 1;
      assert.equal(at.length, expected, `${where}: ${x} (${x.status}) is in ${JSON.stringify(at)}`);
      if (at[0] === 'ring') assert.ok(x.status === 'scheduled' || x.status === 'current');
      else if (at.length === 1) assert.equal(x.status, 'blocked');
    }
  }

  /** Everything a failed trapped operation must leave as it was. */
  function snapshot(): string {
    const ring: number[] = [];
    const cur = getCurrent();
    let t: Tasklet = cur;
    do {
      ring.push(t.id);
      t = t.next!;
    } while (t !== cur);
    return JSON.stringify({
      ring,
      queues: channels.map((c) => {
        const q: number[] = [];
        for (let x = c.queue; x !== null; x = x.next) q.push(x.id);
        return [c.balance, q];
      }),
      tasklets: tasklets.map((x) => [x.status, messageIn(x.tempval)]),
    });
  }

  /** Caller: kill/throw actions. Their bomb replaces the target's tempval (see `destroyed`). */
  function wipe(target: Tasklet, self: Tasklet | null): void {
    if (target === self || !target.alive) return;
    const v = messageIn(target.tempval);
    if (v !== null) destroyed.add(v);
  }

  function* act(a: Action, self: Tasklet | null): Generator<Trap, void, unknown> {
    switch (a.op) {
      case 'send':
      case 'sendException': {
        const v = nextValue++;
        const ch = chOf(a.ch);
        senderOf.set(v, getCurrent());
        pending.set(getCurrent(), 'send');
        try {
          if (a.op === 'send') yield* ch.send(v);
          else yield* ch.sendException(Msg, v);
        } catch (e) {
          sendFailed.add(v);
          throw e;
        }
        sendReturned.add(v);
        return;
      }
      case 'recv': {
        pending.set(getCurrent(), 'recv');
        let v: number;
        try {
          v = yield* chOf(a.ch).receive();
        } catch (e) {
          if (!(e instanceof Msg)) throw e;
          v = e.v;
        }
        assert.equal(typeof v, 'number');
        received.push(v);
        trace.push(`got ${v}`);
        return;
      }
      case 'schedule':
        yield* schedule();
        return;
      case 'scheduleRemove':
        yield* scheduleRemove();
        return;
      case 'kill': {
        const target = tasklets[a.target % tasklets.length]!;
        // The kill replaces the target's tempval: a woken receiver's value that it has not
        // resumed to see yet, or a blocked sender's value in flight, is gone (Stackless too).
        wipe(target, self);
        yield* target.kill();
        return;
      }
      case 'killPending': {
        const target = tasklets[a.target % tasklets.length]!;
        wipe(target, self);
        yield* target.kill({ pending: true });
        return;
      }
      case 'throw': {
        const target = tasklets[a.target % tasklets.length]!;
        // Thrown into an unstarted tasklet, the error is uncaught and goes to the innermost
        // watchdog. If that is a generator main woken with a value it has not seen yet, the
        // error replaces the value (Stackless semantics, pinned in deadlock.test.ts), which
        // this ledger cannot attribute: skip that combination.
        if (fragileMain && target.alive && target.depth === 0) return;
        wipe(target, self);
        yield* target.throw(new Injected(), { pending: a.pending });
        return;
      }
      case 'run':
        yield* tasklets[a.target % tasklets.length]!.run();
        return;
      case 'switch':
        yield* tasklets[a.target % tasklets.length]!.switch();
        return;
      case 'nestedRun':
        yield* run();
        return;
      case 'close':
        chOf(a.ch).close();
        return;
      case 'open':
        chOf(a.ch).open();
        return;
      case 'trapped': {
        const before = snapshot();
        switchTrap(1);
        try {
          yield* act(a.inner, self);
        } catch (e) {
          if (e instanceof StacklessError) assert.equal(snapshot(), before, `trapped ${a.inner.op} failed and changed state`);
          throw e;
        } finally {
          switchTrap(-1);
        }
        return;
      }
      case 'insert':
        tasklets[a.target % tasklets.length]!.insert();
        return;
      case 'remove':
        tasklets[a.target % tasklets.length]!.remove();
        return;
      default: {
        const never: never = a;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  }

  function* body(actions: Action[], index: number): Generator<Trap, void, unknown> {
    for (const a of actions) {
      checkAll(`t${index} before ${a.op}`);
      trace.push(`t${index}:${a.op}`);
      try {
        yield* act(a, tasklets[index]!);
      } catch (e) {
        if (isTaskletExit(e) || e instanceof assert.AssertionError) throw e;
        // misuse (insert of a blocked/dead tasklet, remove of a blocked one) and Deadlock
        // errors are part of the game; they must have changed nothing (checked next step)
      }
    }
    checkAll(`t${index} end`);
  }

  // Callbacks observe every switch and channel action; they only record violations (an
  // error thrown by a callback would be reported and ignored by the runtime).
  const callbackViolations: string[] = [];
  setScheduleCallback((prev, next) => {
    if (prev !== getCurrent()) callbackViolations.push(`schedule callback: prev ${prev} is not current`);
    if (prev === next) callbackViolations.push(`schedule callback for a switch to itself (${next})`);
    if (!next.alive) callbackViolations.push(`schedule callback: next ${next} is not alive`);
  });
  setChannelCallback((c, t, sending, willBlock) => {
    const ch = c as Channel<number>;
    if (t !== getCurrent()) callbackViolations.push(`channel callback: ${t} is not current`);
    if (willBlock !== (sending ? ch.balance >= 0 : ch.balance <= 0))
      callbackViolations.push(`channel callback: willBlock ${willBlock} with balance ${ch.balance}`);
    if (sending && messageIn(t.tempval) === null) callbackViolations.push(`channel callback: no value in ${t}.tempval`);
  });

  p.tasklets.forEach((actions, i) => {
    tasklets.push(new Tasklet(body, undefined, { name: `t${i}` }).setup(actions, i));
  });

  /** run() until it returns normally; Injected errors that killed a tasklet pop out of it. */
  function runAll(): void {
    for (let i = 0; i < 100; i++) {
      try {
        run();
        return;
      } catch (e) {
        if (!(e instanceof Injected)) throw e;
      }
    }
    assert.fail('run() kept raising');
  }

  if (p.mainForm === 'plain') {
    runAll();
  } else if (p.mainForm === 'plainActions') {
    for (const a of p.main) {
      checkAll(`plain main before ${a.op}`);
      try {
        // In plain code every operation executes when created, so the action's generator
        // runs to completion in one next() without ever yielding.
        const r = act(a, null).next();
        assert.equal(r.done, true, 'plain code never suspends');
      } catch (e) {
        if (!(e instanceof StacklessError || e instanceof Injected)) throw e;
      }
    }
    runAll();
  } else {
    runMain(function* () {
      for (const a of p.main) {
        checkAll(`main before ${a.op}`);
        try {
          yield* act(a, null);
        } catch (e) {
          if (!(e instanceof StacklessError || e instanceof Injected)) throw e;
        }
      }
      try {
        yield* run();
      } catch (e) {
        if (!(e instanceof Injected)) throw e;
      }
    });
    // main may have left tasklets runnable (e.g. after a hand-off with preference -1)
    runAll();
  }
  checkAll('after run()');
  setScheduleCallback(null);
  setChannelCallback(null);
  assert.deepEqual(callbackViolations, []);

  // No loss, no duplication. A receiver that was woken with a value but not resumed yet
  // (scheduleAll/preference put it in the ring, then someone removed it) still holds it.
  const held = new Map<number, Tasklet>();
  for (const t of tasklets) {
    const v = t.alive ? messageIn(t.tempval) : null;
    if (v !== null) held.set(v, t);
  }
  const seen = new Set<number>();
  for (const v of received) {
    assert.ok(!seen.has(v), `value ${v} received twice`);
    seen.add(v);
    assert.ok(senderOf.has(v), `value ${v} received but never offered`);
    assert.ok(!held.has(v), `value ${v} received and still held by ${held.get(v)}`);
  }
  for (const v of sendReturned)
    assert.ok(
      seen.has(v) || destroyed.has(v) || (held.has(v) && held.get(v) !== senderOf.get(v)),
      `value ${v}: send() returned but nobody received it`,
    );
  for (const [v, sender] of senderOf) {
    if (seen.has(v) || destroyed.has(v) || sendReturned.has(v) || sendFailed.has(v)) continue;
    if (held.has(v) && held.get(v) !== sender) continue; // handed over; the sender has not resumed
    // neither delivered nor failed: still in flight, held by its blocked sender
    assert.equal(sender.status, 'blocked', `value ${v} is lost: its sender is ${sender.status}`);
    assert.equal(messageIn(sender.tempval), v);
  }

  // Clean up: kill whatever is blocked or paused; afterwards nothing is queued.
  for (let round = 0; round < 3; round++)
    for (const t of tasklets)
      if (t.alive) {
        try {
          t.kill();
        } catch (e) {
          if (!(e instanceof Injected)) throw e;
        }
      }
  runAll();
  for (const c of channels) {
    assert.equal(c.balance, 0);
    c.checkInvariants();
  }
  for (const t of tasklets) assert.equal(t.alive, false, `${t} survived two kills`);
  return trace.join(' ');
}

/** After a failed run, leave a clean scheduler for the next (shrinking) run. */
function cleanUp(): void {
  setScheduleCallback(null);
  setChannelCallback(null);
  for (let round = 0; round < 3; round++) {
    for (let t = getMain().next; t !== null && t !== getMain(); t = getMain().next) {
      try {
        t.kill();
      } catch {
        // keep cleaning
      }
    }
  }
}

describe('random tasklet programs (fast-check)', () => {
  useCleanScheduler();

  it('invariants, one place per tasklet, no lost or duplicated message', () => {
    fc.assert(
      fc.property(programArb, (p) => {
        const tasklets: Tasklet[] = [];
        try {
          execute(p, tasklets);
        } catch (e) {
          for (const t of tasklets)
            try {
              if (t.alive) t.kill();
            } catch {
              // keep cleaning
            }
          cleanUp();
          throw e;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('scheduling is deterministic: the same program gives the same trace (spec §4)', () => {
    fc.assert(
      fc.property(programArb, (p) => {
        const tasklets: Tasklet[] = [];
        try {
          const first = execute(p, tasklets);
          tasklets.length = 0;
          assert.equal(execute(p, tasklets), first);
        } catch (e) {
          for (const t of tasklets)
            try {
              if (t.alive) t.kill();
            } catch {
              // keep cleaning
            }
          cleanUp();
          throw e;
        }
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('a ping-pong of n values over one channel delivers each value once, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.constantFrom(-1, 0, 1), fc.boolean(), (n, pref, all) => {
        const ch = new Channel<number>();
        ch.preference = pref;
        ch.scheduleAll = all;
        const got: number[] = [];
        new Tasklet(function* () {
          for (let i = 0; i < n; i++) yield* ch.send(i);
        }).setup();
        new Tasklet(function* () {
          for (let i = 0; i < n; i++) got.push(yield* ch.receive());
        }).setup();
        run();
        assert.deepEqual(
          got,
          Array.from({ length: n }, (_, i) => i),
        );
        ch.checkInvariants();
        return ch.balance === 0;
      }),
      { numRuns: 100 },
    );
  });
});
