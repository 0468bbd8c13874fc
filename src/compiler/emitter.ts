import * as t from '@babel/types';
import { CompileError } from './compile-error.js';

/**
 * The emitter: turns one generator body (already rewritten so every local is a frame field
 * `$f.$x`) into a flat state machine
 *
 *     function g$m($f) { for (;;) switch ($f.ppc = $f.pc) { case 0: ...; case -1: return $f.sent; } }
 *
 * Only statements that contain a leap (yield, return, or a break/continue leaving them) are
 * exploded into cases; the rest are emitted unchanged inside one case. A yield is
 * `$f.pc = N; return value;` and its result is `$f.sent` at case N. try statements become
 * entries [tryLoc, catchLoc, finallyLoc, afterLoc] of a static table the runtime matches `ppc`
 * against (frame-base.ts). Jumps that cross a finally block go through the runtime (`jump`,
 * `ret`), which records the pending completion in the frame; the others are direct.
 *
 * Invariants: locations are created by loc() with value -1 and fixed exactly once by mark();
 * every case body ends with a jump, a return or a fall-through into the next case.
 */

/** A location: a numeric literal whose value is fixed by mark(). */
type Loc = t.NumericLiteral;

interface LeapEntry {
  kind: 'loop' | 'switch' | 'label';
  label: string | null;
  breakLoc: Loc;
  continueLoc: Loc | null;
  tryDepth: number;
}

interface TryCtx {
  index: number;
  hasFinally: boolean;
  region: 'try' | 'catch' | 'finally';
}

export interface EmitOptions {
  /** Insert tick counting at entry and loop back-edges (preemption). */
  preempt: boolean;
  filename: string;
}

export interface EmitResult {
  machine: t.FunctionDeclaration;
  tries: t.ArrayExpression;
  temps: string[];
}

const F = (): t.Identifier => t.identifier('$f');
const RT = (name: string): t.MemberExpression => t.memberExpression(t.identifier('$rt'), t.identifier(name));
const fld = (name: string): t.MemberExpression => t.memberExpression(F(), t.identifier(name));
const call = (name: string, ...args: t.Expression[]): t.CallExpression => t.callExpression(RT(name), args);

export class Emitter {
  private listing: t.Statement[] = [];
  private marks = new Map<number, Loc[]>();
  private leaps: LeapEntry[] = [];
  private tries: TryCtx[] = [];
  private tryTable: [Loc, Loc | null, Loc | null, Loc][] = [];
  private temps: string[] = [];
  private leapCache = new WeakMap<t.Node, boolean>();
  private yieldCache = new WeakMap<t.Node, boolean>();

  constructor(private readonly opts: EmitOptions) {}

  /** Caller: compileUnit. `body` is the rewritten function body. */
  emit(body: t.BlockStatement, name: string): EmitResult {
    if (this.opts.preempt) this.tick(t.numericLiteral(0));
    for (const s of body.body) this.explodeStatement(s, null);
    this.add(t.expressionStatement(t.assignmentExpression('=', fld('pc'), t.numericLiteral(-1))));
    this.add(t.returnStatement());
    const cases: t.SwitchCase[] = [];
    let current: t.SwitchCase | null = null;
    const startOf = new Map<number, number>();
    for (let i = 0; i <= this.listing.length; i++) {
      if (i === 0 || this.marks.has(i)) {
        current = t.switchCase(t.numericLiteral(i), []);
        cases.push(current);
        startOf.set(i, i);
      }
      if (i < this.listing.length) current!.consequent.push(this.listing[i]!);
    }
    cases.push(t.switchCase(t.numericLiteral(-1), [t.returnStatement(fld('sent'))]));
    const loop = t.forStatement(
      null,
      null,
      null,
      t.switchStatement(t.assignmentExpression('=', fld('ppc'), fld('pc')), cases),
    );
    const machine = t.functionDeclaration(t.identifier(name), [F()], t.blockStatement([loop]));
    const tries = t.arrayExpression(
      this.tryTable.flatMap(([a, b, c, d]) => [a, b ?? t.numericLiteral(-1), c ?? t.numericLiteral(-1), d]).map((l) => t.numericLiteral(l.value)),
    );
    return { machine, tries, temps: this.temps };
  }

  // ---- emission primitives ----

