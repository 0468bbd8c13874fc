/** Maps a system id to its module (one file per system family). Caller: child.ts. */
import type { System, SystemId } from './workloads.js';

export async function loadSystem(id: SystemId): Promise<System> {
  switch (id) {
    case 'floor':
      return (await import('./floor.js')).system;
    case 'stackless':
      return (await import('./systems/stackless.js')).system;
    case 'stackless-compiled':
      return (await import('./systems/stackless-compiled.js')).system;
    case 'async':
      return (await import('./systems/async.js')).system;
    case 'effect':
      return (await import('./systems/effect.js')).system;
    case 'effection':
      return (await import('./systems/effection.js')).system;
    case 'js-csp':
      return (await import('./systems/js-csp.js')).system;
    case 'co':
      return (await import('./systems/co.js')).system;
  }
}
