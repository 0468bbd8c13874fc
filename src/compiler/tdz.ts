import type { Binding, NodePath } from '@babel/traverse';
import * as t from '@babel/types';

/**
 * TDZ analysis (compile time): which reads and writes of a `let`/`const`/`class` binding owned
 * by a compiled frame might run before its declaration, and so need a check that throws
 * ReferenceError `Cannot access 'x' before initialization` as native code does.
 *
 * A site is safe when it runs after the declaration in every execution: it is (or the
 * outermost function or class containing it, below the binding's scope, is created) after
 * the declarator in source order, outside the declarator's initializer, and the scope is not a
 * `switch` (whose cases can be entered past a declaration). A block is always entered at its
 * start and left forward, so source order is execution order for these sites; a hoisted
 * function declaration is created at scope entry, so sites in one are never safe. Most code
 * declares before use: no check is emitted and the hot path is unchanged.
 *
 * Caller: transform.ts (step 4, before any rewrite).
 */

interface Range {
  /** Sites before this position (in the binding's scope) may run before initialisation. */
  readonly end: number;
  /** The declarator's initializer runs before a pattern's bindings are initialised. */
  readonly init: [number, number] | null;
}

/** The positions that decide safety for binding `b`, or null when `b` needs no TDZ check. */
export function tdzRange(b: Binding): Range | null {
  if (b.kind !== 'let' && b.kind !== 'const') return null;
  const bp = b.path;
  if (bp.isClassDeclaration()) return { end: bp.node.end ?? 0, init: null };
  if (!bp.isVariableDeclarator()) return null; // catch parameters: initialised on entry
  const decl = bp.parentPath;
  if ((decl.parentPath?.isForInStatement() || decl.parentPath?.isForOfStatement()) && decl.key === 'left') return null;
  const d = bp.node;
  if (t.isIdentifier(d.id)) return { end: d.end ?? 0, init: null };
  const init: [number, number] | null = d.init ? [d.init.start ?? 0, d.init.end ?? 0] : null;
  return { end: elementEnd(d.id, b.identifier) ?? d.end ?? 0, init };
}

/** The end of the outermost pattern element with a default that contains `id` (else of `id`). */
function elementEnd(pat: t.Node, id: t.Identifier): number | null {
  let outermost: number | null = null;
  const walk = (n: t.Node, inDefault: number | null): boolean => {
    if (n === id) {
      outermost = inDefault ?? id.end ?? 0;
      return true;
    }
    const here = inDefault ?? (t.isAssignmentPattern(n) ? (n.end ?? 0) : null);
    for (const key of t.VISITOR_KEYS[n.type] ?? []) {
      const v = (n as unknown as Record<string, unknown>)[key];
      const kids = Array.isArray(v) ? v : [v];
      for (const c of kids) if (c && typeof c === 'object' && walk(c as t.Node, here)) return true;
    }
    return false;
  };
  walk(pat, null);
  return outermost;
}

/** May `site` (a reference or assignment target of `b`) run before `b` is initialised? */
export function tdzUnsafe(b: Binding, range: Range, site: NodePath): boolean {
  if (t.isSwitchStatement(b.scope.block)) return true;
  let pos = site.node.start ?? 0;
  let hoisted = false;
  for (let q: NodePath | null = site.parentPath; q && q.node !== b.scope.block; q = q.parentPath) {
    if (q.isFunction() || q.isClass()) {
      hoisted = q.isFunctionDeclaration(); // created at scope entry: callable before the declaration
      pos = q.node.start ?? 0;
    }
  }
  if (hoisted || pos < range.end) return true;
  return range.init !== null && pos >= range.init[0] && pos < range.init[1];
}
