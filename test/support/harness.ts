/**
 * The clean-scheduler guard of Stackless's test harness: before and after every test the
 * run count is 1, the switch trap is 0, no error handler or callbacks are installed, no
 * watchdog is left, and the scheduler's invariants hold. Leftover runnable tasklets are
 * killed (as Stackless's tearDown does) and then reported as a failure.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import {
  checkInvariants,
  getCurrent,
  getMain,
  getRunCount,
  setChannelCallback,
  setErrorHandler,
  setScheduleCallback,
  switchTrap,
} from 'stackless';

export function useCleanScheduler(): void {
  beforeEach(() => {
    const st = checkInvariants();
    assert.equal(st.runcount, 1, 'runcount is 1 before the test');
    assert.equal(st.watchdogs, 0);
    assert.equal(getCurrent(), getMain());
  });
  afterEach(() => {
    let leftovers = 0;
    for (let t = getMain().next; t !== null && t !== getMain(); t = getMain().next) {
      leftovers++;
      t.kill();
      if (leftovers > 10_000) break;
    }
    const trap = switchTrap(0);
    if (trap !== 0) switchTrap(-trap);
    const handler = setErrorHandler(null);
    setScheduleCallback(null);
    setChannelCallback(null);
    const st = checkInvariants();
    assert.equal(leftovers, 0, 'no runnable tasklet is left after the test');
    assert.equal(trap, 0, 'switch trap is 0 after the test');
    assert.equal(handler, null, 'no error handler is left installed');
    assert.equal(st.runcount, 1);
    assert.equal(getRunCount(), 1);
    assert.equal(st.watchdogs, 0);
    assert.equal(st.mode, 'plain');
  });
}
