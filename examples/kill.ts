/**
 * Killing tasklets: kill() raises TaskletExit at the tasklet's suspension point, so its
 * `finally` blocks run; a blocked tasklet leaves its channel (the balance drops); a tasklet
 * that never started dies without running its body. TaskletExit is not an Error, so the usual
 * `if (!(e instanceof Error)) throw e` guard in a catch block lets kills through.
 * Run: node --conditions=source --import tsx examples/kill.ts
 */
import { Channel, runMain, schedule, Tasklet } from 'stackless';

const ch = new Channel<string>({ name: 'jobs' });

const worker = new Tasklet(function* () {
  try {
    for (;;) {
      const job = yield* ch.receive();
      console.log(`worker: did ${job}`);
    }
  } catch (e) {
    if (!(e instanceof Error)) throw e; // TaskletExit: let it end the tasklet
    console.log(`worker: error ${e.message}`);
  } finally {
    console.log('worker: cleaning up');
  }
}).setup();

// Bound with its (empty) argument list: alive but paused, so it never runs by itself.
const neverStarted = new Tasklet(function* () {
  console.log('this line never prints');
}, []);

runMain(function* () {
  yield* ch.send('job 1');
  yield* schedule();
  console.log(`main: worker is ${worker.status}, balance ${ch.balance}`);
  yield* neverStarted.kill();
  yield* worker.kill();
  console.log(`main: worker alive=${worker.alive}, balance ${ch.balance}, neverStarted alive=${neverStarted.alive}`);
});
