/**
 * Errors travel through channels: sendException makes the receiver raise a new error,
 * sendThrow re-raises an existing one (its stack trace kept). An error nobody catches in a
 * tasklet propagates to main, at main's current `yield*`.
 * Run: node --conditions=source --import tsx examples/channel-exceptions.ts
 */
import { Channel, runMain, Tasklet } from 'stackless';

class ParseError extends Error {
  override name = 'ParseError';
}

const requests = new Channel<string>({ name: 'requests' });
const replies = new Channel<number>({ name: 'replies' });

new Tasklet(function* parser() {
  for (;;) {
    const text = yield* requests.receive();
    const n = Number(text);
    if (Number.isNaN(n)) yield* replies.sendException(ParseError, `not a number: ${JSON.stringify(text)}`);
    else yield* replies.send(n);
  }
}).setup();

runMain(function* () {
  for (const text of ['42', 'forty-two']) {
    yield* requests.send(text);
    try {
      console.log(`main: parsed ${yield* replies.receive()}`);
    } catch (e) {
      console.log(`main: ${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  const crasher = new Tasklet(function* () {
    throw new RangeError('crashed in a tasklet');
  }).setup();
  try {
    yield* requests.send('anything'); // main blocks; the crash propagates to main here
  } catch (e) {
    console.log(`main: caught propagated ${(e as Error).name}: ${(e as Error).message} (crasher alive=${crasher.alive})`);
  }
});
