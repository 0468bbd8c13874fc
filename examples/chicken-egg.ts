/**
 * The chicken and the egg: two tasklets take turns over one channel. Each receive blocks
 * until the other side sends, so the output alternates strictly.
 * Run: node --conditions=source --import tsx examples/chicken-egg.ts
 */
import { Channel, run, Tasklet } from 'stackless';

const ch = new Channel<string>({ name: 'farm' });

function* chicken(rounds: number) {
  for (let i = 0; i < rounds; i++) {
    yield* ch.send('egg');
    console.log(`chicken got: ${yield* ch.receive()}`);
  }
}

function* egg(rounds: number) {
  for (let i = 0; i < rounds; i++) {
    console.log(`egg got: ${yield* ch.receive()}`);
    yield* ch.send('chicken');
  }
}

new Tasklet(chicken).setup(3);
new Tasklet(egg).setup(3);
run(); // plain script code is the main tasklet: run() drives the others until none is runnable
console.log(`done, balance ${ch.balance}`);
