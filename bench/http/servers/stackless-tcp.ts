// The Syncless raw-TCP workload on stackless/io: an acceptor tasklet, a tasklet per
// connection doing readline() up to the blank line, write(), close() (which flushes the
// response, then sends FIN: no need to wait for the client's FIN).
import { listen, main, spawn, type Socket } from 'stackless/io';
import type { Trap } from '../../../src/core/frame.js';
import { pathOfRequestLine, rawResponse } from '../workload.js';
import { BACKLOG, HOST, ready } from './harness.js';

/** One options object for every readline() (not one per call). */
const LINE = { limit: 8192 };

function* serve(sock: Socket): Generator<Trap, void, unknown> {
  try {
    const first = (yield* sock.readline(LINE)).toString('latin1');
    for (;;) {
      const line = yield* sock.readline(LINE);
      if (line.length <= 2) break; // "\r\n", "\n", or end of stream
    }
    yield* sock.write(rawResponse(pathOfRequestLine(first.trimEnd())));
  } catch {
    // the client went away
  } finally {
    sock.close(); // graceful: the response is flushed, then FIN
  }
}

await main(function* () {
  const server = yield* listen({ port: 0, host: HOST, backlog: BACKLOG });
  ready(server.port);
  for (;;) spawn(serve, yield* server.accept());
});
