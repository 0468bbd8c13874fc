// Baseline raw TCP server on node:net: read lines to the blank line, write, close.
import { createServer } from 'node:net';
import { pathOfRequestLine, rawResponse } from '../workload.js';
import { BACKLOG, HOST, ready } from './harness.js';

const server = createServer((sock) => {
  let buf = '';
  sock.setEncoding('latin1');
  sock.on('data', (d: string) => {
    buf += d;
    if (buf.indexOf('\r\n\r\n') < 0) return;
    sock.end(rawResponse(pathOfRequestLine(buf.slice(0, buf.indexOf('\r\n')))), 'latin1');
    sock.removeAllListeners('data');
  });
  sock.on('error', () => sock.destroy());
});
server.listen({ port: 0, host: HOST, backlog: BACKLOG }, () => ready((server.address() as { port: number }).port));
