import { register } from 'node:module';

/**
 * `node --import stackless/register app.ts`: compile tasklet generators on load (and strip
 * TypeScript types). Options come from the environment: STACKLESS_PROJECT_ROOT (function ids
 * are relative to it; default the working directory) and STACKLESS_PREEMPT=1 (tick counting).
 */
const hooks = new URL(import.meta.url.endsWith('.ts') ? './hooks.ts' : './hooks.js', import.meta.url);
register(hooks.href, import.meta.url, {
  data: {
    projectRoot: process.env['STACKLESS_PROJECT_ROOT'] ?? process.cwd(),
    preempt: process.env['STACKLESS_PREEMPT'] === '1',
  },
});
