// A compiled tasklet program. Run it with:
//   npx stackless run examples/compiled-counter.ts
// Every function* below is compiled into a state machine whose frame is plain data: while a
// tasklet is blocked, its frame's FRAME_DATA shows the resume point and the locals.
import { Channel, Tasklet, run } from 'stackless';
import { FRAME_DATA, type CompiledFrame } from 'stackless/compiler';

const numbers = new Channel<number>();

function* counter(limit: number) {
  for (let i = 1; i <= limit; i++) yield* numbers.send(i);
  yield* numbers.send(-1); // end marker
}

function* adder(log: string[]) {
  let total = 0;
  for (;;) {
    const n = yield* numbers.receive();
    if (n < 0) return total;
    total += n;
    log.push(`+${n}=${total}`);
  }
}

const log: string[] = [];
let result = 0;
const summer = new Tasklet(function* () {
  result = yield* adder(log);
}).setup();
const producer = new Tasklet(counter).setup(5);

run();
console.log(log.join(' '));
console.log(`total ${result}; tasklets done: ${!summer.alive && !producer.alive}`);

// A blocked compiled tasklet: its frames are plain data.
const idle = new Tasklet(adder).setup([]);
run();
const frame = idle.blocked ? (idleFrame(idle) as CompiledFrame) : null;
const data = frame?.[FRAME_DATA]();
console.log(`blocked in ${data?.fnId} (restorable: ${frame?.restorable}) with total=${String(data?.state['$total'])}`);
idle.kill();

function idleFrame(t: Tasklet): unknown {
  return (t as unknown as { _frame: unknown })._frame;
}
