import type { Op } from '../core/op.js';

/**
 * Open sockets, servers and running child processes, so main() can close (kill) what its
 * tasklets left open when it ends: the process then exits instead of hanging on a forgotten
 * handle. Writers: Socket, Server and Process (add on creation, delete once closed/exited);
 * reader: hub.ts.
 *
 * An array plus each resource's own index in it (`_resourceSlot`, -1 when not in it):
 * add and delete are a push and a swap with the last entry, with no hashing (a Set insert
 * of a new object costs ~0.2 µs, measurable on a connection-per-request server).
 */
export interface Closeable {
  /** Close at once (a socket discards unsent data; a child process is killed). */
  closeNow(): void;
  /** What to wait for after closeNow() before main() resolves (a killed process's exit), if anything. */
  afterClose?(): Op<unknown>;
  /** @internal Index in the open list, -1 when not open. Writer: this file only (owners initialise it to -1). */
  _resourceSlot: number;
}

let open: Closeable[] = [];

export function addResource(r: Closeable): void {
  if (r._resourceSlot >= 0) return;
  r._resourceSlot = open.length;
  open.push(r);
}

/** Idempotent. */
export function removeResource(r: Closeable): void {
  const i = r._resourceSlot;
  if (i < 0) return;
  r._resourceSlot = -1;
  const last = open.pop()!;
  if (last !== r) {
    open[i] = last;
    last._resourceSlot = i;
  }
}

/** Close every open resource; returns them. Caller: main() when its body has ended. */
export function closeAllResources(): Closeable[] {
  const list = open;
  open = [];
  for (const r of list) r._resourceSlot = -1;
  for (const r of list) r.closeNow();
  return list;
}
