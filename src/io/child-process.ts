import * as cp from 'node:child_process';
import { GenOp, launch, type Op } from '../core/op.js';
import { AsyncResult } from './async-result.js';
import { fromNodeError } from './errors.js';
import { addResource, removeResource } from './resources.js';
import { spawn as spawnTasklet } from './hub.js';
import { stats } from './stats.js';
import { StreamReader } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

export interface ExitStatus {
  /** Exit code, or null if killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process with tasklet-blocking stdio: `stdin` is a StreamWriter, `stdout`/`stderr`
 * StreamReaders (null when not piped), `wait()` blocks until it exits. A failure to start
 * (ENOENT...) is raised by wait() as an IoError with the errno code.
 *
 * Invariants: status 'running' → 'exited' | 'failed' (exit recorded in `exit`, once);
 * stats.processes counts running ones.
 */
export class Process {
  readonly raw: cp.ChildProcess;
  readonly stdin: StreamWriter | null;
  readonly stdout: StreamReader | null;
  readonly stderr: StreamReader | null;
  private readonly exit = new AsyncResult<ExitStatus>({ external: true });
  /** @internal Writer: resources.ts. */
  _resourceSlot = -1;

  /** `detached` (spawn option): main() leaves it running when it ends. */
  constructor(raw: cp.ChildProcess, label: string, detached = false) {
    this.raw = raw;
    this.stdin = raw.stdin === null ? null : new StreamWriter(raw.stdin, `${label} stdin`, 'process');
    this.stdout = raw.stdout === null ? null : new StreamReader(raw.stdout, `${label} stdout`, 'process');
    this.stderr = raw.stderr === null ? null : new StreamReader(raw.stderr, `${label} stderr`, 'process');
    stats.processes++;
    if (!detached) addResource(this);
    raw.once('error', (e) => this.settle(null, fromNodeError(e, `spawn ${label}`)));
    raw.once('close', (code, signal) => this.settle({ code, signal }, null));
  }

  get pid(): number | undefined {
    return this.raw.pid;
  }
  get status(): 'running' | 'exited' | 'failed' {
    return this.exit.status === 'pending' ? 'running' : this.exit.status === 'done' ? 'exited' : 'failed';
  }
  /** Wait for the process to exit (and its stdio to close). */
  wait(options?: { timeout?: number | null }): Op<ExitStatus> {
    return this.exit.get(options);
  }
  /** Send a signal (default SIGTERM). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    return this.raw.kill(signal);
  }

  /** @internal Caller: main() when its body has ended (resources.ts): SIGKILL, the
   * process was abandoned by its tasklets (stop it yourself first for a graceful end). */
  closeNow(): void {
    if (this.status === 'running') this.raw.kill('SIGKILL');
  }

  /** @internal Caller: main(), after closeNow(): wait (at most 5 s) for the exit. */
  afterClose(): Op<boolean> {
    return this.exit.wait({ timeout: 5_000 });
  }

  private settle(st: ExitStatus | null, err: unknown): void {
    if (this.exit.ready) return;
    stats.processes--;
    removeResource(this);
    if (st !== null) this.exit.set(st);
    else this.exit.setException(err);
  }
}

/** Start `command` with `args` (no shell); stdio piped unless `options.stdio` says otherwise. */
export function spawnProcess(command: string, args: readonly string[] = [], options?: cp.SpawnOptions): Process {
  const raw = cp.spawn(command, args, { stdio: 'pipe', ...options });
  return new Process(raw, `${command}`, options?.detached === true);
}

/**
 * Run `command` to completion, feeding `input` to its stdin, and return its exit status with
 * everything it wrote to stdout and stderr.
 */
export function exec(
  command: string,
  args: readonly string[] = [],
  options?: cp.SpawnOptions & { input?: string | Uint8Array; timeout?: number | null },
): Op<ExitStatus & { stdout: Buffer; stderr: Buffer }> {
  return launch(
    new GenOp(`exec(${command})`, function* () {
      const { input, timeout, ...spawnOptions } = options ?? {};
      const p = spawnProcess(command, args, spawnOptions);
      // collect stderr in full so the child never blocks on a full stderr pipe
      if (p.stderr !== null) p.stderr.highWater = Infinity;
      if (p.stdin !== null) {
        if (input !== undefined) yield* p.stdin.write(input);
        p.stdin.end();
      }
      const errOut = new AsyncResult<Buffer>();
      const errReader =
        p.stderr === null
          ? null
          : spawnTasklet(function* () {
              errOut.set(yield* p.stderr!.readAll());
            });
      if (errReader === null) errOut.set(Buffer.alloc(0));
      try {
        const stdout = p.stdout === null ? Buffer.alloc(0) : yield* p.stdout.readAll({ timeout: timeout ?? null });
        const st = yield* p.wait({ timeout: timeout ?? null });
        const stderr = yield* errOut.get();
        return { ...st, stdout, stderr };
      } finally {
        if (p.status === 'running') p.kill('SIGKILL');
        if (errReader !== null && errReader.alive) yield* errReader.kill();
      }
    }),
  );
}
