// The Syncless workload on stackless/http with transport 'io' (stackless/io's Socket under
// io's main()), for the A/B against the default node:net transport.
import { main } from 'stackless/io';
import { listen } from 'stackless/http';
import { bodyFor } from '../workload.js';
import { BACKLOG, HOST, IDLE_TIMEOUT_MS, ready, setMemoryExtra } from './harness.js';

await main(function* () {
  const server = yield* listen(
    function* (req, res) {
      res.setHeader('Content-Type', 'text/html');
      yield* res.end(bodyFor(req.url));
    },
    { port: 0, host: HOST, backlog: BACKLOG, keepAliveTimeout: IDLE_TIMEOUT_MS, headersTimeout: IDLE_TIMEOUT_MS, transport: 'io' },
  );
  setMemoryExtra(() => server.stats());
  ready(server.port);
  yield* server.closed();
});
