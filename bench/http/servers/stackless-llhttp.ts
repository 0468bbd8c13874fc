// A/B prototype for the "HTTP parser" decision: the same tasklet-per-connection model, but
// parsing with node:http (llhttp in C++) instead of our parser. node:http emits 'request';
// the connection's tasklet is woken with (req, res) and runs the handler, which answers
// with res.end(). Parking goes through core's park/unpark, like NetConnection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { runMainAsync, Tasklet } from 'stackless';
import { wait } from 'stackless/io';
import type { Trap } from '../../../src/core/frame.js';
import { launch, Op, SUSPEND } from '../../../src/core/op.js';
import { park, unpark } from '../../../src/core/park.js';
import { sched } from '../../../src/core/scheduler.js';
import type { Waitable } from '../../../src/core/waitable.js';
import { kickScheduler } from '../../../src/http/event-loop-bridge.js';
import { bodyFor } from '../workload.js';
import { BACKLOG, HOST, IDLE_TIMEOUT_MS, ready, setMemoryExtra } from './harness.js';

type Item = [IncomingMessage, ServerResponse] | null;

/** The requests node:http parsed on one connection, and the tasklet waiting for them. */
class RequestQueue implements Waitable {
  readonly external = true;
  items: Item[] = [];
  waiter: Tasklet | null = null;
  push(item: Item): void {
    const t = this.waiter;
    if (t === null) {
      this.items.push(item);
      return;
    }
    this.waiter = null;
    unpark(t, item);
    kickScheduler();
  }
  cancelWait(t: Tasklet): void {
    if (this.waiter === t) this.waiter = null;
  }
  describeWait(): string {
    return 'waiting for the next request';
  }
}

class NextOp extends Op<Item> {
  constructor(private readonly q: RequestQueue) {
    super();
  }
  protected start(): Item | typeof SUSPEND {
    if (this.q.items.length > 0) return this.q.items.shift()!;
    const t = sched.current;
    park(t, this.q);
    this.q.waiter = t;
    return SUSPEND;
  }
  toString(): string {
    return 'next request';
  }
}

function* handler(req: IncomingMessage, res: ServerResponse): Generator<Trap, void, unknown> {
  const body = bodyFor(req.url ?? '/');
  res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function* connection(q: RequestQueue): Generator<Trap, void, unknown> {
  for (;;) {
    const item = yield* launch(new NextOp(q));
    if (item === null) return;
    yield* handler(item[0], item[1]);
  }
}

let live = 0;
const queues = new WeakMap<Socket, RequestQueue>();
await runMainAsync(function* () {
  const server = createServer((req, res) => queues.get(req.socket)!.push([req, res]));
  server.keepAliveTimeout = IDLE_TIMEOUT_MS;
  server.headersTimeout = IDLE_TIMEOUT_MS + 1000;
  server.requestTimeout = 0;
  server.on('connection', (sock: Socket) => {
    const q = new RequestQueue();
    queues.set(sock, q);
    live++;
    new Tasklet(connection).setup(q);
    kickScheduler();
    sock.on('close', () => {
      live--;
      q.push(null);
    });
  });
  setMemoryExtra(() => ({ liveConnections: live }));
  server.listen({ port: 0, host: HOST, backlog: BACKLOG }, () => ready((server.address() as { port: number }).port));
  yield* wait(new Promise<never>(() => {}));
});
