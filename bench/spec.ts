/** What run.ts asks a child process to measure, and what the child reports back. */
import type { SystemId, WorkloadName } from './workloads.js';

export interface Params {
  n?: number;
  size?: number;
  laps?: number;
  rounds?: number;
  perRound?: number;
  tasks?: number;
  each?: number;
  depth?: number;
  resumes?: number;
  limit?: number;
}

export interface Spec {
  system: SystemId;
  workload: WorkloadName;
  params: Params;
}

export interface ChildResult {
  /** Timed region, wall clock. */
  wallNs: number;
  /** Timed region, user + system CPU (process.cpuUsage). */
  cpuNs: number;
  /** Operations in the timed region (messages, hops, tasklets, switches, resumes). */
  ops: number;
  /** parked: heapUsed after two gc() calls, current RSS and peak RSS, bytes. */
  heapUsed?: number;
  rss?: number;
  maxRss?: number;
  /** max-depth: deepest recursion that completed; limitReached when it hit the search cap. */
  depth?: number;
  limitReached?: boolean;
  /** pickle: size of one pickle in bytes; unpickle time (wallNs/cpuNs time the pickles). */
  bytes?: number;
  unpickleWallNs?: number;
  unpickleCpuNs?: number;
}
