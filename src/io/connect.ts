import * as net from 'node:net';
import * as tls from 'node:tls';
import { Bomb } from '../core/bomb.js';
import { launch, Op, SUSPEND } from '../core/op.js';
import { fromNodeError } from './errors.js';
import { Socket } from './socket.js';
import { TimeoutError } from './timeout.js';
import { Waiter, type WaitOwner } from './waiter.js';

/** Where to connect: TCP port and host (default 127.0.0.1), or a Unix socket path. */
export type ConnectAddress = { port: number; host?: string; timeout?: number | null } | { path: string; timeout?: number | null };

/**
 * Open a connection; blocks the tasklet until it is established. Raises
 * ConnectionRefusedError (ECONNREFUSED/ENOENT), TimeoutError after `timeout` ms (the
 * attempt is aborted), or another IoError with its errno code.
 */
export function connect(port: number, host?: string, options?: { timeout?: number | null }): Op<Socket>;
export function connect(address: ConnectAddress): Op<Socket>;
export function connect(a: number | ConnectAddress, host?: string, options?: { timeout?: number | null }): Op<Socket> {
  const addr: ConnectAddress = typeof a === 'number' ? { port: a, host: host ?? '127.0.0.1', timeout: options?.timeout ?? null } : a;
  const label = 'path' in addr ? addr.path : `${addr.host ?? '127.0.0.1'}:${addr.port}`;
  return launch(
    new ConnectOp(
      () =>
        'path' in addr
          ? net.connect({ path: addr.path, allowHalfOpen: true })
          : net.connect({ port: addr.port, host: addr.host ?? '127.0.0.1', allowHalfOpen: true }),
      'connect',
      label,
      addr.timeout ?? null,
    ),
  );
}

/**
 * Open a TLS connection (node:tls options: ca, servername, rejectUnauthorized, cert, key...);
 * returns once the handshake is done. Certificate errors raise an IoError with Node's code.
 */
export function connectTls(
  port: number,
  host?: string,
  options?: tls.ConnectionOptions & { timeout?: number | null },
): Op<Socket> {
  const h = host ?? '127.0.0.1';
  const { timeout, ...tlsOptions } = options ?? {};
  return launch(
    new ConnectOp(
      () => tls.connect({ servername: net.isIP(h) === 0 ? h : undefined, ...tlsOptions, port, host: h }),
      'secureConnect',
      `tls://${h}:${port}`,
      timeout ?? null,
    ),
  );
}

class ConnectOp extends Op<Socket> implements WaitOwner {
  private raw: net.Socket | null = null;
  constructor(
    private readonly open: () => net.Socket,
    private readonly readyEvent: 'connect' | 'secureConnect',
    private readonly label: string,
    private readonly timeoutMs: number | null,
  ) {
    super();
  }
  protected start(): typeof SUSPEND {
    const w = new Waiter('socket', () => `connect to ${this.label}`, true, this);
    const ms = this.timeoutMs;
    w.parkCurrent(ms, () => new Bomb(new TimeoutError(`connect to ${this.label} timed out after ${ms} ms`, ms)));
    const raw = this.open();
    this.raw = raw;
    const onError = (e: unknown): void => {
      raw.off(this.readyEvent, onReady);
      this.raw = null;
      raw.destroy();
      w.fail(fromNodeError(e, `connect to ${this.label}`));
    };
    const onReady = (): void => {
      raw.off('error', onError);
      this.raw = null;
      w.wake(new Socket(raw, this.label));
    };
    raw.once('error', onError);
    raw.once(this.readyEvent, onReady);
    return SUSPEND;
  }
  /** Timed out or killed while connecting: abort the attempt. */
  detach(): void {
    const raw = this.raw;
    if (raw === null) return;
    this.raw = null;
    raw.removeAllListeners(this.readyEvent);
    raw.removeAllListeners('error');
    raw.on('error', () => {});
    raw.destroy();
  }
  toString(): string {
    return `connect(${this.label})`;
  }
}
