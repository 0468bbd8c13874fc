/**
 * Open sockets and servers, so main() can close what its tasklets left open when it ends
 * (the process then exits instead of hanging on a forgotten handle). Writers: Socket and
 * Server (add on creation, delete on close); reader: hub.ts.
 */
export interface Closeable {
  /** Close at once (a socket discards unsent data). */
  closeNow(): void;
}

const open = new Set<Closeable>();

export function addResource(r: Closeable): void {
  open.add(r);
}

export function removeResource(r: Closeable): void {
  open.delete(r);
}

/** Close every open socket and server. Caller: main() when its body has ended. */
export function closeAllResources(): number {
  const list = [...open];
  open.clear();
  for (const r of list) r.closeNow();
  return list.length;
}
