/**
 * atomic() marks a section that preemption must not interrupt; it restores the previous
 * flag afterwards, even when the body throws, and nests. It does not stop voluntary
 * switches (a blocking receive still switches).
 * Run: node --conditions=source --import tsx examples/atomic.ts
 */
import { atomic, getCurrent, runMain, schedule } from 'stackless';

runMain(function* () {
  console.log(`before: atomic=${getCurrent().atomic}`);
  yield* atomic(function* () {
    console.log(`inside: atomic=${getCurrent().atomic}`);
    yield* atomic(function* () {
      console.log(`nested: atomic=${getCurrent().atomic}`);
    });
    yield* schedule(); // voluntary switches are still allowed
    console.log(`after nested: atomic=${getCurrent().atomic}`);
  });
  console.log(`after: atomic=${getCurrent().atomic}`);
});
