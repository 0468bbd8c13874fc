/**
 * Channel preference decides who runs after a hand-off. With a third runnable tasklet X in
 * the queue, main sends to a blocked receiver P:
 *   preference -1 (default, receiver first): P, X, main
 *   preference  0 (caller continues):        main, X, P
 *   preference +1 (sender first):            main, X, P
 *   scheduleAll (both wait their turn):      X, P, main
 * Run: node --conditions=source --import tsx examples/preference.ts
 */
import { Channel, run, runMain, schedule, Tasklet } from 'stackless';

function order(setting: { preference?: number; scheduleAll?: boolean }): string {
  const log: string[] = [];
  const ch = new Channel<number>();
  if (setting.preference !== undefined) ch.preference = setting.preference;
  if (setting.scheduleAll === true) ch.scheduleAll = true;
  runMain(function* () {
    new Tasklet(function* () {
      yield* ch.receive();
      log.push('P');
    }).setup();
    yield* schedule(); // let P block on the channel
    new Tasklet(function* () {
      log.push('X');
    }).setup();
    yield* ch.send(1);
    log.push('main');
    yield* run(); // finish whatever is still queued
  });
  return log.join(', ');
}

console.log(`preference -1: ${order({ preference: -1 })}`);
console.log(`preference  0: ${order({ preference: 0 })}`);
console.log(`preference +1: ${order({ preference: 1 })}`);
console.log(`scheduleAll  : ${order({ scheduleAll: true })}`);
