/**
 * What the report says about each system (label, which primitives it uses, the workloads it
 * cannot run and why). Kept apart from the implementations so the parent process can plan and
 * report without importing any runtime (the working tree of src/ may be mid-edit: see --at).
 */
import type { SystemId, SystemInfo } from '../workloads.js';

/** Only the compiled tier can serialize a suspended task; every other system says why not. */
const NO_PICKLE = (why: string) => ({ pickle: why, 'pickle-deep': why }) as const;
const NO_SUSPENDED_STATE = NO_PICKLE('a suspended task cannot be serialized');

export const SYSTEM_INFO: Record<SystemId, SystemInfo> = {
  floor: {
    label: 'floor (raw generators)',
    note: 'hand-written round-robin queue + rendezvous channel, bench/floor.ts; its operations are generator functions, so every send/receive allocates a generator (what a minimal version does), which costs it GC time on the 10,000-task ring',
    unsupported: {
      ...NO_SUSPENDED_STATE,
      'deep-call': 'no frame-stack call(); see the nested yield* row',
      'max-depth-call': 'no frame-stack call()',
    },
  },
  stackless: {
    label: 'stackless',
    note: 'Channel (rendezvous, preference -1), plain-script main calling run(); tasklet bodies are native generators',
    unsupported: { ...NO_PICKLE('native generator frames are not restorable: see the compiled column') },
  },
  'stackless-compiled': {
    label: 'stackless (compiled)',
    note: 'the same bench/systems/stackless.ts with every generator function compiled by the tasklet compiler (src/compiler): frames are plain data, nested yield* pushes frames; pickle workloads use stackless/pickle',
    unsupported: {},
  },
  async: {
    label: 'async/await',
    note: 'async functions + promise rendezvous channel (bench/systems/promise-channel.ts)',
    unsupported: {
      ...NO_SUSPENDED_STATE,
      'deep-call': 'no call(); async recursion is in the nested row',
      'max-depth-call': 'no call()',
    },
  },
  effect: {
    label: 'Effect 4.1',
    note: 'fibers + Queue.bounded(0) (rendezvous-like: offer waits for a taker); ring: Queue.bounded(1), because a bounded(0) ring of >= 2,000 fibers hangs in Effect 4.1.0; yield = Effect.yieldNow',
    unsupported: {
      ...NO_SUSPENDED_STATE,
      'deep-call': 'no frame-stack call(); nested Effect.gen row instead',
      'max-depth-call': 'no frame-stack call()',
    },
  },
  effection: {
    label: 'Effection 4.1',
    note: 'spawn + createQueue (unbounded; no rendezvous channel exists)',
    unsupported: {
      ...NO_SUSPENDED_STATE,
      schedule: 'no cooperative yield operation (only sleep(), a timer)',
      'deep-call': 'no frame-stack call(); nested yield* row instead',
      'deep-yield': 'no cooperative yield to resume at the bottom',
      'max-depth-call': 'no frame-stack call()',
    },
  },
  'js-csp': {
    label: 'js-csp 1.0.1',
    note: 'go processes + chan() (unbuffered); parked: 1,000 takers per channel (1,024 limit)',
    unsupported: {
      ...NO_SUSPENDED_STATE,
      'deep-call': 'no frame-stack call(); nested yield* row instead',
      'max-depth-call': 'no frame-stack call()',
    },
  },
  co: {
    label: 'co 4.6',
    note: 'co generators yielding promises + promise rendezvous channel',
    unsupported: {
      ...NO_SUSPENDED_STATE,
      'deep-call': 'no frame-stack call(); nested yield* row instead',
      'max-depth-call': 'no frame-stack call()',
    },
  },
};
