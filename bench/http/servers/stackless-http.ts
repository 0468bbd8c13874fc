// The Syncless workload on stackless/http: a tasklet per connection.
import { runMainAsync } from 'stackless';
import { listen } from 'stackless/http';
import { bodyFor } from '../workload.js';
import { BACKLOG, HOST, IDLE_TIMEOUT_MS, ready, setMemoryExtra } from './harness.js';

await runMainAsync(function* () {
  const server = yield* listen(
    function* (req, res) {
      const body = bodyFor(req.url);
      res.setHeader('Content-Type', 'text/html');
      yield* res.end(body);
    },
    { port: 0, host: HOST, backlog: BACKLOG, keepAliveTimeout: IDLE_TIMEOUT_MS, headersTimeout: IDLE_TIMEOUT_MS },
  );
  setMemoryExtra(() => server.stats());
  ready(server.port);
  yield* server.closed();
});
