import { createHash } from 'node:crypto';
import type { NodePath, Scope, Binding } from '@babel/traverse';
import * as t from '@babel/types';
import { CompileError } from './compile-error.js';
import { Emitter } from './emitter.js';
import { planSuperRewrite } from './super-rewrite.js';
import { tdzRange, tdzUnsafe } from './tdz.js';

/**
 * The tasklet transform of one module (a Babel plugin body): every generator function
 * becomes a wrapper that creates a frame object, a per-function frame class holding its
 * locals in-object, and a state machine (emitter.ts) that reads and writes them as
 * `$f.$name`. Functions created inside a generator that use its locals are
 * closure-converted: a module-level factory `mk($e)` whose body reaches the locals through
 * `$e` (the frame, or a per-iteration block record `{ env, ...bindings }`).
 *
 * Caller: compile.ts (one Program at a time).
 */

export const ABI_VERSION = 'stackless-compiler/1';

export interface TransformOptions {
  /** Module path relative to the project root (the first half of every function id). */
  modulePath: string;
  filename: string;
  source: string;
  preempt: boolean;
}

type FnPath = NodePath<t.FunctionDeclaration | t.FunctionExpression | t.ObjectMethod | t.ClassMethod>;
type ScopeNode = t.Node;

interface UnitInfo {
  path: FnPath;
  node: t.Function;
  qname: string;
  tag: string;
  fields: Set<string>;
  paramFields: string[];
  /** A named function expression's own name, used in its body: `[name, field]`. */
  self: [string, string] | null;
}

const NATIVE_COMMENT = /@stackless\s+native/;

export function isNativeMarked(path: NodePath): boolean {
  const has = (n: t.Node | null | undefined): boolean =>
    (n?.leadingComments ?? []).some((c) => NATIVE_COMMENT.test(c.value));
  if (has(path.node)) return true;
  const p = path.parentPath;
  if (p && (p.isExportNamedDeclaration() || p.isExportDefaultDeclaration()) && has(p.node)) return true;
  if (p && p.isVariableDeclarator()) {
    const d = p.parentPath;
    if (d && has(d.node)) return true;
    if (d?.parentPath && d.parentPath.isExportNamedDeclaration() && has(d.parentPath.node)) return true;
  }
  return false;
}

function isCompilable(p: NodePath): p is FnPath {
  const n = p.node;
  return (
    (t.isFunctionDeclaration(n) || t.isFunctionExpression(n) || t.isObjectMethod(n) || t.isClassMethod(n)) &&
    n.generator === true &&
    n.async !== true &&
    !isNativeMarked(p)
  );
}

