/**
 * The measurement plan: which (workload, system, size) pairs one `npm run bench` measures.
 * Workload definitions are fixed (see bench/README.md); slow peers get fewer iterations of
 * the same workload (figures are per operation) so the suite stays short, and each row
 * says the size it ran at.
 */
import type { Params, Spec } from './spec.js';
import { SYSTEM_IDS, type SystemId, type WorkloadName } from './workloads.js';

export interface Options {
  quick: boolean;
  huge: boolean;
  runs: number;
  only: readonly WorkloadName[] | null;
  systems: readonly SystemId[];
}

export interface Measurement {
  key: string;
  spec: Spec;
  runs: number;
  /** Extra node flags for the child (memory runs need --expose-gc and a bigger heap). */
  nodeFlags: string[];
  /** Kill the child after this long. */
  timeoutMs: number;
}

/** Per-system divisor of iteration counts: peers that need µs per operation run fewer. */
const SLOW: Record<SystemId, number> = { floor: 1, stackless: 1, 'stackless-compiled': 1, async: 1, co: 4, effect: 10, effection: 20, 'js-csp': 20 };

/** Largest parked-memory N per system by default (memory per task × N must fit the box). */
const PARKED_CAP: Record<SystemId, number> = {
  floor: 1_000_000,
  stackless: 1_000_000,
  'stackless-compiled': 1_000_000,
  async: 1_000_000,
  co: 1_000_000,
  effect: 1_000_000,
  effection: 100_000,
  'js-csp': 100_000,
};

export const PARKED_NS = [2_000, 20_000, 100_000, 1_000_000];
export const HUGE_N = 10_000_000;
export const DEPTHS = [1, 100, 1_000, 10_000];
export const MAX_CALL_DEPTH = 1_000_000;
export const MAX_YIELD_DEPTH = 200_000;
/** Frames of the deep pickled tasklet (issue #4: a 10^6-frame tasklet pickles and resumes). */
export const PICKLE_DEPTH = 1_000_000;

export function parkedNs(o: Options, system: SystemId): number[] {
  const ns = PARKED_NS.filter((n) => n <= PARKED_CAP[system]);
  if (o.huge && (system === 'stackless' || system === 'floor')) ns.push(HUGE_N);
  return o.quick ? ns.filter((n) => n <= 100_000) : ns;
}

export function parkedCapNote(system: SystemId): string | null {
  return PARKED_CAP[system] < 1_000_000 ? `capped at ${PARKED_CAP[system].toLocaleString('en-US')} by default (memory and time)` : null;
}

export function buildPlan(o: Options): Measurement[] {
  const q = o.quick ? 10 : 1;
  const out: Measurement[] = [];
  const want = (w: WorkloadName): boolean => o.only === null || o.only.includes(w);
  const add = (workload: WorkloadName, system: SystemId, params: Params, extra?: Partial<Measurement>): void => {
    out.push({
      key: `${workload}|${system}|${JSON.stringify(params)}`,
      spec: { system, workload, params },
      runs: o.runs,
      nodeFlags: [],
      timeoutMs: 180_000,
      ...extra,
    });
  };
  const div = (n: number, s: SystemId, min = 1): number => Math.max(min, Math.floor(n / q / SLOW[s]));
  const systems = SYSTEM_IDS.filter((s) => o.systems.includes(s));

  for (const s of systems) if (want('pingpong')) add('pingpong', s, { n: div(1_000_000, s, 1000) });
  // Effection's hop cost grows with the number of tasks (≈0.5 ms at 10,000): one lap only.
  for (const s of systems) if (want('ring')) add('ring', s, { size: 10_000, laps: s === 'effection' ? 1 : div(100, s) });
  // Effection's spawn costs ≈0.1-0.5 ms per task (more with more siblings): 10,000 tasks in total.
  const eff = (s: SystemId, n: number, other: number): number => (s === 'effection' ? Math.max(1, Math.floor(n / q)) : other);
  for (const s of systems) if (want('spawn')) add('spawn', s, { rounds: eff(s, 1, div(100, s)), perRound: 10_000 });
  for (const s of systems) if (want('spawn-bounded')) add('spawn-bounded', s, { rounds: eff(s, 100, div(10_000, s)), perRound: 100 });
  for (const s of systems) if (want('schedule')) add('schedule', s, { tasks: 10, each: div(100_000, s, 100) });
  if (want('parked')) {
    for (const s of systems) {
      for (const n of [0, ...parkedNs(o, s)]) {
        const big = n >= 1_000_000;
        add('parked', s, { n }, {
          runs: n >= HUGE_N ? Math.min(o.runs, 2) : big ? Math.min(o.runs, 3) : o.runs,
          nodeFlags: ['--expose-gc', `--max-old-space-size=${n >= HUGE_N ? 16_000 : 8_000}`],
          timeoutMs: n >= HUGE_N ? 900_000 : 300_000,
        });
      }
    }
  }
  for (const mode of ['deep-call', 'deep-yield'] as const) {
    if (!want(mode)) continue;
    for (const s of systems) {
      for (const depth of DEPTHS) {
        // Nested yield* resumes cost O(depth): fewer resumes at depth keeps each run short.
        // (Compiled nested yield* pushes frames, so it resumes in O(1) like call().)
        const resumes = mode === 'deep-call' || s === 'stackless-compiled' ? div(200_000, s, 100) : div(Math.min(200_000, 20_000_000 / depth), s, 100);
        add(mode, s, { depth, resumes }, { nodeFlags: ['--expose-gc'] });
      }
    }
  }
  for (const s of systems) if (want('max-depth-call')) add('max-depth-call', s, { limit: MAX_CALL_DEPTH }, { runs: Math.min(o.runs, 3) });
  for (const s of systems) if (want('max-depth-yield')) add('max-depth-yield', s, { limit: MAX_YIELD_DEPTH }, { runs: Math.min(o.runs, 3) });
  // Not scaled down by --quick: fewer than ~20,000 pickles leave the pickler unoptimized.
  for (const s of systems) if (want('pickle')) add('pickle', s, { n: 20_000 });
  for (const s of systems)
    if (want('pickle-deep'))
      add('pickle-deep', s, { depth: o.quick ? PICKLE_DEPTH / 10 : PICKLE_DEPTH }, {
        runs: Math.min(o.runs, 3),
        nodeFlags: ['--max-old-space-size=8000'],
        timeoutMs: 300_000,
      });
  return out;
}
