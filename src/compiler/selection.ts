import { sep } from 'node:path';

/**
 * Which files the load hook and `stackless build` compile: project JavaScript/TypeScript
 * modules outside node_modules and outside the stackless package's own code. (Per module
 * "use native" and per function `@stackless native` opt-outs are applied by compile().)
 */
export function shouldCompile(path: string, ownCode: string): boolean {
  if (!/\.(m|c)?(j|t)sx?$/.test(path) || /\.d\.(m|c)?ts$/.test(path)) return false;
  if (path.split(sep).includes('node_modules')) return false;
  if (path === ownCode || path.startsWith(ownCode + sep)) return false;
  return true;
}