  private loc(): Loc {
    return t.numericLiteral(-1);
  }
  private mark(l: Loc): void {
    if (l.value !== -1) throw new Error('location marked twice');
    const at = this.listing.length;
    l.value = at;
    const list = this.marks.get(at);
    if (list === undefined) this.marks.set(at, [l]);
    else list.push(l);
  }
  /**
   * Mark a try region boundary. Code can fall into it from the previous case without passing
   * through the switch, so `ppc` is set explicitly (exceptions are matched against it).
   */
  private markRegion(l: Loc): void {
    this.mark(l);
    this.addExpr(t.assignmentExpression('=', fld('ppc'), l));
  }
  private add(s: t.Statement): void {
    this.listing.push(s);
  }
  private addExpr(e: t.Expression): void {
    this.add(t.expressionStatement(e));
  }
  /** Direct jump (no finally crossed). */
  private goto(l: Loc): void {
    this.addExpr(t.assignmentExpression('=', fld('pc'), l));
    this.add(t.continueStatement());
  }
  private gotoIf(test: t.Expression, l: Loc): void {
    this.add(t.ifStatement(test, t.blockStatement([
      t.expressionStatement(t.assignmentExpression('=', fld('pc'), l)),
      t.continueStatement(),
    ])));
  }
  private gotoUnless(test: t.Expression, l: Loc): void {
    this.gotoIf(t.unaryExpression('!', test), l);
  }
  private temp(): t.MemberExpression {
    const name = `t${this.temps.length}`;
    this.temps.push(name);
    return fld(name);
  }
  private tick(resumeAt: Loc): void {
    // if (--$rt.budget.n < 0) $rt.budget.onExhausted();  (the scheduler side may later yield here)
    void resumeAt;
    const n = t.memberExpression(RT('budget'), t.identifier('n'));
    this.add(t.ifStatement(
      t.binaryExpression('<', t.updateExpression('--', n, true), t.numericLiteral(0)),
      t.expressionStatement(t.callExpression(t.memberExpression(RT('budget'), t.identifier('onExhausted')), [])),
    ));
  }

  /** Does any try with a finally lie between the current point and try depth `depth`? */
  private crossesFinally(depth: number): boolean {
    for (let i = depth; i < this.tries.length; i++) {
      const c = this.tries[i]!;
      if (c.hasFinally && c.region !== 'finally') return true;
    }
    return false;
  }
  private leapTo(l: Loc, depth: number): void {
    if (this.crossesFinally(depth)) {
      this.addExpr(call('jump', F(), l));
      this.add(t.continueStatement());
    } else {
      this.goto(l);
    }
  }

  // ---- analysis ----

