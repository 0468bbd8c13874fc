/**
 * stackless/io: cooperative I/O for tasklets. The hub (main, spawn, sleep, wait, timeouts),
 * sockets (TCP, Unix, TLS), synchronization primitives, adapters for Node APIs, and
 * observability. See src/io/README.md and docs/io.md.
 */
export { main, spawn, spawnNamed, nextTurn, setLoopBudget, getHubTasklet, checkHubInvariants } from './hub.js';
export { sleep, advanceClock } from './sleep.js';
export { wait } from './promise.js';
export { Timeout, TimeoutError, withTimeout } from './timeout.js';
export { getClock, setClock, useVirtualClock, realClock, VirtualClock, type Clock, type TimerHandle } from './clock.js';
export { ioStats } from './io-stats.js';
export type { IoStats } from './stats.js';
export { describeTasklets as tasklets, formatTasklets, type TaskletInfo } from './inspect.js';
export {
  IoError,
  SocketClosedError,
  WriteAfterShutdownError,
  ConcurrentReadError,
  ConnectionResetError,
  ConnectionRefusedError,
  LimitExceededError,
  SyncUsageError,
  QueueFullError,
  QueueEmptyError,
} from './errors.js';
export { Socket } from './socket.js';
export { Server, listen, listenTls, type ListenAddress } from './server.js';
export { connect, connectTls, type ConnectAddress } from './connect.js';
export { StreamReader, type ReadOptions } from './stream-reader.js';
export { StreamWriter, type WriteOptions } from './stream-writer.js';
export { Event } from './event.js';
export { AsyncResult, Future } from './async-result.js';
export { Queue, type QueueOptions, type QueueOrder } from './queue.js';
export { Semaphore, BoundedSemaphore } from './semaphore.js';
export { Lock } from './lock.js';
export { Pool, Group, Job } from './pool.js';
export { startStallDetector, type StallDetector, type StallReport } from './stall-detector.js';
export { fs } from './fs.js';
export { lookup, type LookupAddress } from './dns.js';
export { Process, spawnProcess, exec, type ExitStatus } from './child-process.js';
export { reader, writer } from './streams.js';