export function transformProgram(program: NodePath<t.Program>, opts: TransformOptions): string[] {
  const ids: string[] = [];
  const used = new Set<string>();
  let counter = 0;
  const err = (n: t.Node, msg: string): CompileError =>
    new CompileError(msg, opts.filename, n.loc?.start.line ?? 0, n.loc?.start.column ?? 0);

  program.traverse({
    Identifier(p) {
      if (p.node.name === '$f' || p.node.name === '$e' || p.node.name === '$rt')
        throw err(p.node, `the identifier ${p.node.name} is reserved by the tasklet compiler: rename it (or add "use native" to the module)`);
    },
  });

  const roots: FnPath[] = [];
  program.traverse({
    Function(p) {
      if (isCompilable(p)) {
        roots.push(p);
        p.skip();
      }
    },
  });
  if (roots.length === 0) return ids;

  const uniqueId = (base: string): string => {
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}#${k}`;
    used.add(id);
    return id;
  };
  const hash = (n: t.Node): string =>
    createHash('sha1')
      .update(`${ABI_VERSION}\n${opts.preempt ? 'preempt' : ''}\n${opts.source.slice(n.start ?? 0, n.end ?? 0)}`)
      .digest('hex')
      .slice(0, 12);

  /** Module-level statements of placed functions (their frame classes); inserted after the imports. */
  const moduleSupport: t.Statement[] = [];
  /** Generators nested in a plain function inside a compiled generator that use that function's variables. */
  const deferred: { node: t.Node; qname: string }[] = [];
  for (const root of roots) compileRoot(root, null);
  while (deferred.length > 0) {
    // the enclosing roots are rewritten: refresh the scope information, then find them again
    const batch = deferred.splice(0);
    program.scope.crawl();
    const paths = new Map<t.Node, FnPath>();
    program.traverse({
      Function(p) {
        if (batch.some((d) => d.node === p.node)) paths.set(p.node, p as FnPath);
      },
    });
    for (const d of batch) {
      const p = paths.get(d.node);
      if (!p) throw err(d.node, 'internal: deferred generator not found');
      compileRoot(p, d.qname);
    }
  }
  if (moduleSupport.length > 0) {
    const body = program.node.body;
    let i = 0;
    while (i < body.length && t.isImportDeclaration(body[i])) i++;
    body.splice(i, 0, ...moduleSupport);
  }
  return ids;

  function compileRoot(root: FnPath, outerQname: string | null): void {
    const support: t.Statement[] = [];
    if (outerQname !== null) aliasOuterFrames(root, support);
    /** Home object slots of super-using methods, per class or object literal node. */
    const homeSlots = new Map<t.Node, { proto?: string; stat?: string }>();
    /** Object literals to wrap as `(slot = {...})` once everything else is rewritten. */
    const homeObjects = new Map<t.Node, string>();
    /** Statements to insert after a top-level statement (FUNCTION_DATA tags): [anchor, statement]. */
    const tails: [t.Node, t.Statement][] = [];
    let placement: Scope = root.isFunctionDeclaration() ? root.scope.parent : root.parentPath.scope;
    while (t.isClass(placement.block) || (t.isFunctionExpression(placement.block) && placement.block === root.node)) placement = placement.parent;
    /** Compiled inside a function or block: registered weakly on each evaluation. */
    const placed = !t.isProgram(placement.block);
    const nestedArg: t.Expression[] = placed ? [t.numericLiteral(1)] : [];
    const units = new Map<t.Node, UnitInfo>();
    const boxed = new Map<ScopeNode, { field: string; unit: UnitInfo; names: string[]; checked: Set<string> }>();

    // 1. Units: the root and every generator nested in its code.
    const addUnit = (p: FnPath, parent: UnitInfo | null): UnitInfo => {
      const name = unitName(p);
      const qname = parent === null ? (outerQname === null ? name : `${outerQname}.${name}`) : `${parent.qname}.${name}`;
      const tag = `${safe(name)}$${++counter}`;
      const u: UnitInfo = { path: p, node: p.node, qname, tag, fields: new Set(), paramFields: [], self: null };
      units.set(p.node, u);
      return u;
    };
    addUnit(root, null);
    root.traverse({
      Function(p) {
        if (!isCompilable(p)) return;
        // nearest enclosing unit; plain functions in between must not own anything it uses
        const between = new Set<t.Node>();
        let parentUnit: UnitInfo | undefined;
        for (let q: NodePath | null = p.parentPath; q; q = q.parentPath) {
          if (units.has(q.node)) {
            parentUnit = units.get(q.node);
            break;
          }
          if (q.isFunction()) between.add(q.node);
        }
        if (parentUnit === undefined) throw err(p.node, 'internal: nested generator without an enclosing unit');
        if (between.size > 0) {
          let usesBetween = false;
          p.traverse({
            Identifier(r) {
              if (usesBetween || (!r.isReferencedIdentifier() && !(r as NodePath).isBindingIdentifier())) return;
              const b = r.scope.getBinding(r.node.name);
              const owner = b?.scope.getFunctionParent()?.block;
              if (owner && between.has(owner)) usesBetween = true;
            },
          });
          if (usesBetween) {
            // it uses the plain function's variables: compiled afterwards as a root of its own,
            // placed inside that function (where it sees them natively)
            deferred.push({ node: p.node, qname: parentUnit.qname });
            p.skip();
            return;
          }
        }
        addUnit(p, parentUnit);
      },
    });
    const unitOf = (n: t.Node): UnitInfo | undefined => units.get(n);

    // 2. Forbidden constructs; `super` sites.
    const superSites: [UnitInfo, NodePath<t.Super>][] = [];
    for (const u of units.values()) checkForbidden(u);

    // 3. Bindings owned by units.
    interface Owned {
      binding: Binding;
      unit: UnitInfo;
      owner: ScopeNode;
      field: string;
      /** Checked for TDZ (tdz.ts): a bit in a frame word, or present-once-initialised in a block record. */
      tdz?: { word: string; bit: number } | 'boxed';
    }
    const owned = new Map<Binding, Owned>();
    const scopes = new Set<Scope>();
    for (const u of units.values()) {
      scopes.add(u.path.scope);
      u.path.traverse({
        Scopable(p) {
          scopes.add(p.scope);
        },
      });
    }
    const allocField = (u: UnitInfo, name: string): string => {
      let f = `$${name}`;
      for (let k = 2; u.fields.has(f); k++) f = `$${name}$${k}`;
      u.fields.add(f);
      return f;
    };
    for (const s of scopes) {
      const fnScope = s.getFunctionParent();
      if (!fnScope) continue;
      const u = unitOf(fnScope.block);
      if (!u) continue;
      if (t.isClass(s.block)) continue;
      for (const b of Object.values(s.bindings)) {
        if (owned.has(b)) continue;
        if (b.kind === 'local') {
          // a named generator expression's own name: the wrapper passes itself to the frame
          if (b.referencePaths.length === 0 && b.constantViolations.length === 0) continue;
          if (b.constantViolations.length > 0)
            throw err(b.constantViolations[0]!.node, `assignment to the generator expression's own name ${b.identifier.name} (a constant)`);
          const field = allocField(u, b.identifier.name);
          owned.set(b, { binding: b, unit: u, owner: u.node, field });
          u.self = [b.identifier.name, field];
          continue;
        }
        if (b.kind === 'module') continue;
        const owner = boxOwner(b, u);
        const field = allocField(u, b.identifier.name);
        owned.set(b, { binding: b, unit: u, owner: owner ?? u.node, field });
        if (owner !== null) {
          let rec = boxed.get(owner);
          if (!rec) {
            rec = { field: `b$${u.fields.size}`, unit: u, names: [], checked: new Set() };
            u.fields.add(rec.field);
            boxed.set(owner, rec);
          }
          rec.names.push(field);
        }
      }
      const u2 = u;
      if (s.block === u2.node) {
        for (const p of u2.node.params) for (const id of Object.values(t.getBindingIdentifiers(p))) {
          const b = s.getBinding(id.name);
          const o = b ? owned.get(b) : undefined;
          if (o) u2.paramFields.push(o.field);
        }
      }
    }

    function boxOwner(b: Binding, u: UnitInfo): ScopeNode | null {
      if (b.kind !== 'let' && b.kind !== 'const') return null;
      const blk = b.scope.block;
      if (!(t.isForStatement(blk) || t.isForInStatement(blk) || t.isForOfStatement(blk) || t.isBlockStatement(blk))) return null;
      if (blk === u.node.body) return null;
      let inLoop = t.isLoop(blk);
      for (let p: NodePath | null = b.scope.path; p && p.node !== u.node && !inLoop; p = p.parentPath) if (t.isLoop(p.node)) inLoop = true;
      if (!inLoop) return null;
      const sites = [...b.referencePaths, ...b.constantViolations];
      const captured = sites.some((p) => ctxOf(p).node !== u.node);
      return captured ? blk : null;
    }

    // Context: the innermost unit or converted closure whose code a path is in.
    function isConvertible(p: NodePath): boolean {
      const n = p.node;
      if (!(t.isFunctionExpression(n) || t.isArrowFunctionExpression(n) || t.isFunctionDeclaration(n) || t.isClassExpression(n) || t.isClassDeclaration(n))) return false;
      if (units.has(n)) return false;
      const fp = p.parentPath?.getFunctionParent();
      return fp !== null && fp !== undefined && units.has(fp.node);
    }
    function inParams(p: NodePath, fn: t.Node): boolean {
      for (let q: NodePath | null = p; q && q.parentPath; q = q.parentPath) {
        if (q.parentPath.node === fn) return q.listKey === 'params';
      }
      return false;
    }
    interface Ctx { kind: 'unit' | 'closure'; node: t.Node; path: NodePath }
    function ctxOf(p: NodePath): Ctx {
      for (let q: NodePath | null = p.parentPath; q; q = q.parentPath) {
        if (units.has(q.node)) {
          if (inParams(p, q.node)) return { kind: 'closure', node: q.node, path: q };
          return { kind: 'unit', node: q.node, path: q };
        }
        if ((q.isFunction() || q.isClass()) && isConvertible(q)) return { kind: 'closure', node: q.node, path: q };
      }
      return { kind: 'unit', node: program.node, path: program };
    }
    function scopeNodesOutward(p: NodePath): ScopeNode[] {
      const out: ScopeNode[] = [];
      for (let q: NodePath | null = p.parentPath; q; q = q.parentPath) if (units.has(q.node) || boxed.has(q.node)) out.push(q.node);
      return out;
    }
    const F = (): t.Expression => t.identifier('$f');
    const mem = (o: t.Expression, f: string): t.MemberExpression => t.memberExpression(o, t.identifier(f));
    /** Expression for scope node `s`'s object, seen from path `site`. */
    function scopeExpr(site: NodePath, s: ScopeNode): t.Expression {
      const ctx = ctxOf(site);
      if (ctx.kind === 'unit' && units.has(ctx.node)) {
        if (s === ctx.node) return F();
        const rec = boxed.get(s);
        if (rec && rec.unit.node === ctx.node) return mem(F(), rec.field);
        let e: t.Expression = mem(F(), 'env');
        for (const n of scopeNodesOutward(ctx.path)) {
          if (n === s) return e;
          e = mem(e, 'env');
        }
        throw err(site.node, 'internal: scope not found');
      }
      if (ctx.kind === 'unit') throw err(site.node, 'internal: frame access outside a compiled function');
      let e: t.Expression = t.identifier('$e');
      for (const n of scopeNodesOutward(ctx.path)) {
        if (n === s) return e;
        e = mem(e, 'env');
      }
      throw err(site.node, 'internal: scope not found from closure');
    }

    // 4. Rewrite references (reads, writes) to owned bindings; TDZ checks where a site may run
    // before the declaration (tdz.ts).
    const edits = new Map<NodePath, t.Expression>();
    const tdzWords = new Map<UnitInfo, { word: string; used: number }>();
    const tdzSlot = (u: UnitInfo): { word: string; bit: number } => {
      let w = tdzWords.get(u);
      if (!w || w.used === 30) {
        w = { word: allocField(u, 'tdz'), used: 0 };
        tdzWords.set(u, w);
      }
      return { word: w.word, bit: 1 << w.used++ };
    };
    const tdzError = (name: string): t.Expression => t.callExpression(mem(t.identifier('$rt'), 'tdz'), [t.stringLiteral(name)]);
    for (const o of owned.values()) {
      const b = o.binding;
      const name = b.identifier.name;
      const own = (p: NodePath): boolean => o.unit.node !== undefined && inParams(p, o.unit.node) && ctxOf(p).node === o.unit.node; // own params: native in the wrapper
      const writes = new Set<NodePath<t.Identifier>>();
      for (const c of b.constantViolations) {
        if (c.node === b.path.node) continue;
        for (const idp of lvalIdentifiers(c, name)) writes.add(idp);
      }
      const reads = b.referencePaths.filter((r): r is NodePath<t.Identifier> => r.isIdentifier() && !writes.has(r as NodePath<t.Identifier>));
      const range = tdzRange(b);
      const unsafe = new Set<NodePath>();
      if (range !== null) for (const p of [...reads, ...writes]) if (!own(p) && tdzUnsafe(b, range, p)) unsafe.add(p);
      if (unsafe.size > 0) {
        const rec = boxed.get(o.owner);
        rec?.checked.add(o.field);
        o.tdz = rec ? 'boxed' : tdzSlot(o.unit);
      }
      const site = (p: NodePath<t.Identifier>, write: boolean): void => {
        if (own(p)) return;
        const base = scopeExpr(p, o.owner);
        const tdz = o.tdz;
        if (!unsafe.has(p) || tdz === undefined) {
          edits.set(p, mem(base, o.field));
          return;
        }
        // initialised? boxed: the record has the field; frame: the binding's bit is set
        const ready = tdz === 'boxed' ? t.binaryExpression('in', t.stringLiteral(o.field), base) : t.binaryExpression('&', mem(base, tdz.word), t.numericLiteral(tdz.bit));
        edits.set(p, write
          ? t.memberExpression(t.cloneNode(base), t.conditionalExpression(ready, t.stringLiteral(o.field), tdzError(name)), true)
          : t.conditionalExpression(ready, mem(t.cloneNode(base), o.field), tdzError(name)));
      };
      for (const r of reads) site(r, false);
      for (const w of writes) site(w, true);
    }
    /** After a declaration of checked bindings has run: mark them initialised (frame bits). */
    const tdzInitialised = (ids: string[], scope: Scope): t.Expression[] => {
      const out: t.Expression[] = [];
      for (const id of ids) {
        const b = scope.getBinding(id);
        const o = b ? owned.get(b) : undefined;
        if (o?.tdz !== undefined && o.tdz !== 'boxed') out.push(t.assignmentExpression('|=', mem(F(), o.tdz.word), t.numericLiteral(o.tdz.bit)));
      }
      return out;
    };
    /** Entering the scope of checked frame-level bindings again (a block in a loop): uninitialised. */
    const checkedByBlock = new Map<t.Node, Owned[]>();
    for (const o of owned.values()) {
      if (o.tdz === undefined || o.tdz === 'boxed' || o.binding.scope.block === o.unit.node) continue;
      const list = checkedByBlock.get(o.binding.scope.block);
      if (list) list.push(o);
      else checkedByBlock.set(o.binding.scope.block, [o]);
    }
    const tdzResets = (block: t.Node): t.Expression[] =>
      (checkedByBlock.get(block) ?? []).map((o) => {
        const slot = o.tdz as { word: string; bit: number };
        return t.assignmentExpression('&=', mem(F(), slot.word), t.unaryExpression('~', t.numericLiteral(slot.bit)));
      });
    // `this` of a unit
    for (const u of units.values()) {
      u.path.traverse({
        ThisExpression(p) {
          let q: NodePath | null = p.parentPath;
          while (q && !(q.isFunction() && !q.isArrowFunctionExpression()) && !q.isClass()) q = q.parentPath;
          if (!q || q.node !== u.node) return;
          if (inParams(p, u.node)) return;
          edits.set(p, mem(scopeExpr(p, u.node), 'self'));
        },
      });
    }
    // `super` accesses: planned now (paths valid), applied after the identifier edits
    const superEdits = superSites.map(([u, p]) => {
      const slot = homeSlot(u);
      let keyField: string | null = null;
      return planSuperRewrite(p, {
        home: () => t.identifier(slot.name),
        self: () => mem(scopeExpr(p, u.node), 'self'),
        keyTemp: () => mem(scopeExpr(p, u.node), (keyField ??= allocField(u, 'superKey'))),
        error: err,
      });
    });
    // Declarations (binding identifiers inside unit code) are rewritten with the same map.
    const declEdits: (() => void)[] = [];
    const lateEdits: (() => void)[] = [];
    collectDeclarations();
    for (const [p, e] of edits) {
      const parent = p.parentPath;
      if (parent && parent.isObjectProperty() && parent.node.shorthand) parent.node.shorthand = false;
      // a local called as a function is not a method of the frame: `(0, $f.$fn)(...)`, this = undefined
      const called = (parent?.isCallExpression() || parent?.isOptionalCallExpression()) && p.key === 'callee' || parent?.isTaggedTemplateExpression() && p.key === 'tag';
      p.replaceWith(t.inherits(called && p.isIdentifier() ? t.sequenceExpression([t.numericLiteral(0), e]) : e, p.node));
    }
    for (const e of superEdits) e();
    for (const d of declEdits) d();
    for (const d of lateEdits) d();

    /**
     * The slot holding a super-using method's home object: `hm$N`, declared with the support
     * code and set by a static block added first to the class body (`hm$N = this.prototype`,
     * or `this` for static methods) or by wrapping the object literal (`hm$N = {...}`).
     */
    function homeSlot(u: UnitInfo): { name: string; isStatic: boolean } {
      const p = u.path;
      const holder = p.isClassMethod() ? p.parentPath.parentPath! : p.parentPath!;
      const isStatic = p.isClassMethod() && p.node.static;
      let rec = homeSlots.get(holder.node);
      if (!rec) {
        rec = {};
        homeSlots.set(holder.node, rec);
      }
      const which = isStatic ? 'stat' : 'proto';
      let name = rec[which];
      if (name === undefined) {
        name = `hm$${++counter}`;
        rec[which] = name;
        support.unshift(t.variableDeclaration('let', [t.variableDeclarator(t.identifier(name))]));
        const slotName = name;
        if (holder.isClass()) {
          const value = isStatic ? t.thisExpression() : mem(t.thisExpression(), 'prototype');
          (holder.node as t.Class).body.body.unshift(t.staticBlock([t.expressionStatement(t.assignmentExpression('=', t.identifier(slotName), value))]));
        } else {
          homeObjects.set(holder.node, slotName);
        }
      }
      return { name, isStatic };
    }

    function directFor(b: Binding | undefined): t.MemberExpression | null {
      const o = b ? owned.get(b) : undefined;
      if (!o) return null;
      const rec = boxed.get(o.owner);
      return mem(rec ? mem(F(), rec.field) : F(), o.field);
    }
    function patternToLVal(pat: t.Node, scope: Scope): t.LVal {
      const clone = t.cloneNode(pat as t.LVal, true);
      const fix = (n: t.Node): t.Node => {
        if (t.isIdentifier(n)) return directFor(scope.getBinding(n.name)) ?? n;
        if (t.isObjectPattern(n)) {
          n.properties = n.properties.map((pr) => {
            if (t.isRestElement(pr)) return t.restElement(fix(pr.argument) as never);
            const v = fix(pr.value);
            return t.objectProperty(pr.key, v as t.Expression, pr.computed, false);
          });
          return n;
        }
        if (t.isArrayPattern(n)) {
          n.elements = n.elements.map((el) => (el === null ? null : (fix(el) as t.PatternLike)));
          return n;
        }
        if (t.isAssignmentPattern(n)) {
          n.left = fix(n.left) as t.AssignmentPattern['left'];
          return n;
        }
        if (t.isRestElement(n)) {
          n.argument = fix(n.argument) as never;
          return n;
        }
        return n;
      };
      return fix(clone) as t.LVal;
    }
    function collectDeclarations(): void {
      for (const u of units.values()) {
        u.path.traverse({
          Function(p) {
            if (p.isFunctionDeclaration()) hoistFunction(p);
            p.skip();
          },
          Class(p) {
            if (p.isClassDeclaration() && p.node.id) {
              const id = p.node.id;
              const target = directFor(p.scope.getBinding(id.name));
              if (target) {
                const node = p.node;
                const scope = p.parentPath.scope;
                declEdits.push(() => {
                  const expr = t.classExpression(node.id, node.superClass, node.body, node.decorators ?? []);
                  const assign = t.assignmentExpression('=', target, expr);
                  const mark = tdzInitialised([id.name], scope);
                  p.replaceWith(t.inherits(t.expressionStatement(mark.length > 0 ? t.sequenceExpression([assign, ...mark]) : assign), node));
                });
              }
            }
            p.skip();
          },
          VariableDeclaration(p) {
            const node = p.node;
            const parent = p.parentPath;
            const scope = p.scope;
            const decls = node.declarations;
            if (!decls.every((d) => Object.values(t.getBindingIdentifiers(d.id)).every((id) => directFor(scope.getBinding(id.name)) !== null))) return;
            if (parent.isForInStatement() || parent.isForOfStatement()) {
              if (p.key !== 'left') return;
              const loop = parent.node;
              const rec = boxed.get(loop);
              if (rec) {
                const h = `h$${u.fields.size}`;
                u.fields.add(h);
                const init = recordInit(parent as NodePath, rec);
                lateEdits.push(() => {
                  const pat = patternToLVal(decls[0]!.id, scope);
                  loop.left = mem(F(), h);
                  if (!t.isBlockStatement(loop.body)) loop.body = t.blockStatement([loop.body]);
                  loop.body.body.unshift(
                    t.expressionStatement(t.assignmentExpression('=', mem(F(), rec.field), init)),
                    t.expressionStatement(t.assignmentExpression('=', pat, mem(F(), h))),
                  );
                });
              } else {
                declEdits.push(() => {
                  loop.left = patternToLVal(decls[0]!.id, scope);
                });
              }
              return;
            }
            const assigns: t.Expression[] = [];
            // patterns are copied after the identifier edits, so their defaults see the rewritten locals
            const buildAssigns = (): void => {
              const lvals = decls.map((d) => patternToLVal(d.id, scope));
              decls.forEach((d, i) => {
                if (d.init) assigns.push(t.inherits(t.assignmentExpression('=', lvals[i]!, d.init), d));
                else if (node.kind !== 'var') assigns.push(t.assignmentExpression('=', lvals[i]!, t.identifier('undefined')));
                if (node.kind !== 'var') assigns.push(...tdzInitialised(Object.keys(t.getBindingIdentifiers(d.id)), scope));
              });
            };
            if (parent.isForStatement() && p.key === 'init') {
              const loop = parent.node;
              const rec = boxed.get(loop);
              const recInit = rec ? recordInit(parent as NodePath, rec) : null;
              declEdits.push(() => {
                buildAssigns();
                const init: t.Expression[] = tdzResets(loop);
                if (rec) init.push(t.assignmentExpression('=', mem(F(), rec.field), recInit!));
                init.push(...assigns);
                loop.init = init.length === 0 ? null : init.length === 1 ? init[0]! : t.sequenceExpression(init);
                if (rec) {
                  const copy = t.assignmentExpression('=', mem(F(), rec.field), t.callExpression(t.memberExpression(t.identifier('$rt'), t.identifier('copyScope')), [mem(F(), rec.field)]));
                  loop.update = loop.update ? t.sequenceExpression([copy, loop.update]) : copy;
                }
              });
              return;
            }
            declEdits.push(() => {
              buildAssigns();
              if (assigns.length === 0) p.replaceWith(t.emptyStatement());
              else p.replaceWith(t.inherits(t.expressionStatement(assigns.length === 1 ? assigns[0]! : t.sequenceExpression(assigns)), node));
            });
          },
          BlockStatement(p) {
            const node = p.node;
            declEdits.push(() => {
              const resets = tdzResets(node);
              if (resets.length > 0) node.body.unshift(t.expressionStatement(resets.length === 1 ? resets[0]! : t.sequenceExpression(resets)));
            });
            const rec = boxed.get(p.node);
            if (!rec) return;
            const init = recordInit(p, rec);
            declEdits.push(() => {
              node.body.unshift(t.expressionStatement(t.assignmentExpression('=', mem(F(), rec.field), init)));
            });
          },
          SwitchStatement(p) {
            const node = p.node;
            declEdits.push(() => {
              const resets = tdzResets(node);
              if (resets.length > 0) node.discriminant = t.sequenceExpression([...resets, node.discriminant]);
            });
          },
          CatchClause(p) {
            const param = p.node.param;
            if (!param) return;
            const node = p.node;
            const scope = p.scope;
            declEdits.push(() => {
              node.param = patternToLVal(param, scope) as t.Identifier;
            });
          },
        });
      }
    }
    /** `{ env, $x: undefined, ... }` for boxed scope node at `p`. */
    function recordInit(p: NodePath, rec: { names: string[]; checked: Set<string> }): t.Expression {
      const outer = scopeNodesOutward(p)[0]!;
      const props = [t.objectProperty(t.identifier('env'), scopeExpr(p, outer))];
      // a binding checked for TDZ is absent until its declaration runs
      for (const n of rec.names) if (!rec.checked.has(n)) props.push(t.objectProperty(t.identifier(n), t.identifier('undefined')));
      return t.objectExpression(props);
    }
    function hoistFunction(p: NodePath<t.FunctionDeclaration>): void {
      const id = p.node.id!;
      const target = directFor(p.parentPath.scope.getBinding(id.name) ?? p.scope.getBinding(id.name));
      if (!target) return;
      const container = p.parentPath;
      const node = p.node;
      declEdits.push(() => {
        const expr = t.functionExpression(node.id, node.params, node.body, node.generator, node.async);
        t.inherits(expr, node);
        // keep unit identity for the nested-unit pass
        const info = units.get(node);
        if (info) {
          units.delete(node);
          units.set(expr, info);
          info.node = expr;
        }
        p.remove();
        const stmt = t.expressionStatement(t.assignmentExpression('=', target, expr));
        if (container.isBlockStatement() || container.isProgram()) (container.node as t.BlockStatement).body.unshift(stmt);
        else if (container.isSwitchCase()) container.node.consequent.unshift(stmt);
        else throw err(node, 'unsupported function declaration position');
      });
    }

    function checkForbidden(u: UnitInfo): void {
      u.path.traverse({
        Function(p) {
          if (!p.isArrowFunctionExpression()) p.skip();
        },
        Identifier(p) {
          if (p.node.name === 'arguments' && p.isReferencedIdentifier() && !p.scope.getBinding('arguments'))
            throw err(p.node, '`arguments` is not supported in a compiled tasklet generator: use a rest parameter (...args)');
        },
        WithStatement(p) {
          throw err(p.node, '`with` is not supported in a compiled tasklet generator');
        },
        CallExpression(p) {
          if (t.isIdentifier(p.node.callee, { name: 'eval' }) && !p.scope.getBinding('eval'))
            throw err(p.node, 'direct eval is not supported in a compiled tasklet generator (it would need the locals as variables): use indirect (0, eval)(...) or move it to a plain function');
        },
        Super(p) {
          // super in this unit's own code (or an arrow in it): not in a nested method, field or static block
          const fn = p.findParent((q) => (q.isFunction() && !q.isArrowFunctionExpression()) || q.isClassProperty() || q.isClassPrivateProperty() || q.isStaticBlock());
          if (fn?.node === u.node) superSites.push([u, p]);
        },
        MetaProperty(p) {
          throw err(p.node, `${p.node.meta.name}.${p.node.property.name} is not supported in a compiled generator`);
        },
        AwaitExpression(p) {
          throw err(p.node, 'await inside a generator is not supported');
        },
      });
    }

    // 5. Compile units innermost first, replace them by wrappers; convert closures.
    const unitList = [...units.values()].sort((a, b) => depth(b.path) - depth(a.path));
    const converted = new Set<t.Node>();
    for (const u of unitList) {
      convertClosuresIn(u);
      compileUnit(u);
    }
    wrapHomeObjects();
    insertSupport();

    function convertClosuresIn(u: UnitInfo): void {
      // Functions/classes directly in u's code whose body reaches a frame through $e.
      const found: NodePath[] = [];
      u.path.traverse({
        Function(p) {
          if (p.node === u.node) return;
          if (!units.has(p.node) && !p.isObjectMethod() && !p.isClassMethod() && !p.isClassPrivateMethod()) {
            if (usesEnv(p.node)) found.push(p);
          }
          p.skip();
        },
        Class(p) {
          if (usesEnv(p.node)) found.push(p);
          p.skip();
        },
      });
      for (const p of found) {
        if (converted.has(p.node)) continue;
        converted.add(p.node);
        const k = ++counter;
        const fname = `mk$${k}`;
        const label = t.isFunction(p.node) || t.isClass(p.node) ? ((p.node as t.FunctionExpression).id?.name ?? `<closure${k}>`) : `<closure${k}>`;
        const fnId = uniqueId(`${opts.modulePath}#${u.qname}.${label}`);
        ids.push(fnId);
        const env = scopeExpr(p, scopeNodesOutward(p)[0]!);
        const expr = t.isFunctionDeclaration(p.node) ? t.functionExpression(p.node.id, p.node.params, p.node.body, p.node.generator, p.node.async)
          : t.isClassDeclaration(p.node) ? t.classExpression(p.node.id, p.node.superClass, p.node.body, p.node.decorators ?? []) : (p.node as t.Expression);
        support.push(t.functionDeclaration(t.identifier(fname), [t.identifier('$e')], t.blockStatement([t.returnStatement(expr)])));
        support.push(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(`${fname}$i`),
          t.callExpression(t.memberExpression(t.identifier('$rt'), t.identifier('closureInfo')), [t.stringLiteral(fnId), t.stringLiteral(hash(p.node)), t.identifier(fname), ...nestedArg]))]));
        p.replaceWith(t.inherits(t.callExpression(t.memberExpression(t.identifier('$rt'), t.identifier('closure')), [
          t.callExpression(t.identifier(fname), [env]), t.identifier(`${fname}$i`), t.cloneNode(env),
        ]), p.node));
        p.skip();
      }
    }

    function compileUnit(u: UnitInfo): void {
      const node = u.node;
      const fnId = uniqueId(`${opts.modulePath}#${u.qname}`);
      ids.push(fnId);
      const codeHash = hash(node);
      const body = node.body as t.BlockStatement;
      const em = new Emitter({ preempt: opts.preempt, filename: opts.filename });
      const mname = `${u.tag}$m`;
      const res = em.emit(body, mname);
      fixNativeCatches(res.machine);
      const cname = `${u.tag}$F`;
      if (u.self !== null) u.paramFields.push(u.self[1]);
      const params = u.paramFields.map((_, i) => t.identifier(`a${i}`));
      // A placed function (code inside a function or block) keeps its frame class at module
      // level, one hidden class for all evaluations; each evaluation binds its machine closure
      // into a Unit the frame stores as `_u` (frame-base.ts, placedUnit).
      const ctorBody: t.Statement[] = [
        t.expressionStatement(t.callExpression(t.super(), [t.identifier('e'), t.identifier('s')])),
        ...(placed ? [t.expressionStatement(t.assignmentExpression('=', mem(t.thisExpression(), '_u'), t.identifier('u')))] : []),
      ];
      const assigned = new Set<string>();
      u.paramFields.forEach((f, i) => {
        assigned.add(f);
        ctorBody.push(t.expressionStatement(t.assignmentExpression('=', mem(t.thisExpression(), f), params[i]!)));
      });
      for (const f of [...u.fields, ...res.temps]) {
        if (assigned.has(f)) continue;
        assigned.add(f);
        ctorBody.push(t.expressionStatement(t.assignmentExpression('=', mem(t.thisExpression(), f), t.identifier('undefined'))));
      }
      const cls = t.classDeclaration(t.identifier(cname), t.memberExpression(t.identifier('$rt'), t.identifier('Frame')), t.classBody([
        t.classMethod('constructor', t.identifier('constructor'), [t.identifier('e'), t.identifier('s'), ...(placed ? [t.identifier('u')] : []), ...params], t.blockStatement(ctorBody)),
      ]));
      const rt = (name: string, args: t.Expression[]): t.CallExpression => t.callExpression(t.memberExpression(t.identifier('$rt'), t.identifier(name)), args);
      const uname = `${u.tag}$u`;
      if (placed) {
        const pname = `${u.tag}$P`;
        moduleSupport.push(cls, t.variableDeclaration('const', [t.variableDeclarator(t.identifier(pname),
          rt('placedUnit', [t.stringLiteral(fnId), t.stringLiteral(codeHash), res.tries, t.identifier(cname)]))]));
        support.push(res.machine, t.variableDeclaration('const', [t.variableDeclarator(t.identifier(uname), rt('bindUnit', [t.identifier(pname), t.identifier(mname)]))]));
      } else {
        support.push(res.machine, cls);
        support.push(t.expressionStatement(rt('unit', [t.stringLiteral(fnId), t.stringLiteral(codeHash), t.identifier(mname), res.tries, t.identifier(cname)])));
      }

      // The wrapper: same params (evaluated natively at call time, like a generator's), returns a new frame.
      const isRoot = u.path === root;
      if (isRoot && !placed) tagStable(u, fnId, codeHash);
      const paramNames = u.node.params.flatMap((p) => Object.keys(t.getBindingIdentifiers(p)));
      if (u.self !== null) paramNames.push(u.self[0]);
      const newFrame = (env: t.Expression): t.BlockStatement =>
        t.blockStatement([t.returnStatement(t.newExpression(t.identifier(cname), [env, t.thisExpression(), ...(placed ? [t.identifier(uname)] : []), ...paramNames.map((n) => t.identifier(n))]))]);
      const p = u.path;
      if (p.isClassMethod() || p.isObjectMethod()) {
        // a fresh path: declaration edits may have replaced the class around it (class C → $f.$C = class C)
        const fp = isRoot ? p : findPath(p.node);
        const envExpr = isRoot ? t.identifier('undefined') : scopeExpr(fp, scopeNodesOutward(fp)[0]!);
        const n = p.node as t.ClassMethod | t.ObjectMethod;
        n.generator = false;
        n.body = newFrame(envExpr);
        return;
      }
      const fn = node as t.FunctionDeclaration | t.FunctionExpression;
      if (isRoot) {
        fn.generator = false;
        fn.body = newFrame(t.identifier('undefined'));
        return;
      }
      // nested: a converted closure whose env is the creating scope
      const wrapper = t.functionExpression(fn.id, fn.params, newFrame(t.identifier('$e')));
      const k = ++counter;
      const fname = `mk$${k}`;
      const wid = uniqueId(`${opts.modulePath}#${u.qname}<wrapper>`);
      support.push(t.functionDeclaration(t.identifier(fname), [t.identifier('$e')], t.blockStatement([t.returnStatement(wrapper)])));
      support.push(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(`${fname}$i`),
        t.callExpression(t.memberExpression(t.identifier('$rt'), t.identifier('closureInfo')), [t.stringLiteral(wid), t.stringLiteral(codeHash), t.identifier(fname), ...nestedArg]))]));
      const fp = findPath(fn);
      const env = scopeExpr(fp, scopeNodesOutward(fp)[0]!);
      fp.replaceWith(t.inherits(t.callExpression(t.memberExpression(t.identifier('$rt'), t.identifier('closure')), [
        t.callExpression(t.identifier(fname), [env]), t.identifier(`${fname}$i`), t.cloneNode(env),
      ]), fn));
    }

    /**
     * FUNCTION_DATA for a root that is a stable module-level value: a top-level function
     * declaration, a top-level `const g = function* () {}`, a method of a top-level class
     * declaration (non-computed key). The tag runs once the function exists.
     */
    function tagStable(u: UnitInfo, fnId: string, codeHash: string): void {
      const p = u.path;
      const topLevel = (q: NodePath | null): NodePath | null => {
        if (!q) return null;
        if (q.parentPath?.isProgram()) return q;
        if ((q.parentPath?.isExportNamedDeclaration() || q.parentPath?.isExportDefaultDeclaration()) && q.parentPath.parentPath?.isProgram()) return q.parentPath;
        return null;
      };
      const ids = [t.stringLiteral(fnId), t.stringLiteral(codeHash)];
      if (p.isFunctionDeclaration() && p.node.id && topLevel(p)) {
        // hoisted: the function exists when the support code runs
        support.push(t.expressionStatement(t.callExpression(mem(t.identifier('$rt'), 'fnData'), [t.identifier(p.node.id.name), ...ids])));
        return;
      }
      if (p.isFunctionExpression() && p.parentPath.isVariableDeclarator() && t.isIdentifier(p.parentPath.node.id) && p.parentPath.node.init === p.node) {
        const decl = p.parentPath.parentPath;
        const stmt = decl?.isVariableDeclaration() && decl.node.kind === 'const' ? topLevel(decl) : null;
        if (stmt) tails.push([stmt.node, t.expressionStatement(t.callExpression(mem(t.identifier('$rt'), 'fnData'), [t.identifier(p.parentPath.node.id.name), ...ids]))]);
        return;
      }
      if (p.isClassMethod() && !p.node.computed && (t.isIdentifier(p.node.key) || t.isStringLiteral(p.node.key))) {
        const cls = p.parentPath.parentPath;
        const stmt = cls?.isClassDeclaration() && cls.node.id ? topLevel(cls) : null;
        if (!stmt) return;
        const key = t.isIdentifier(p.node.key) ? p.node.key.name : p.node.key.value;
        tails.push([stmt.node, t.expressionStatement(t.callExpression(mem(t.identifier('$rt'), 'methodData'), [
          t.identifier((cls!.node as t.ClassDeclaration).id!.name), t.stringLiteral(key), t.booleanLiteral(p.node.static), ...ids,
        ]))]);
      }
    }

    function findPath(n: t.Node): NodePath {
      let found: NodePath | null = null;
      root.traverse({
        enter(p) {
          if (p.node === n) {
            found = p;
            p.stop();
          }
        },
      });
      if (found === null) {
        // the unit was hoisted into its container (function declaration): search from the program
        program.traverse({
          enter(p) {
            if (p.node === n) {
              found = p;
              p.stop();
            }
          },
        });
      }
      if (found === null) throw err(n, 'internal: nested generator not found');
      return found;
    }

    /** Wrap the object literals whose methods use `super`: `(hm$N = {...})` wherever they now are. */
    function wrapHomeObjects(): void {
      if (homeObjects.size === 0) return;
      const walk = (x: t.Node): void => {
        for (const key of t.VISITOR_KEYS[x.type] ?? []) {
          const v = (x as unknown as Record<string, unknown>)[key];
          const visit = (c: t.Node): t.Node => {
            const slot = homeObjects.get(c);
            walk(c);
            return slot === undefined ? c : t.assignmentExpression('=', t.identifier(slot), c as t.Expression);
          };
          if (Array.isArray(v)) v.forEach((c, i) => { if (c && typeof c === 'object') v[i] = visit(c as t.Node); });
          else if (v && typeof v === 'object') (x as unknown as Record<string, unknown>)[key] = visit(v as t.Node);
        }
      };
      walk(placement.block);
      for (const st of support) walk(st);
    }

    function insertSupport(): void {
      // Support code goes at the top of the innermost scope the root is created in, so it sees
      // every binding the generator may use and exists before any call (including calls to
      // hoisted function declarations).
      const b = placement.block;
      let list: t.Statement[];
      if (t.isProgram(b)) {
        const body = b.body;
        for (const [anchor, stmt] of tails) {
          const at = body.indexOf(anchor as t.Statement);
          if (at < 0) throw err(anchor, 'internal: tag anchor not found');
          body.splice(at + 1, 0, stmt);
        }
        let i = 0;
        while (i < body.length && t.isImportDeclaration(body[i])) i++;
        body.splice(i, 0, ...support);
        return;
      } else if (t.isBlockStatement(b) || t.isStaticBlock(b)) {
        list = b.body;
      } else if (t.isFunction(b)) {
        if (!t.isBlockStatement(b.body)) b.body = t.blockStatement([t.returnStatement(b.body)]);
        list = b.body.body;
      } else if (t.isFor(b) || t.isWhileStatement(b) || t.isDoWhileStatement(b)) {
        if (!t.isBlockStatement(b.body)) b.body = t.blockStatement([b.body]);
        list = b.body.body;
      } else if (t.isCatchClause(b)) {
        list = b.body.body;
      } else if (t.isSwitchStatement(b)) {
        const c = b.cases.find((k) => k.start !== undefined && k.start !== null && root.node.start! >= k.start && root.node.end! <= k.end!) ?? b.cases[0]!;
        list = c.consequent;
      } else {
        throw err(root.node, `internal: cannot place compiled code in a ${b.type}`);
      }
      list.unshift(...support);
    }
  }

  /**
   * A deferred root sits in code already rewritten for an enclosing generator, so it may
   * reference that generator's frame as `$f` or `$e`, names its own compilation reuses: they
   * are renamed to aliases bound beside its support code (`const $o3 = $f;`).
   */
  function aliasOuterFrames(root: FnPath, support: t.Statement[]): void {
    const aliases = new Map<string, string>();
    const walk = (x: t.Node): void => {
      if (t.isIdentifier(x) && (x.name === '$f' || x.name === '$e')) {
        let a = aliases.get(x.name);
        if (a === undefined) {
          a = `$o${++counter}`;
          aliases.set(x.name, a);
          support.push(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(a), t.identifier(x.name))]));
        }
        x.name = a;
        return;
      }
      for (const key of t.VISITOR_KEYS[x.type] ?? []) {
        const v = (x as unknown as Record<string, unknown>)[key];
        if (Array.isArray(v)) for (const c of v) { if (c && typeof c === 'object') walk(c as t.Node); }
        else if (v && typeof v === 'object') walk(v as t.Node);
      }
    };
    walk(root.node);
    if (aliases.size > 0) root.scope.crawl();
  }

  function depth(p: NodePath): number {
    let d = 0;
    for (let q: NodePath | null = p; q; q = q.parentPath) d++;
    return d;
  }
}