  /** Does `node` contain a yield (not counting nested functions)? */
  containsYield(node: t.Node | null | undefined): boolean {
    if (node === null || node === undefined) return false;
    const hit = this.yieldCache.get(node);
    if (hit !== undefined) return hit;
    let found = false;
    if (t.isYieldExpression(node)) found = true;
    else if (!t.isFunction(node) && !t.isClass(node)) {
      for (const key of t.VISITOR_KEYS[node.type] ?? []) {
        const v = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(v)) {
          for (const c of v) if (c !== null && typeof c === 'object' && this.containsYield(c as t.Node)) { found = true; break; }
        } else if (v !== null && typeof v === 'object' && this.containsYield(v as t.Node)) found = true;
        if (found) break;
      }
    } else if (t.isClass(node)) {
      found = this.containsYield(node.superClass) || node.body.body.some((m) => 'computed' in m && m.computed && this.containsYield((m as t.ClassMethod).key));
    }
    this.yieldCache.set(node, found);
    return found;
  }

  /** Must `s` be exploded: does it yield, return, or break/continue out of itself? */
  containsLeap(s: t.Node): boolean {
    const hit = this.leapCache.get(s);
    if (hit !== undefined) return hit;
    const labels = new Set<string>();
    const walk = (n: t.Node, loops: number, switches: number): boolean => {
      if (t.isFunction(n)) return false;
      if (t.isYieldExpression(n) || t.isReturnStatement(n)) return true;
      if (this.opts.preempt && t.isLoop(n)) return true;
      if (t.isBreakStatement(n)) return n.label ? !labels.has(n.label.name) : loops + switches === 0;
      if (t.isContinueStatement(n)) return n.label ? !labels.has(n.label.name) : loops === 0;
      if (t.isClass(n)) return this.containsYield(n);
      let added: string | null = null;
      if (t.isLabeledStatement(n) && !labels.has(n.label.name)) {
        added = n.label.name;
        labels.add(added);
      }
      const l2 = t.isLoop(n) ? loops + 1 : loops;
      const s2 = t.isSwitchStatement(n) ? switches + 1 : switches;
      let found = false;
      for (const key of t.VISITOR_KEYS[n.type] ?? []) {
        const v = (n as unknown as Record<string, unknown>)[key];
        if (Array.isArray(v)) {
          for (const c of v) if (c !== null && typeof c === 'object' && walk(c as t.Node, l2, s2)) { found = true; break; }
        } else if (v !== null && typeof v === 'object' && walk(v as t.Node, l2, s2)) found = true;
        if (found) break;
      }
      if (added !== null) labels.delete(added);
      return found;
    };
    const r = walk(s, 0, 0);
    this.leapCache.set(s, r);
    return r;
  }

  // ---- statements ----

  private explodeStatement(s: t.Statement, label: string | null): void {
    if (!this.containsLeap(s)) {
      this.add(s);
      return;
    }
    switch (s.type) {
      case 'BlockStatement':
        for (const c of s.body) this.explodeStatement(c, null);
        return;
      case 'ExpressionStatement': {
        const e = this.explodeExpression(s.expression, true);
        if (!isInert(e)) this.addExpr(e);
        return;
      }
      case 'IfStatement': {
        const elseLoc = this.loc();
        const after = this.loc();
        const test = this.explodeExpression(s.test, false);
        this.gotoUnless(test, s.alternate ? elseLoc : after);
        this.explodeStatement(s.consequent, null);
        if (s.alternate) {
          this.goto(after);
          this.mark(elseLoc);
          this.explodeStatement(s.alternate, null);
        }
        this.mark(after);
        return;
      }
      case 'LabeledStatement': {
        if (t.isLoop(s.body)) {
          this.explodeStatement(s.body, s.label.name);
          return;
        }
        const after = this.loc();
        this.leaps.push({ kind: 'label', label: s.label.name, breakLoc: after, continueLoc: null, tryDepth: this.tries.length });
        this.explodeStatement(s.body, null);
        this.leaps.pop();
        this.mark(after);
        return;
      }
      case 'WhileStatement': {
        const head = this.loc();
        const after = this.loc();
        this.mark(head);
        this.gotoUnless(this.explodeExpression(s.test, false), after);
        this.loopBody(s.body, label, after, head);
        if (this.opts.preempt) this.tick(head);
        this.goto(head);
        this.mark(after);
        return;
      }
      case 'DoWhileStatement': {
        const first = this.loc();
        const test = this.loc();
        const after = this.loc();
        this.mark(first);
        this.loopBody(s.body, label, after, test);
        this.mark(test);
        if (this.opts.preempt) this.tick(first);
        this.gotoIf(this.explodeExpression(s.test, false), first);
        this.mark(after);
        return;
      }
      case 'ForStatement': {
        if (s.init) {
          if (t.isVariableDeclaration(s.init)) throw this.error(s.init, 'internal: declaration left in for-init');
          const e = this.explodeExpression(s.init, true);
          if (!isInert(e)) this.addExpr(e);
        }
        const head = this.loc();
        const update = this.loc();
        const after = this.loc();
        this.mark(head);
        if (s.test) this.gotoUnless(this.explodeExpression(s.test, false), after);
        this.loopBody(s.body, label, after, update);
        this.mark(update);
        if (s.update) {
          const e = this.explodeExpression(s.update, true);
          if (!isInert(e)) this.addExpr(e);
        }
        if (this.opts.preempt) this.tick(head);
        this.goto(head);
        this.mark(after);
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement':
        return this.explodeForInOf(s, label);
      case 'SwitchStatement': {
        const disc = this.temp();
        this.addExpr(t.assignmentExpression('=', disc, this.explodeExpression(s.discriminant, false)));
        const after = this.loc();
        const locs = s.cases.map(() => this.loc());
        let defaultLoc: Loc | null = null;
        s.cases.forEach((c, i) => {
          if (c.test === null || c.test === undefined) defaultLoc = locs[i]!;
          else this.gotoIf(t.binaryExpression('===', disc, this.explodeExpression(c.test, false)), locs[i]!);
        });
        this.goto(defaultLoc ?? after);
        this.leaps.push({ kind: 'switch', label, breakLoc: after, continueLoc: null, tryDepth: this.tries.length });
        s.cases.forEach((c, i) => {
          this.mark(locs[i]!);
          for (const st of c.consequent) this.explodeStatement(st, null);
        });
        this.leaps.pop();
        this.mark(after);
        return;
      }
      case 'ReturnStatement': {
        const v = s.argument ? this.explodeExpression(s.argument, false) : t.identifier('undefined');
        if (this.crossesFinally(0)) {
          this.addExpr(call('ret', F(), v));
          this.add(t.continueStatement());
        } else {
          this.addExpr(t.assignmentExpression('=', fld('pc'), t.numericLiteral(-1)));
          this.add(t.returnStatement(v));
        }
        return;
      }
      case 'BreakStatement':
      case 'ContinueStatement': {
        const isBreak = s.type === 'BreakStatement';
        const name = s.label?.name ?? null;
        for (let i = this.leaps.length - 1; i >= 0; i--) {
          const e = this.leaps[i]!;
          if (isBreak) {
            if (name === null ? e.kind !== 'label' : e.label === name) return this.leapTo(e.breakLoc, e.tryDepth);
          } else if (e.kind === 'loop' && (name === null || e.label === name)) {
            return this.leapTo(e.continueLoc!, e.tryDepth);
          }
        }
        throw this.error(s, `${isBreak ? 'break' : 'continue'} target not found`);
      }
      case 'ThrowStatement':
        this.add(t.throwStatement(this.explodeExpression(s.argument, false)));
        return;
      case 'TryStatement':
        return this.explodeTry(s.block, s.handler, s.finalizer);
      default:
        throw this.error(s, `a ${s.type} that suspends is not supported in a compiled generator`);
    }
  }

  private loopBody(body: t.Statement, label: string | null, breakLoc: Loc, continueLoc: Loc): void {
    this.leaps.push({ kind: 'loop', label, breakLoc, continueLoc, tryDepth: this.tries.length });
    this.explodeStatement(body, null);
    this.leaps.pop();
  }

  /** try/catch/finally. `onFinally` replaces the finalizer's code (for-of closing). */
  private explodeTry(
    block: t.BlockStatement | (() => void),
    handler: t.CatchClause | null | undefined,
    finalizer: t.BlockStatement | null | undefined,
    onFinally?: (index: number) => void,
  ): void {
    const index = this.tryTable.length;
    const tryLoc = this.loc();
    const catchLoc = handler ? this.loc() : null;
    const hasFinally = Boolean(finalizer) || onFinally !== undefined;
    const finallyLoc = hasFinally ? this.loc() : null;
    const after = this.loc();
    this.tryTable.push([tryLoc, catchLoc, finallyLoc, after]);
    this.markRegion(tryLoc);
    if (hasFinally) this.addExpr(call('tryStart', F(), t.numericLiteral(index)));
    const ctx: TryCtx = { index, hasFinally, region: 'try' };
    this.tries.push(ctx);
    if (typeof block === 'function') block();
    else this.explodeStatement(block, null);
    this.goto(finallyLoc ?? after);
    if (handler) {
      ctx.region = 'catch';
      this.markRegion(catchLoc!);
      if (handler.param) {
        if (!t.isLVal(handler.param)) throw this.error(handler, 'unsupported catch parameter');
        this.destructure(handler.param as t.LVal, fld('sent'));
      }
      this.explodeStatement(handler.body, null);
      this.goto(finallyLoc ?? after);
    }
    if (hasFinally) {
      ctx.region = 'finally';
      this.markRegion(finallyLoc!);
      if (onFinally) onFinally(index);
      if (finalizer) this.explodeStatement(finalizer, null);
      this.addExpr(call('fin', F(), t.numericLiteral(index), after));
      this.add(t.continueStatement());
    }
    this.tries.pop();
    this.mark(after);
  }

  /**
   * for-of: `it = $rt.iter(e)` inside a try whose finally closes the iterator unless it is
   * exhausted; for-in: `it = $rt.keys(o)` (nothing to close).
   */
  private explodeForInOf(s: t.ForInStatement | t.ForOfStatement, label: string | null): void {
    if (t.isForOfStatement(s) && s.await) throw this.error(s, 'for await is not supported in a compiled generator');
    if (t.isVariableDeclaration(s.left)) throw this.error(s, 'internal: declaration left in for-in/of');
    const it = this.temp();
    const src = this.explodeExpression(s.right, false);
    const isOf = t.isForOfStatement(s);
    this.addExpr(t.assignmentExpression('=', it, call(isOf ? 'iter' : 'keys', src)));
    const loop = (): void => {
      const head = this.loc();
      const after = this.loc();
      this.mark(head);
      this.gotoUnless(t.callExpression(t.memberExpression(it, t.identifier('n')), []), after);
      this.destructure(s.left as t.LVal, t.memberExpression(it, t.identifier('v')));
      this.loopBody(s.body, label, after, head);
      if (this.opts.preempt) this.tick(head);
      this.goto(head);
      this.mark(after);
    };
    if (!isOf) {
      loop();
      this.addExpr(t.assignmentExpression('=', it, t.identifier('undefined')));
      return;
    }
    this.explodeTry(loop, null, null, (index) => {
      this.addExpr(call('closeLoop', F(), t.numericLiteral(index), it));
    });
    this.addExpr(t.assignmentExpression('=', it, t.identifier('undefined')));
  }

  // ---- expressions ----

  /** Evaluate `e` into a form safe to use after later yields (a temp unless constant). */
  private hold(e: t.Expression): t.Expression {
    if (t.isLiteral(e) && !t.isTemplateLiteral(e)) return e;
    if (t.isIdentifier(e) && e.name === 'undefined') return e;
    if (isStable(e)) return e;
    const tmp = this.temp();
    this.addExpr(t.assignmentExpression('=', tmp, e));
    return tmp;
  }

  /**
   * Explode a list of sibling expressions evaluated left to right: each one followed by a
   * yield is held in a temp so the yield cannot change it.
   */
  private explodeList<T extends t.Node | null>(items: T[], one: (n: NonNullable<T>, last: boolean) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < items.length; i++) {
      const n = items[i]!;
      if (n === null) {
        out.push(n);
        continue;
      }
      const later = items.slice(i + 1).some((m) => m !== null && this.containsYield(m));
      out.push(one(n as NonNullable<T>, !later));
    }
    return out;
  }

  private explodeArg(n: t.Expression | t.SpreadElement | t.ArgumentPlaceholder, last: boolean): t.Expression | t.SpreadElement {
    if (t.isArgumentPlaceholder(n)) throw this.error(n, 'argument placeholders are not supported');
    if (t.isSpreadElement(n)) {
      const a = this.explodeExpression(n.argument, false);
      return t.spreadElement(last ? a : this.hold(a));
    }
    const e = this.explodeExpression(n, false);
    return last ? e : this.hold(e);
  }

  explodeExpression(e: t.Expression, ignoreResult: boolean): t.Expression {
    if (!this.containsYield(e)) return e;
    const ex = (x: t.Expression): t.Expression => this.explodeExpression(x, false);
    switch (e.type) {
      case 'YieldExpression': {
        const arg = e.argument ? ex(e.argument) : t.identifier('undefined');
        const after = this.loc();
        this.addExpr(t.assignmentExpression('=', fld('pc'), after));
        this.add(t.returnStatement(e.delegate ? call('del', F(), arg) : arg));
        this.mark(after);
        return ignoreResult ? t.identifier('undefined') : fld('sent');
      }
      case 'MemberExpression': {
        const obj = this.containsYield(e.property) ? this.hold(ex(e.object as t.Expression)) : ex(e.object as t.Expression);
        const prop = e.computed ? ex(e.property as t.Expression) : e.property;
        return t.memberExpression(obj, prop, e.computed);
      }
      case 'CallExpression':
      case 'NewExpression': {
        if (t.isSuper(e.callee) || t.isV8IntrinsicIdentifier(e.callee)) throw this.error(e, 'unsupported callee around a yield');
        const argsYield = e.arguments.some((a) => this.containsYield(a));
        let callee: t.Expression;
        let thisArg: t.Expression | null = null;
        if (e.type === 'CallExpression' && t.isMemberExpression(e.callee)) {
          const mObj = e.callee.object as t.Expression;
          const objE = this.containsYield(e.callee.property) || argsYield ? this.hold(ex(mObj)) : ex(mObj);
          const prop = e.callee.computed ? ex(e.callee.property as t.Expression) : e.callee.property;
          if (!argsYield || t.isIdentifier(objE, { name: '$rt' })) {
            // (a runtime helper is a constant: called directly, nothing held)
            callee = t.memberExpression(objE, prop, e.callee.computed);
          } else {
            thisArg = objE;
            callee = this.hold(t.memberExpression(objE, prop, e.callee.computed));
          }
        } else {
          callee = ex(e.callee as t.Expression);
          if (argsYield) callee = this.hold(callee);
        }
        const args = this.explodeList(e.arguments, (a, last) => this.explodeArg(a, last));
        if (e.type === 'NewExpression') return t.newExpression(callee, args);
        if (thisArg !== null) return t.callExpression(t.memberExpression(callee, t.identifier('call')), [thisArg, ...args]);
        return t.callExpression(unbound(callee), args);
      }
      case 'ArrayExpression':
        return t.arrayExpression(this.explodeList(e.elements, (a, last) => this.explodeArg(a, last)));
      case 'ObjectExpression': {
        const parts: (t.Expression | null)[] = [];
        for (const p of e.properties) {
          if (t.isObjectMethod(p)) parts.push(p.computed ? p.key : null);
          else if (t.isSpreadElement(p)) parts.push(p.argument);
          else {
            parts.push(p.computed ? (p.key as t.Expression) : null);
            parts.push(p.value as t.Expression);
          }
        }
        const done = this.explodeList(parts, (x, last) => {
          const r = ex(x);
          return last ? r : this.hold(r);
        });
        let k = 0;
        const props = e.properties.map((p) => {
          if (t.isObjectMethod(p)) {
            const key = done[k++];
            return p.computed ? t.objectMethod(p.kind, key!, p.params, p.body, true, p.generator, p.async) : p;
          }
          if (t.isSpreadElement(p)) return t.spreadElement(done[k++]!);
          const key = done[k++];
          const value = done[k++]!;
          return t.objectProperty(p.computed ? key! : p.key, value, p.computed, false);
        });
        return t.objectExpression(props);
      }
      case 'BinaryExpression': {
        if (t.isPrivateName(e.left)) throw this.error(e, 'unsupported private name test around a yield');
        const left = this.containsYield(e.right) ? this.hold(ex(e.left)) : ex(e.left);
        return t.binaryExpression(e.operator, left, ex(e.right));
      }
      case 'AssignmentExpression': {
        const left = e.left;
        const op = e.operator;
        let target: t.LVal = left as t.LVal;
        if (t.isMemberExpression(left)) {
          const objE = ex(left.object as t.Expression);
          const obj = this.containsYield(e.right) || (left.computed && this.containsYield(left.property)) ? this.hold(objE) : objE;
          let prop = left.property;
          if (left.computed) {
            const p = ex(left.property as t.Expression);
            prop = this.containsYield(e.right) ? this.hold(p) : p;
          }
          target = t.memberExpression(obj, prop, left.computed);
        } else if (this.containsYield(left)) {
          if (op !== '=') throw this.error(e, 'internal: compound assignment to a pattern');
          const v = this.hold(ex(e.right));
          this.destructure(left as t.LVal, v);
          return v;
        }
        if (op === '=' || !this.containsYield(e.right)) return t.assignmentExpression(op, target, ex(e.right));
        if (op === '||=' || op === '&&=' || op === '??=') {
          // short-circuit: the right side (and its yield) runs only when the assignment happens
          const result = this.temp();
          const after = this.loc();
          this.addExpr(t.assignmentExpression('=', result, t.cloneNode(target as t.Expression)));
          const skip = op === '&&=' ? t.unaryExpression('!', result) : op === '||=' ? result : t.binaryExpression('!=', result, t.nullLiteral());
          this.gotoIf(skip, after);
          this.addExpr(t.assignmentExpression('=', result, t.assignmentExpression('=', target, ex(e.right))));
          this.mark(after);
          return result;
        }
        // compound: the old value is read before the right side runs (and yields)
        const old = this.temp();
        this.addExpr(t.assignmentExpression('=', old, t.cloneNode(target as t.Expression)));
        const bin = op.slice(0, -1) as t.BinaryExpression['operator'];
        return t.assignmentExpression('=', target, t.binaryExpression(bin, old, ex(e.right)));
      }
      case 'LogicalExpression': {
        const result = this.temp();
        const after = this.loc();
        this.addExpr(t.assignmentExpression('=', result, ex(e.left)));
        const test =
          e.operator === '&&' ? t.unaryExpression('!', result) : e.operator === '||' ? result : t.binaryExpression('!=', result, t.nullLiteral());
        this.gotoIf(test, after);
        this.addExpr(t.assignmentExpression('=', result, ex(e.right)));
        this.mark(after);
        return result;
      }
      case 'ConditionalExpression': {
        const result = this.temp();
        const elseLoc = this.loc();
        const after = this.loc();
        this.gotoUnless(ex(e.test), elseLoc);
        this.addExpr(t.assignmentExpression('=', result, ex(e.consequent)));
        this.goto(after);
        this.mark(elseLoc);
        this.addExpr(t.assignmentExpression('=', result, ex(e.alternate)));
        this.mark(after);
        return result;
      }
      case 'SequenceExpression': {
        const n = e.expressions.length;
        e.expressions.slice(0, -1).forEach((x) => {
          const r = this.explodeExpression(x, true);
          if (!isInert(r)) this.addExpr(r);
        });
        return this.explodeExpression(e.expressions[n - 1]!, ignoreResult);
      }
      case 'UnaryExpression':
        if (e.operator === 'delete' && (t.isOptionalMemberExpression(e.argument) || t.isOptionalCallExpression(e.argument)))
          throw this.error(e, 'delete of an optional chain containing yield is not supported: yield into a local first');
        return t.unaryExpression(e.operator, ex(e.argument), e.prefix);
      case 'TaggedTemplateExpression': {
        // tag`a${x}b` is tag(strings, x) where strings is the site's template object: a tagged
        // template of its own in the machine (one site, so the same object on every evaluation)
        const q = e.quasi;
        const strings = t.taggedTemplateExpression(RT('strings'), t.templateLiteral(q.quasis, q.expressions.map(() => t.numericLiteral(0))));
        return ex(t.callExpression(e.tag, [strings, ...(q.expressions as t.Expression[])]));
      }
      case 'OptionalMemberExpression':
      case 'OptionalCallExpression': {
        // a?.b(...) with a yield: every link is evaluated in order; a nullish link jumps to `short`
        const result = this.temp();
        const short = this.loc();
        const after = this.loc();
        this.addExpr(t.assignmentExpression('=', result, this.chainLink(e, short)));
        this.goto(after);
        this.mark(short);
        this.addExpr(t.assignmentExpression('=', result, t.identifier('undefined')));
        this.mark(after);
        return result;
      }
      case 'UpdateExpression': {
        const a = e.argument;
        if (t.isMemberExpression(a)) {
          const obj = ex(a.object as t.Expression);
          return t.updateExpression(e.operator, t.memberExpression(obj, a.computed ? ex(a.property as t.Expression) : a.property, a.computed), e.prefix);
        }
        return e;
      }
      case 'TemplateLiteral': {
        const exprs = this.explodeList(e.expressions as t.Expression[], (x, last) => {
          const r = ex(x);
          return last ? r : this.hold(r);
        });
        return t.templateLiteral(e.quasis, exprs);
      }
      case 'ParenthesizedExpression':
        return ex(e.expression);
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
        return ex(e.expression);
      default:
        throw this.error(e, `yield inside a ${e.type} is not supported: assign the yield to a local first`);
    }
  }

  /** A temp holding `e` (always a fresh one: the caller reassigns or re-reads it). */
  private held(e: t.Expression): t.MemberExpression {
    const tmp = this.temp();
    this.addExpr(t.assignmentExpression('=', tmp, e));
    return tmp;
  }

  /**
   * One link of an optional chain (or its non-optional head), evaluated into the listing;
   * a nullish `?.` base jumps to `short`. Caller: explodeExpression (optional chains).
   */
  private chainLink(e: t.Expression, short: Loc): t.Expression {
    const isNullish = (x: t.Expression): t.Expression => t.binaryExpression('==', x, t.nullLiteral());
    const part = (x: t.Expression): t.Expression =>
      t.isOptionalMemberExpression(x) || t.isOptionalCallExpression(x) ? this.chainLink(x, short) : this.explodeExpression(x, false);
    if (t.isOptionalMemberExpression(e)) {
      const obj = this.held(part(e.object));
      if (e.optional) this.gotoIf(isNullish(obj), short);
      return t.memberExpression(obj, e.computed ? this.explodeExpression(e.property, false) : e.property, e.computed);
    }
    if (t.isOptionalCallExpression(e)) {
      const c = e.callee;
      let thisArg: t.Expression | null = null;
      let fn: t.Expression;
      if (t.isOptionalMemberExpression(c) || t.isMemberExpression(c)) {
        thisArg = this.held(part(c.object as t.Expression));
        if (t.isOptionalMemberExpression(c) && c.optional) this.gotoIf(isNullish(thisArg), short);
        fn = this.held(t.memberExpression(thisArg, c.computed ? this.explodeExpression(c.property as t.Expression, false) : c.property, c.computed));
      } else {
        fn = this.held(part(c));
      }
      if (e.optional) this.gotoIf(isNullish(fn), short);
      const args = this.explodeList(e.arguments, (a, last) => this.explodeArg(a, last));
      return thisArg !== null ? t.callExpression(t.memberExpression(fn, t.identifier('call')), [thisArg, ...args]) : t.callExpression(unbound(fn), args);
    }
    return this.explodeExpression(e, false);
  }

  /**
   * Destructure `value` into `pat` step by step, in the spec's order, when the pattern contains
   * a yield (otherwise one native assignment): object patterns read each key (computed keys
   * first), defaults run only for undefined, array patterns step a loop iterator inside a
   * synthetic try/finally that closes it (on normal completion too, unless exhausted).
   * `value` is evaluated exactly once. Caller: assignments, for-in/of heads, catch parameters.
   */
  private destructure(pat: t.LVal, value: t.Expression): void {
    if (!this.containsYield(pat) && !t.isAssignmentPattern(pat)) {
      this.addExpr(t.assignmentExpression('=', pat, value));
      return;
    }
    switch (pat.type) {
      case 'AssignmentPattern': {
        const v = this.held(value);
        const skip = this.loc();
        this.gotoIf(t.binaryExpression('!==', v, t.identifier('undefined')), skip);
        this.addExpr(t.assignmentExpression('=', v, this.explodeExpression(pat.right, false)));
        this.mark(skip);
        return this.destructure(pat.left, v);
      }
      case 'ObjectPattern': {
        const v = this.held(value);
        this.addExpr(call('coercible', v));
        const seen: t.Expression[] = [];
        for (const prop of pat.properties) {
          if (t.isRestElement(prop)) {
            this.destructure(prop.argument, call('objRest', v, t.arrayExpression(seen.map((k) => t.cloneNode(k)))));
            continue;
          }
          let key: t.Expression;
          if (prop.computed) key = this.held(call('toKey', this.explodeExpression(prop.key as t.Expression, false)));
          else if (t.isIdentifier(prop.key)) key = t.stringLiteral(prop.key.name);
          else if (t.isStringLiteral(prop.key)) key = t.stringLiteral(prop.key.value);
          else if (t.isNumericLiteral(prop.key)) key = t.stringLiteral(String(prop.key.value));
          else if (t.isBigIntLiteral(prop.key)) key = t.stringLiteral(String(BigInt(prop.key.value)));
          else throw this.error(prop, 'unsupported property key in a destructuring pattern');
          seen.push(key);
          this.destructure(prop.value as t.LVal, t.memberExpression(v, t.cloneNode(key), true));
        }
        return;
      }
      case 'ArrayPattern': {
        const it = this.temp();
        this.addExpr(t.assignmentExpression('=', it, call('iter', value)));
        this.explodeTry(() => {
          for (const el of pat.elements) {
            if (el === null) this.addExpr(call('step', it));
            else if (t.isRestElement(el)) this.destructure(el.argument, call('restOf', it));
            else this.destructure(el as t.LVal, call('step', it));
          }
        }, null, null, (index) => this.addExpr(call('closeLoop', F(), t.numericLiteral(index), it)));
        this.addExpr(t.assignmentExpression('=', it, t.identifier('undefined')));
        return;
      }
      case 'MemberExpression': {
        // the target's object and key are evaluated before the value
        const obj = this.hold(this.explodeExpression(pat.object as t.Expression, false));
        const prop = pat.computed ? this.hold(this.explodeExpression(pat.property as t.Expression, false)) : pat.property;
        this.addExpr(t.assignmentExpression('=', t.memberExpression(obj, prop, pat.computed), value));
        return;
      }
      default:
        throw this.error(pat, `yield inside a ${pat.type} destructuring target is not supported: yield into a local first`);
    }
  }

  private error(n: t.Node, message: string): CompileError {
    return new CompileError(message, this.opts.filename, n.loc?.start.line ?? 0, n.loc?.start.column ?? 0);
  }
}

