/**
 * A Bomb is an error in transit. Stored in a tasklet's `tempval`, it explodes (the error is
 * thrown at the tasklet's suspension point) when the tasklet is next resumed. `kill`,
 * `throw`, `raiseException`, `sendException`, `sendThrow` and the propagation of uncaught
 * errors to the watchdog are all "plant a bomb, then switch". Sending a Bomb with a plain
 * `send()` explodes in the receiver too.
 */
export class Bomb {
  constructor(readonly error: unknown) {}

  /** The error's class, like Stackless's `bomb.type`. */
  get type(): unknown {
    const e = this.error;
    return e !== null && typeof e === 'object' ? (e as object).constructor : typeof e;
  }
}
