/**
 * Many tasklets: each loops 120 times, calling schedule() and "sleeping" for a bounded
 * number of scheduler rounds (a fake sleep: no timers, so the figures are pure scheduler
 * cost). Prints peak RSS beside the tasklet count.
 * Run: node --conditions=source --import tsx examples/many-tasklets.ts [2000 20000 100000]
 */
import { getRunCount, run, schedule, Tasklet } from 'stackless';

function* sleeper(id: number, done: { count: number }) {
  for (let i = 0; i < 120; i++) {
    const rounds = (id + i) % 3; // bounded fake sleep: 0..2 extra rounds
    for (let r = 0; r < rounds; r++) yield* schedule();
    yield* schedule();
  }
  done.count++;
}

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of counts.length > 0 ? counts : [2_000, 20_000, 100_000]) {
  const done = { count: 0 };
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) new Tasklet(sleeper).setup(i, done);
  const alive = getRunCount() - 1;
  run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${n.toLocaleString('en-US')} tasklets (${alive} alive at once): ${done.count} finished ` +
      `in ${ms.toFixed(0)} ms, peak RSS ${rssMiB.toFixed(0)} MiB`,
  );
}
