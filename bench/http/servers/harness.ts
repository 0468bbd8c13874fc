/**
 * What every benchmark server child does besides serving: report its port to the parent
 * over IPC once listening, and answer probes: {cmd:'mem'} → after two GCs,
 * process.memoryUsage() (servers run with --expose-gc); {cmd:'cpu'} → CPU time used so far
 * (user + system µs), so the driver can report CPU per request, which a loaded machine
 * disturbs far less than req/s.
 */
export const HOST = '127.0.0.1';
/** One listen backlog for every server (Syncless used 128; 511 is node's default and keeps
 * the 10,000-connection runs from dropping SYNs). */
export const BACKLOG = 511;
/** Keep-alive idle timeout for every server: long enough for the idle-connection probe. */
export const IDLE_TIMEOUT_MS = 120_000;

export function ready(port: number): void {
  process.on('message', (m: { cmd?: string }) => {
    if (m?.cmd === 'cpu') {
      const u = process.cpuUsage();
      process.send!({ cmd: 'cpu', micros: u.user + u.system });
    } else if (m?.cmd === 'mem') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      process.send!({ cmd: 'mem', usage: process.memoryUsage(), extra: memoryExtra?.() ?? null });
    }
  });
  process.on('disconnect', () => process.exit(0));
  // exit through process.exit so that --cpu-prof writes its profile
  process.on('SIGINT', () => process.exit(0));
  process.send!({ cmd: 'ready', port });
}

/** Optional server-specific counters added to memory replies (live connections...). */
export let memoryExtra: (() => unknown) | null = null;
export function setMemoryExtra(f: () => unknown): void {
  memoryExtra = f;
}
