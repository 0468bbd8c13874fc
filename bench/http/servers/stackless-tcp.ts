// The Syncless raw-TCP workload on stackless/io: an acceptor tasklet, a tasklet per
// connection doing readline() up to the blank line, write(), close.
import { listen, main, spawn, type Socket } from 'stackless/io';
import type { Trap } from '../../../src/core/frame.js';
import { pathOfRequestLine, rawResponse } from '../workload.js';
import { BACKLOG, HOST, ready } from './harness.js';

function* serve(sock: Socket): Generator<Trap, void, unknown> {
  try {
    const first = (yield* sock.readline({ limit: 8192 })).toString('latin1');
    for (;;) {
      const line = yield* sock.readline({ limit: 8192 });
      if (line.length <= 2) break; // "\r\n", "\n", or end of stream
    }
    yield* sock.write(rawResponse(pathOfRequestLine(first.trimEnd())));
    sock.shutdown(); // FIN after the response; the client closes its side next
    yield* sock.recv(1, { timeout: 5000 });
  } catch {
    // the client went away or timed out
  } finally {
    sock.close();
  }
}

await main(function* () {
  const server = yield* listen({ port: 0, host: HOST, backlog: BACKLOG });
  ready(server.port);
  for (;;) spawn(serve, yield* server.accept());
});
