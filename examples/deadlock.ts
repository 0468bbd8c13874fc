/**
 * Deadlock detection: blocking when nothing else can run raises DeadlockError at the
 * blocking call, with Stackless's message, and changes nothing. When the last runnable
 * tasklet ends while main is blocked, main gets "the main tasklet is receiving without a
 * sender available." and leaves the channel.
 * Run: node --conditions=source --import tsx examples/deadlock.ts
 */
import { Channel, DeadlockError, runMain, Tasklet } from 'stackless';

const ch = new Channel<number>({ name: 'lonely' });

runMain(function* () {
  try {
    yield* ch.receive();
  } catch (e) {
    if (!(e instanceof DeadlockError)) throw e;
    console.log(`1: ${e.message.split('.')[0]}. (balance still ${ch.balance})`);
  }
  new Tasklet(function* () {
    console.log('2: a tasklet runs and ends without sending');
  }).setup();
  try {
    yield* ch.receive();
  } catch (e) {
    if (!(e instanceof DeadlockError)) throw e;
    console.log(`3: ${e.message.split(' (')[0]} (balance ${ch.balance})`);
  }
});