/** Does the function/class code reference `$e` or `$f` (i.e. a frame)? */
function usesEnv(n: t.Node): boolean {
  let found = false;
  const walk = (x: t.Node): void => {
    if (found) return;
    if (t.isIdentifier(x) && (x.name === '$e' || x.name === '$f')) {
      found = true;
      return;
    }
    for (const key of t.VISITOR_KEYS[x.type] ?? []) {
      const v = (x as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const c of v) { if (c && typeof c === 'object') walk(c as t.Node); }
      else if (v && typeof v === 'object') walk(v as t.Node);
    }
  };
  walk(n);
  return found;
}

/** Identifier paths named `name` in the assignment target of a constant violation. */
function lvalIdentifiers(c: NodePath, name: string): NodePath<t.Identifier>[] {
  const out: NodePath<t.Identifier>[] = [];
  let target: NodePath | null = null;
  if (c.isAssignmentExpression()) target = c.get('left');
  else if (c.isUpdateExpression()) target = c.get('argument');
  else if (c.isForInStatement() || c.isForOfStatement()) target = c.get('left') as NodePath;
  else if (c.isIdentifier()) target = c;
  if (!target) return out;
  if (target.isIdentifier()) {
    if (target.node.name === name) out.push(target);
    return out;
  }
  target.traverse({
    Identifier(p) {
      if (p.node.name !== name) return;
      const parent = p.parentPath;
      if (parent.isObjectProperty() && p.key === 'key' && !parent.node.computed) return;
      if (parent.isMemberExpression() && p.key === 'property' && !parent.node.computed) return;
      out.push(p);
    },
    Function(p) {
      p.skip();
    },
  });
  return out;
}

