import { sched } from './scheduler.js';

/**
 * Assert the scheduler's invariants (ring links, runcount, one current tasklet, watchdog
 * stack) and return a summary. Tests call it before and after every case.
 */
export function checkInvariants(): { runcount: number; switchTrap: number; watchdogs: number; mode: string } {
  sched.checkInvariants();
  return {
    runcount: sched.runcount,
    switchTrap: sched.switchTrap,
    watchdogs: sched.watchdogs.length,
    mode: sched.mode,
  };
}
