/**
 * The workload contract: every comparison system implements the same fixed workloads, so
 * one child process can time any (system, workload) pair the same way.
 *
 * Each method runs one complete instance of its workload and returns a check value that the
 * child compares with the expected one (a benchmark that silently did less work would look
 * fast). A system that lacks a feature leaves the method out and says why in `unsupported`.
 */
export type Awaitable<T> = T | Promise<T>;

/** How a deep frame stack is built: the runtime's `call()` frame stack, or nested `yield*`. */
export type DeepMode = 'call' | 'yield*';

export interface SystemInfo {
  /** Display name in the report. */
  readonly label: string;
  /** Which queue/channel flavour the system uses, shown under the tables. */
  readonly note: string;
  /** Workloads this system cannot run, with the reason shown as "n/a (reason)". */
  readonly unsupported: Partial<Record<WorkloadName, string>>;
}

export interface System extends SystemInfo {

  /** Two tasks, two unbuffered channels, `roundTrips` round trips. Returns the sum received. */
  pingPong?(roundTrips: number): Awaitable<number>;
  /** `size` tasks in a ring, token passed `laps` times round. Returns the final token. */
  ring?(size: number, laps: number): Awaitable<number>;
  /** `rounds` rounds of `perRound` tasks that increment a counter and finish. Returns the counter. */
  spawn?(rounds: number, perRound: number): Awaitable<number>;
  /** Park `n` tasks on one channel, call `whileParked(parkedCount)` while all are parked. */
  parked?(n: number, whileParked: (parked: number) => void): Awaitable<void>;
  /** `tasks` tasks each calling the cooperative yield `each` times. Returns the total yields. */
  schedule?(tasks: number, each: number): Awaitable<number>;
  /**
   * A task recurses to `depth` (mode `call` or plain `yield*`), calls `atBottom()` (the timed
   * region starts there: building the stack is not a resume), then does `resumes`
   * round-robin yields against a shallow partner. Returns the resumes done.
   */
  deepResume?(mode: DeepMode, depth: number, resumes: number, atBottom: () => void): Awaitable<number>;
  /** Recurse to `depth` and return back up. Resolves true when it completed, false on overflow. */
  reachDepth?(mode: DeepMode, depth: number): Awaitable<boolean>;
  /**
   * A suspended task to serialize: `counter` is a small paused counter (one frame, a few
   * locals), `deep` a task suspended `depth` frames deep. Only runtimes that can pickle a
   * running task implement it.
   */
  pickleCase?(kind: 'counter' | 'deep', depth: number): PickleCase;
}

/** A suspended task, its serializer, and a way to check that a copy really continues. */
export interface PickleCase {
  /** Serialize the (paused) original. */
  pickle(): Uint8Array;
  /** Rebuild a copy from bytes (not run). */
  unpickle(bytes: Uint8Array): unknown;
  /** Run a copy to its end; returns its result, which must equal `expected`. */
  finish(copy: unknown): unknown;
  readonly expected: unknown;
}

export type WorkloadName =
  | 'pingpong'
  | 'ring'
  | 'spawn'
  | 'spawn-bounded'
  | 'parked'
  | 'schedule'
  | 'deep-call'
  | 'deep-yield'
  | 'max-depth-call'
  | 'max-depth-yield'
  | 'pickle'
  | 'pickle-deep';

/** The systems, in report column order. The first is the speed baseline. */
export const SYSTEM_IDS = ['floor', 'stackless', 'stackless-compiled', 'async', 'effect', 'effection', 'js-csp', 'co'] as const;
export type SystemId = (typeof SYSTEM_IDS)[number];
export const PEER_IDS: readonly SystemId[] = ['effect', 'effection', 'js-csp', 'co'];