/** Native (non-exploded) catch clauses with a frame-field parameter: `catch ($c) { $f.$e = $c; ... }`. */
function fixNativeCatches(machine: t.Node): void {
  const walk = (x: t.Node): void => {
    if (t.isCatchClause(x) && x.param && !t.isIdentifier(x.param)) {
      const lv = x.param as t.LVal;
      x.param = t.identifier('$c');
      x.body.body.unshift(t.expressionStatement(t.assignmentExpression('=', lv, t.identifier('$c'))));
    }
    if (t.isFunction(x) && !t.isFunctionDeclaration(x)) return;
    for (const key of t.VISITOR_KEYS[x.type] ?? []) {
      const v = (x as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const c of v) { if (c && typeof c === 'object') walk(c as t.Node); }
      else if (v && typeof v === 'object') walk(v as t.Node);
    }
  };
  walk(machine);
}

function unitName(p: FnPath): string {
  const n = p.node;
  if (t.isFunctionDeclaration(n) || t.isFunctionExpression(n)) {
    if (n.id) return n.id.name;
    const parent = p.parentPath;
    if (parent?.isVariableDeclarator() && t.isIdentifier(parent.node.id)) return parent.node.id.name;
    if (parent?.isAssignmentExpression() && t.isMemberExpression(parent.node.left) && t.isIdentifier(parent.node.left.property))
      return parent.node.left.property.name;
    if (parent?.isObjectProperty() && t.isIdentifier(parent.node.key)) return parent.node.key.name;
    return '<anonymous>';
  }
  const key = (n as t.ObjectMethod | t.ClassMethod).key;
  const keyName = t.isIdentifier(key) ? key.name : t.isStringLiteral(key) ? key.value : t.isNumericLiteral(key) ? String(key.value) : '<computed>';
  if (t.isClassMethod(n)) {
    const cls = p.parentPath?.parentPath;
    let cname = '<class>';
    if (cls && (cls.isClassDeclaration() || cls.isClassExpression())) {
      if (cls.node.id) cname = cls.node.id.name;
      else if (cls.parentPath?.isVariableDeclarator() && t.isIdentifier(cls.parentPath.node.id)) cname = cls.parentPath.node.id.name;
    }
    return `${cname}${n.static ? '.' : '.prototype.'}${keyName}`.replace('.prototype.', '.');
  }
  const obj = p.parentPath;
  let oname = '<object>';
  if (obj?.parentPath?.isVariableDeclarator() && t.isIdentifier(obj.parentPath.node.id)) oname = obj.parentPath.node.id.name;
  return `${oname}.${keyName}`;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, '_');
}
