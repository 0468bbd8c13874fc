import type { Op } from '../core/op.js';

/**
 * Open sockets, servers and running child processes, so main() can close (kill) what its
 * tasklets left open when it ends: the process then exits instead of hanging on a forgotten
 * handle. Writers: Socket, Server and Process (add on creation, delete once closed/exited);
 * reader: hub.ts.
 */
export interface Closeable {
  /** Close at once (a socket discards unsent data; a child process is killed). */
  closeNow(): void;
  /** What to wait for after closeNow() before main() resolves (a killed process's exit), if anything. */
  afterClose?(): Op<unknown>;
}

const open = new Set<Closeable>();

export function addResource(r: Closeable): void {
  open.add(r);
}

export function removeResource(r: Closeable): void {
  open.delete(r);
}

/** Close every open resource; returns them. Caller: main() when its body has ended. */
export function closeAllResources(): Closeable[] {
  const list = [...open];
  open.clear();
  for (const r of list) r.closeNow();
  return list;
}