/** A callee held in a frame field is called without `this` (not as a method of the frame): `(0, $f.t1)(...)`. */
function unbound(callee: t.Expression): t.Expression {
  return t.isMemberExpression(callee) && t.isIdentifier(callee.object, { name: '$f' }) ? t.sequenceExpression([t.numericLiteral(0), callee]) : callee;
}

/** The frame, block records, the runtime and template strings: their identity cannot change across a yield. */
function isStable(e: t.Expression): boolean {
  if (t.isIdentifier(e)) return e.name === '$f' || e.name === '$e' || e.name === '$rt';
  // a tagged template's strings (the same object at every evaluation): re-evaluated, not held
  if (t.isTaggedTemplateExpression(e)) return t.isMemberExpression(e.tag) && t.isIdentifier(e.tag.object, { name: '$rt' });
  return t.isMemberExpression(e) && !e.computed && t.isIdentifier(e.object, { name: '$f' }) && t.isIdentifier(e.property) && /^b\$\d+$/.test(e.property.name);
}

/** Expressions with no effect when evaluated as a statement. */
function isInert(e: t.Expression): boolean {
  return (t.isIdentifier(e) && e.name === 'undefined') || t.isLiteral(e) || (t.isMemberExpression(e) && t.isIdentifier(e.object, { name: '$f' }));
}
