/** Minimal types for js-csp 1.0.1 (it ships none): the part the benchmarks use. */
declare module 'js-csp' {
  export interface Chan {
    close(): void;
  }
  export type Instruction = { readonly __instruction: unique symbol };
  const csp: {
    chan(): Chan;
    go<A extends unknown[]>(fn: (...args: A) => Generator<unknown, unknown, unknown>, args?: A): Chan;
    put(ch: Chan, value: unknown): Instruction;
    take(ch: Chan): Instruction;
    timeout(ms: number): Chan;
    CLOSED: unknown;
  };
  export default csp;
}
