/**
 * stackless core: tasklets, channels and the scheduler with Stackless Python's semantics.
 * This barrel is the layer's public surface (pinned by test/core/exports.test.ts).
 */
export { Tasklet, type TaskletFunction } from './tasklet.js';
export { Channel } from './channel.js';
export { Op } from './op.js';
export { Bomb } from './bomb.js';
export type { Trap, Frame } from './frame.js';
export type { TaskletStatus } from './status.js';
export type { ScheduleCallback, ChannelCallback, ErrorHandler } from './scheduler.js';
export {
  atomic,
  bomb,
  call,
  getCurrent,
  getMain,
  getRunCount,
  run,
  schedule,
  scheduleRemove,
  switchTrap,
  type RunOptions,
} from './scheduling.js';
export {
  getChannelCallback,
  getErrorHandler,
  getScheduleCallback,
  setChannelCallback,
  setErrorHandler,
  setScheduleCallback,
} from './callbacks.js';
export { runMain, runMainAsync } from './main.js';
export { checkInvariants } from './invariants.js';
export {
  BlockTrapError,
  CallbackError,
  ChannelClosedError,
  DeadlockError,
  InternalError,
  StacklessError,
  StopIteration,
  SwitchTrapError,
  TaskletExit,
  TaskletStateError,
  UsageError,
  isTaskletExit,
} from './errors.js';
