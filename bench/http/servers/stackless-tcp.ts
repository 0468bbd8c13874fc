// The Syncless raw-TCP workload with a tasklet per connection: read lines up to the blank
// line, write the response, close. Built on the HTTP layer's internal node:net adapter
// (NetConnection: recv/write/closeSoon parking tasklets through core's park/unpark) until
// stackless/io's Socket exists.
import { createServer } from 'node:net';
import { runMainAsync, Tasklet } from 'stackless';
import type { Trap } from '../../../src/core/frame.js';
import { kickScheduler } from '../../../src/http/event-loop-bridge.js';
import { NetConnection } from '../../../src/http/net-connection.js';
import { pathOfRequestLine, rawResponse } from '../workload.js';
import { BACKLOG, HOST, ready } from './harness.js';

/** One connection: readline() until the blank line, then write and close. */
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
    // client gone
  } finally {
    conn.closeSoon();
  }
}

await runMainAsync(function* () {
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (sock) => {
    new Tasklet(serve).setup(new NetConnection(sock));
    kickScheduler();
  });
  server.listen({ port: 0, host: HOST, backlog: BACKLOG }, () => ready((server.address() as { port: number }).port));
  // main waits for ever (the parent kills this process): park on a never-completing wait.
  yield* forever();
});

function forever(): Generator<Trap, void, unknown> {
  return (function* () {
    const { wait } = yield* (function* () {
      return { wait: null };
    })();
    void wait;
    for (;;) yield* new NetConnection(new (require_socket())()).recv();
  })();
}
function require_socket(): typeof import('node:net').Socket {
  return (globalThis as unknown as { __sock: typeof import('node:net').Socket }).__sock;
}
