/** What one planned measurement produced across its runs. Writer: run.ts; reader: report.ts. */
import type { Measurement } from './plan.js';
import type { ChildResult } from './spec.js';
import { median } from './median.js';

export interface Outcome {
  m: Measurement;
  /** One entry per successful child run. */
  results: ChildResult[];
  /** One line per failed child run. */
  errors: string[];
  /** Why the system cannot run this workload ("n/a (reason)"), or null. */
  na: string | null;
}

/** Median wall ns per operation, or null when no run succeeded. */
export function wallPerOp(o: Outcome | undefined): number | null {
  return o === undefined || o.results.length === 0 ? null : median(o.results.map((r) => r.wallNs / r.ops));
}

/** Median CPU ns per operation, or null. */
export function cpuPerOp(o: Outcome | undefined): number | null {
  return o === undefined || o.results.length === 0 ? null : median(o.results.map((r) => r.cpuNs / r.ops));
}

export function medianOf(o: Outcome | undefined, f: (r: ChildResult) => number | undefined): number | null {
  if (o === undefined) return null;
  const xs = o.results.map(f).filter((x): x is number => typeof x === 'number');
  return xs.length === 0 ? null : median(xs);
}
