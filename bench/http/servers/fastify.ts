// Baseline HTTP server on fastify (node:http underneath, with routing and reply serialization).
import Fastify from 'fastify';
import { bodyFor } from '../workload.js';
import { BACKLOG, HOST, IDLE_TIMEOUT_MS, ready } from './harness.js';

const app = Fastify({ logger: false, keepAliveTimeout: IDLE_TIMEOUT_MS, requestTimeout: 0 });
app.get('/*', (req, reply) => {
  reply.type('text/html').send(bodyFor(req.url));
});
const addr = await app.listen({ port: 0, host: HOST, backlog: BACKLOG });
ready(Number(new URL(addr).port));
