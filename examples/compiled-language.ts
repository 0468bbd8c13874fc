// The whole generator language, compiled. Run it with:
//   npx stackless run examples/compiled-language.ts
// and natively (same output) with:
//   node --conditions=source --import tsx examples/compiled-language.ts
// It uses what the compiler used to refuse: `super` in generator methods, `yield` inside
// destructuring defaults, tagged templates and optional chains, a generator nested in a plain
// function that uses that function's variables, a named generator expression calling itself,
// and TDZ errors. Under `stackless run` every function* below is a compiled frame.
import { Channel, Tasklet, run } from 'stackless';
import { FUNCTION_DATA } from 'stackless/compiler';

interface Order {
  item?: string;
  qty?: number;
  notes?: { text(n: number): string };
}

const orders = new Channel<Order>();
const defaults = new Channel<string>();
const out: string[] = [];

class Handler {
  *handle(order: Order): Generator<never, string> {
    out.push(`base handles ${order.item}`);
    return `${order.qty ?? 0} x ${order.item}`;
  }
}

class CountingHandler extends Handler {
  count = 0;
  // `super` in a compiled generator method, suspended and resumed across yields
  override *handle(order: Order): Generator<never, string> {
    this.count++;
    const base = yield* super.handle(order);
    return `${this.count}: ${base}`;
  }
}

const tag = (strings: TemplateStringsArray, ...values: unknown[]): string =>
  strings.raw.map((s, i) => s + (i < values.length ? `[${String(values[i])}]` : '')).join('');

function* shop(handler: CountingHandler) {
  for (;;) {
    // yield inside a destructuring default: only blocks when the order has no item
    const { item = yield* defaults.receive(), qty = 1, notes } = yield* orders.receive();
    if (item === 'close') return handler.count;
    const line: string = yield* handler.handle({ item, qty });
    // optional chain around a blocking call: skipped (no receive) when there are no notes
    const note = notes?.text(qty) ?? 'no notes';
    out.push(tag`${line} (${note}) ${item === 'tea' ? 'hot' : 'cold'}`);
  }
}

// a generator nested in a plain function, using that function's parameter and per-iteration lets
function makeCountdowns(prefix: string) {
  const gens = [];
  for (let i = 1; i <= 2; i++) {
    const start = i * 2;
    gens.push(function* () {
      for (let k = start; k > 0; k--) yield `${prefix}${i}:${k}`;
    });
  }
  return gens;
}

// a named generator expression that refers to itself
const walk = function* tree(node: { name: string; kids?: unknown[] }): Generator<string> {
  yield node.name;
  for (const kid of node.kids ?? []) yield* tree(kid as { name: string; kids?: unknown[] });
};

function* tdz() {
  try {
    out.push(`early: ${String(late())}`);
  } catch (e) {
    out.push(`TDZ: ${(e as Error).constructor.name}: ${(e as Error).message}`);
  }
  const value = yield* defaults.receive();
  out.push(`late() after the declaration: ${late()}`);
  function late() {
    return value;
  }
}

const handler = new CountingHandler();
let served = 0;
new Tasklet(function* () {
  served = yield* shop(handler);
}).setup();
new Tasklet(function* () {
  yield* orders.send({ item: 'tea', qty: 2, notes: { text: (n) => `${n} cups` } });
  yield* orders.send({ qty: 3 }); // no item: shop blocks on `defaults` inside the pattern
  yield* defaults.send('coffee');
  yield* orders.send({ item: 'close' });
}).setup();
run();
out.push(`served ${served}`);

for (const g of makeCountdowns('c')) out.push([...g()].join(' '));
out.push([...walk({ name: 'root', kids: [{ name: 'a', kids: [{ name: 'a1' }] }, { name: 'b' }] })].join(' '));

new Tasklet(tdz).setup();
new Tasklet(function* () {
  yield* defaults.send('now set');
}).setup();
run();

for (const line of out) console.log(line);
// compiled module-level generator functions carry FUNCTION_DATA (the pickler names them by id)
const fd = (shop as unknown as Record<symbol, { fnId: string } | undefined>)[FUNCTION_DATA];
console.log(fd ? `compiled: ${fd.fnId}` : 'native');
