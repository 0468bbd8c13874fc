import { relative, sep } from 'node:path';
import { transformFromAstSync, transformSync, type PluginObj } from '@babel/core';
import * as t from '@babel/types';
import presetTypescript from '@babel/preset-typescript';
import { transformProgram } from './transform.js';

export interface CompileOptions {
  /** Absolute (or project-relative) file name; used for ids, errors and source maps. */
  filename: string;
  /** Function ids are `<filename relative to projectRoot>#<qualified name>`. Default: cwd. */
  projectRoot?: string;
  /** Insert tick counting at function entry and loop back-edges (preemption). */
  preempt?: boolean;
  /** Strip TypeScript types. Default: by extension (.ts, .mts, .cts, .tsx). */
  typescript?: boolean;
  /** Where generated code imports its runtime from. Default 'stackless/compiler/runtime' (no Babel at run time). */
  runtime?: string;
  /** 'inline' appends a data: URL map to `code`; true returns it in `map` only. Default true. */
  sourceMaps?: boolean | 'inline';
}

export interface CompileResult {
  code: string;
  map: object | null;
  /** Ids of the compiled functions and closures (empty when nothing was compiled). */
  functions: string[];
}

/**
 * Compile one module: strip TypeScript types, then turn every generator function into a
 * compiled state machine (transform.ts). Modules with a top-level "use native" directive and
 * functions with a leading `/* @stackless native *\/` comment are left as they are.
 */
export function compile(source: string, options: CompileOptions): CompileResult {
  const filename = options.filename;
  const root = options.projectRoot ?? process.cwd();
  const modulePath = relative(root, filename).split(sep).join('/');
  const ts = options.typescript ?? /\.(c|m)?tsx?$/.test(filename);
  const stripped = transformSync(source, {
    filename,
    babelrc: false,
    configFile: false,
    ast: true,
    code: false,
    sourceType: 'module',
    presets: ts ? [[presetTypescript, { onlyRemoveTypeImports: true, allowDeclareFields: true }]] : [],
    parserOpts: { plugins: ts ? [] : [] },
  });
  if (!stripped?.ast) throw new Error(`could not parse ${filename}`);
  const functions: string[] = [];
  const plugin = (): PluginObj => ({
    visitor: {
      Program(path) {
        if (path.node.directives.some((d) => d.value.value === 'use native')) return;
        const ids = transformProgram(path, { modulePath, filename, source, preempt: options.preempt ?? false });
        functions.push(...ids);
        if (ids.length > 0) {
          const imp = t.importDeclaration([t.importNamespaceSpecifier(t.identifier('$rt'))], t.stringLiteral(options.runtime ?? 'stackless/compiler/runtime'));
          path.node.body.unshift(imp);
        }
        path.skip();
      },
    },
  });
  const sm = options.sourceMaps ?? true;
  const out = transformFromAstSync(stripped.ast, source, {
    filename,
    babelrc: false,
    configFile: false,
    sourceType: 'module',
    plugins: [plugin],
    sourceMaps: sm,
    sourceFileName: filename,
    retainLines: false,
    compact: false,
  });
  if (!out || out.code == null) throw new Error(`could not compile ${filename}`);
  return { code: out.code, map: (out.map as object | null | undefined) ?? null, functions };
}
