/**
 * Child process for the resume CLI test (run with --import stackless/register):
 *   resume-child.ts whole                  run producer + consumer to the end (io main)
 *   resume-child.ts start FILE K [KEY]     run K scheduling rounds, pickle { pair: [consumer, producer], ch } to FILE
 *   resume-child.ts unstarted FILE         pickle { pair, ch } set up but not started (functions by FUNCTION_DATA id, not registered)
 *   resume-child.ts lonely FILE            pickle a tasklet blocked on a channel nobody will send to
 *   resume-child.ts failing FILE           pickle a tasklet that will raise an uncaught error after a step
 */
import { writeFileSync } from 'node:fs';
import { Channel, run, schedule, Tasklet } from 'stackless';
import { main, sleep } from 'stackless/io';
import { pickle } from 'stackless/pickle';
import { consumer, failing, lonely, producer } from '../fixtures/relay.js';

const [mode, file, k, key] = process.argv.slice(2);
if (mode === 'whole') {
  await main(function* () {
    const ch = new Channel<number>();
    const c = new Tasklet(consumer).setup(ch, 'c');
    const p = new Tasklet(producer).setup(ch, 5);
    while (c.alive || p.alive) yield* sleep(1);
  });
} else if (mode === 'start') {
  const ch = new Channel<number>();
  const c = new Tasklet(consumer).setup(ch, 'c');
  const p = new Tasklet(producer).setup(ch, 5);
  for (let i = 0; i < Number(k); i++) schedule();
  for (const t of [c, p]) if (t.status === 'scheduled') t.remove();
  writeFileSync(file!, pickle({ pair: [c, p], ch }, key === undefined ? undefined : { key }));
  for (const t of [c, p]) t.kill();
} else if (mode === 'unstarted') {
  const ch = new Channel<number>();
  const c = new Tasklet(consumer).setup(ch, 'c');
  const p = new Tasklet(producer).setup(ch, 5);
  c.remove();
  p.remove();
  writeFileSync(file!, pickle({ pair: [c, p], ch }));
  for (const t of [c, p]) t.kill();
} else if (mode === 'lonely') {
  const ch = new Channel<string>({ name: 'inbox' });
  const t = new Tasklet(lonely, undefined, { name: 'waiter' }).setup(ch);
  run();
  writeFileSync(file!, pickle(t));
  t.kill();
} else if (mode === 'failing') {
  const t = new Tasklet(failing).setup(2);
  t.run();
  t.remove();
  writeFileSync(file!, pickle(t));
  t.kill();
} else {
  throw new Error(`unknown mode ${mode}`);
}
