/**
 * Child processes as tasklet-blocking streams: exec() runs a command to completion,
 * spawnProcess() gives line-by-line access to a running one. A child still running when
 * main()'s body ends is killed (SIGKILL) and waited for, so the program exits.
 * Run: node --conditions=source --import tsx examples/io-processes.ts
 */
import { exec, main, spawnProcess, type Process } from 'stackless/io';

let forgotten: Process | null = null;

await main(function* () {
  const r = yield* exec('sh', ['-c', 'echo hello from sh; exit 3']);
  console.log(`exec: exit code ${r.code}, stdout ${JSON.stringify(r.stdout.toString())}`);

  const counter = spawnProcess('sh', ['-c', 'for i in 1 2 3; do echo "line $i"; done']);
  for (;;) {
    const line = (yield* counter.stdout!.readline()).toString();
    if (line === '') break;
    console.log(`read: ${line.trimEnd()}`);
  }
  console.log(`counter exited with ${(yield* counter.wait()).code}`);

  forgotten = spawnProcess('sleep', ['60']); // nobody waits for this one
});

console.log(`after main(): the forgotten sleep is ${forgotten!.status}, killed by ${forgotten!.raw.signalCode}`);
