import { compiledFunctions, type CompiledFunctionInfo } from '../compiler/contract.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { PickleError } from './pickle-error.js';

/**
 * The code table at the head of every pickle: one (function id, code hash) pair per compiled
 * function whose frames or closures the pickle holds. On load each id must be registered
 * with the same hash, so a pickle never resumes in code that changed.
 */

export interface LoadedCode {
  readonly fnId: string;
  readonly info: CompiledFunctionInfo;
}

/** Caller: pickle(). */
export function writeCodeTable(w: ByteWriter, codes: ReadonlyMap<string, { index: number; hash: string }>): void {
  w.varint(codes.size);
  for (const [fnId, { hash }] of codes) {
    w.string(fnId);
    w.string(hash);
  }
}

/** `src/app.ts#Server.serve` → module `src/app.ts`, function `Server.serve`. */
export function splitFnId(fnId: string): { module: string; fn: string } {
  const i = fnId.lastIndexOf('#');
  return i < 0 ? { module: '(unknown module)', fn: fnId } : { module: fnId.slice(0, i), fn: fnId.slice(i + 1) };
}

/** Read the table's function ids without checking them (the resume CLI imports their modules first). Caller: pickleFunctionIds(). */
export function readCodeIds(r: ByteReader): string[] {
  const n = r.varint();
  if (n > r.end - r.pos) r.truncated('the code table');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(r.string());
    r.string();
  }
  return out;
}

/** Read the table and check every entry against the code loaded in this process. Caller: unpickle(). */
export function readCodeTable(r: ByteReader): LoadedCode[] {
  const n = r.varint();
  if (n > r.end - r.pos) r.truncated('the code table');
  const out: LoadedCode[] = [];
  for (let i = 0; i < n; i++) {
    const fnId = r.string();
    const hash = r.string();
    const info = compiledFunctions.get(fnId);
    if (info === undefined || info.codeHash !== hash) refuse(fnId, hash, info);
    out.push({ fnId, info: info! });
  }
  return out;
}

/** Caller: readCodeTable, for a function that is missing or has another hash. */
function refuse(fnId: string, hash: string, info: CompiledFunctionInfo | undefined): never {
  const { module, fn } = splitFnId(fnId);
  if (info === undefined)
    throw new PickleError(
      `unpickle: the pickle needs compiled function ${fn} of module ${module}, which is not loaded in this process: ` +
        `import ${module} (compiled: node --import stackless/register) before unpickling`,
    );
  throw new PickleError(
    `unpickle: code changed for function ${fn} in module ${module}: the pickle was made by code version ${hash}, ` +
      `this process has ${info.codeHash}. A tasklet cannot resume in different code; finish it with the old code`,
  );
}
