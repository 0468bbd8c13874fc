import type { NodePath } from '@babel/traverse';
import * as t from '@babel/types';

/**
 * `super` in compiled generator methods, at compile time: each `super.x`, `super[k]`,
 * `super.m(...)`, `super.x = v` (also compound, logical and ++/--) in a method's code (or an
 * arrow function in it) becomes a call of the runtime (super-access.ts) that names the home
 * object explicitly: `$rt.superGet(home, key, self)`, `$rt.superGet(home, key, self).call(self, ...args)`,
 * `$rt.superSet(home, key, v, self)`. `home` is a slot variable beside the generated code, set
 * when the class is defined (its first static block) or the object literal is evaluated; the
 * frame holds no reference to it (it stays plain data).
 *
 * Caller: transform.ts (planned while paths are valid, applied after identifier rewrites).
 */

export interface SuperContext {
  /** The home object slot, as seen from the site. */
  home: () => t.Expression;
  /** The frame's `this`, as seen from the site. */
  self: () => t.Expression;
  /** A frame field for a value used twice (a computed key in a compound assignment, an optional super method), as seen from the site. */
  keyTemp: () => t.MemberExpression;
  error: (n: t.Node, message: string) => Error;
}

const RT = (name: string): t.MemberExpression => t.memberExpression(t.identifier('$rt'), t.identifier(name));

/** Plan the rewrite of the access whose `super` keyword is at `sup`; returns the edit to apply later. */
export function planSuperRewrite(sup: NodePath<t.Super>, cx: SuperContext): () => void {
  const m = sup.parentPath;
  if (!m.isMemberExpression() || m.node.object !== sup.node)
    throw cx.error(sup.node, '`super` is only supported as super.x, super[k] or super.m(...) in a compiled generator method');
  const parent = m.parentPath;
  const mNode = m.node;
  const keyOf = (): t.Expression => (mNode.computed ? (mNode.property as t.Expression) : t.stringLiteral((mNode.property as t.Identifier).name));
  const get = (key: t.Expression): t.CallExpression => t.callExpression(RT('superGet'), [cx.home(), key, cx.self()]);
  const set = (key: t.Expression, v: t.Expression): t.CallExpression => t.callExpression(RT('superSet'), [cx.home(), key, v, cx.self()]);
  /** [first use, later uses] of the key: a computed key is converted once into a frame temp. */
  const twice = (): [t.Expression, () => t.Expression] => {
    if (!mNode.computed) return [keyOf(), keyOf];
    const tmp = cx.keyTemp();
    return [t.assignmentExpression('=', tmp, t.callExpression(RT('toKey'), [keyOf()])), () => t.cloneNode(tmp)];
  };
  if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === mNode) {
    const pn = parent.node;
    const yields = pn.arguments.some((a) => containsYield(a));
    return () => {
      const fn = get(keyOf());
      const args = [cx.self(), ...pn.arguments];
      // with a yield among the arguments the method is held across it: call it through the
      // runtime so the frame holds the method only, not Function.prototype.call
      const optional = parent.isOptionalCallExpression() && pn.optional;
      let repl: t.Expression;
      if (yields && optional) {
        // super.m?.(yield x): (tmp = method) == null ? undefined : superCall(tmp, self, ...)
        const tmp = cx.keyTemp();
        repl = t.conditionalExpression(
          t.binaryExpression('==', t.assignmentExpression('=', tmp, fn), t.nullLiteral()),
          t.identifier('undefined'),
          t.callExpression(RT('superCall'), [t.cloneNode(tmp), ...args]),
        );
      } else repl = yields
        ? t.callExpression(RT('superCall'), [fn, ...args])
        : optional
        ? t.optionalCallExpression(t.optionalMemberExpression(fn, t.identifier('call'), false, true), args, false)
        : t.callExpression(t.memberExpression(fn, t.identifier('call')), args);
      parent.replaceWith(t.inherits(repl, pn));
    };
  }
  if (parent.isAssignmentExpression() && parent.node.left === mNode) {
    const pn = parent.node;
    const op = pn.operator;
    return () => {
      let repl: t.Expression;
      if (op === '=') repl = set(keyOf(), pn.right);
      else if (op === '||=' || op === '&&=' || op === '??=') {
        const [k1, k2] = twice();
        repl = t.logicalExpression(op.slice(0, 2) as '||' | '&&' | '??', get(k1), set(k2(), pn.right));
      } else {
        // the key is converted once, before the old value is read: (K = key, set(K, get(K) op v))
        const [k1, k2] = twice();
        const bin = op.slice(0, -1) as t.BinaryExpression['operator'];
        repl = mNode.computed
          ? t.sequenceExpression([k1, set(k2(), t.binaryExpression(bin, get(k2()), pn.right))])
          : set(k1, t.binaryExpression(bin, get(k2()), pn.right));
      }
      parent.replaceWith(t.inherits(repl, pn));
    };
  }
  if (parent.isUpdateExpression()) {
    const pn = parent.node;
    return () => {
      parent.replaceWith(t.inherits(t.callExpression(RT('superUpdate'), [
        cx.home(), keyOf(), cx.self(), t.numericLiteral(pn.operator === '++' ? 1 : -1), t.booleanLiteral(pn.prefix),
      ]), pn));
    };
  }
  if (parent.isUnaryExpression({ operator: 'delete' }))
    throw cx.error(parent.node, '`delete super.x` is not supported in a compiled generator method (natively it always throws a ReferenceError)');
  if (parent.isPattern() || parent.isObjectProperty() && parent.parentPath.isObjectPattern() || parent.isRestElement() ||
      ((parent.isForOfStatement() || parent.isForInStatement()) && parent.node.left === mNode))
    throw cx.error(mNode, 'destructuring or for-of/for-in into a `super` property is not supported in a compiled generator method: assign to a local first');
  return () => {
    m.replaceWith(t.inherits(get(keyOf()), mNode));
  };
}

function containsYield(n: t.Node): boolean {
  if (t.isYieldExpression(n)) return true;
  if (t.isFunction(n)) return false;
  for (const key of t.VISITOR_KEYS[n.type] ?? []) {
    const v = (n as unknown as Record<string, unknown>)[key];
    const kids = Array.isArray(v) ? v : [v];
    for (const c of kids) if (c && typeof c === 'object' && containsYield(c as t.Node)) return true;
  }
  return false;
}
