/**
 * The `stackless-compiled` system: bench/systems/stackless.ts with its generator functions
 * compiled by the tasklet compiler. bench/run.ts's esbuild plugin replaces this module's
 * contents with `compile(<stackless.ts source>)` when it bundles the children, so both columns
 * measure one source. Run unbundled (`--tsx`, or bench/child.ts by hand), this module loads
 * the compiler's load hook first and imports that source compiled.
 */
import type { System } from '../workloads.js';
import { SYSTEM_INFO } from './info.js';

await import('stackless/register');
const compiled = (await import('./stackless.ts?compiled' as string)) as { system: System };

export const system: System = { ...compiled.system, ...SYSTEM_INFO['stackless-compiled'] };
