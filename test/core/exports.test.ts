import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as core from 'stackless';

// The public surface is a whitelist: adding or removing a name is a deliberate API change
// that must update this list (and the docs).
const CORE_EXPORTS = [
  'BlockTrapError',
  'Bomb',
  'CallbackError',
  'Channel',
  'ChannelClosedError',
  'DeadlockError',
  'InternalError',
  'Op',
  'StacklessError',
  'StopIteration',
  'SwitchTrapError',
  'Tasklet',
  'TaskletExit',
  'TaskletStateError',
  'UsageError',
  'atomic',
  'bomb',
  'call',
  'checkInvariants',
  'getChannelCallback',
  'getCurrent',
  'getErrorHandler',
  'getMain',
  'getRunCount',
  'getScheduleCallback',
  'isTaskletExit',
  'run',
  'runMain',
  'runMainAsync',
  'schedule',
  'scheduleRemove',
  'setChannelCallback',
  'setErrorHandler',
  'setScheduleCallback',
  'switchTrap',
];

describe('public surface', () => {
  it('stackless exports exactly the core whitelist', () => {
    assert.deepEqual(Object.keys(core).sort(), [...CORE_EXPORTS].sort());
  });
  it('internal modules cannot be imported through the package', async () => {
    await assert.rejects(import('stackless/internal/core/ring.js' as string), /ERR_PACKAGE_PATH_NOT_EXPORTED|not exported|not defined by "exports"/);
  });
});
