/**
 * Thrown inside the encoder when it meets something it cannot pickle. pickle() catches it,
 * finds the path to `value` from the root and raises a PickleError. Caller: encoder, pickle().
 */
export class Refusal {
  constructor(
    readonly value: unknown,
    readonly what: string,
    readonly hint: string,
  ) {}
}
