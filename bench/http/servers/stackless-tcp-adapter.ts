// The Syncless raw-TCP workload with a tasklet per connection, on the HTTP layer's internal
// node:net adapter (NetConnection: recv/write/closeSoon, parking tasklets through core's
// park/unpark): read lines up to the blank line, write the response, close.
import { createServer } from 'node:net';
import { runMainAsync, Tasklet } from 'stackless';
import { wait } from 'stackless/io';
import type { Trap } from '../../../src/core/frame.js';
import { kickScheduler } from '../../../src/http/event-loop-bridge.js';
import { NetConnection } from '../../../src/http/net-connection.js';
import { pathOfRequestLine, rawResponse } from '../workload.js';
import { BACKLOG, HOST, ready } from './harness.js';

function* serve(conn: NetConnection): Generator<Trap, void, unknown> {
  let buf = '';
  let first: string | null = null;
  try {
    for (;;) {
      // readline(): the next line, reading more only when no full line is buffered.
      let nl = buf.indexOf('\n');
      while (nl < 0) {
        const d = yield* conn.recv();
        if (d.length === 0) return;
        buf += d.toString('latin1');
        nl = buf.indexOf('\n');
      }
      const line = buf.slice(0, nl + 1);
      buf = buf.slice(nl + 1);
      if (first === null) first = line;
      else if (line === '\r\n' || line === '\n') break;
    }
    yield* conn.write(rawResponse(pathOfRequestLine(first.trimEnd())));
  } catch {
    // the client went away
  } finally {
    conn.closeSoon();
  }
}

await runMainAsync(function* () {
  const server = createServer({ allowHalfOpen: true }, (sock) => {
    new Tasklet(serve).setup(new NetConnection(sock));
    kickScheduler();
  });
  server.listen({ port: 0, host: HOST, backlog: BACKLOG }, () => ready((server.address() as { port: number }).port));
  yield* wait(new Promise<never>(() => {})); // serve until the parent stops this process
});
