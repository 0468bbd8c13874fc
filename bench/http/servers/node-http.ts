// Baseline HTTP server on node:http.
import { createServer } from 'node:http';
import { bodyFor } from '../workload.js';
import { BACKLOG, HOST, IDLE_TIMEOUT_MS, ready, setMemoryExtra } from './harness.js';

let live = 0;
const server = createServer((req, res) => {
  const body = bodyFor(req.url ?? '/');
  res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = IDLE_TIMEOUT_MS;
server.headersTimeout = IDLE_TIMEOUT_MS + 1000;
server.requestTimeout = 0;
server.on('connection', (s) => {
  live++;
  s.on('close', () => live--);
});
setMemoryExtra(() => ({ liveConnections: live }));
server.listen({ port: 0, host: HOST, backlog: BACKLOG }, () => ready((server.address() as { port: number }).port));
