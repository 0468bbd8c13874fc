/**
 * A list of answers passes through one channel: main feeds it to a relay tasklet, which
 * forwards each item to a printer tasklet. A StopIteration sent through the channels ends
 * both loops (Stackless's idiom for ending `for x in channel`).
 * Run: node --conditions=source --import tsx examples/yes-no.ts
 */
import { Channel, runMain, StopIteration, Tasklet } from 'stackless';

const toRelay = new Channel<string>({ name: 'to-relay' });
const toPrinter = new Channel<string>({ name: 'to-printer' });

new Tasklet(function* relay() {
  yield* toRelay.forEach(function* (answer) {
    yield* toPrinter.send(answer.toUpperCase());
  });
  yield* toPrinter.sendException(StopIteration);
}).setup();

new Tasklet(function* printer() {
  for (const answer of yield* toPrinter.collect()) console.log(`printer: ${answer}`);
  console.log('printer: end of list');
}).setup();

runMain(function* () {
  const sent = yield* toRelay.sendSequence(['yes', 'no', 'yes', 'yes', 'no']);
  yield* toRelay.sendException(StopIteration);
  console.log(`main: sent ${sent} answers`);
});
