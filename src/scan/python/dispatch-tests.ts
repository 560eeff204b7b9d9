// Tests on the tool name (`if name == "x"`, `name in (...)`, `case "x" | Tools.Y:`), remembered
// while converting statements so that low-level `call_tool` dispatch can be split per tool.

import type { Stmt } from '../facts.js';
import { DOTTED_PREFIX, type FileContext } from './context.js';
import { decodeStringLiteral } from './string-literals.js';
import { firstNamed, namedChildren, type PyNode } from './syntax-tree.js';

/** Remembers `x == "lit"`, `"lit" == x` and `x in ("a", "b")` tests for call_tool dispatch. */
export function recordDispatch(
  ctx: FileContext,
  stmt: Extract<Stmt, { k: 'if' }>,
  condition: PyNode | undefined,
): void {
  let cond = condition;
  while (cond?.type === 'parenthesized_expression') cond = firstNamed(cond);
  if (cond?.type !== 'comparison_operator') return;
  const operands = namedChildren(cond);
  const ops = cond.children.filter((c) => !c.named).map((c) => c.type);
  if (operands.length !== 2 || ops.length !== 1) return;
  const [a, b] = operands as [PyNode, PyNode];
  const op = ops[0];
  if (op === '==') {
    // `name == "x"`, `"x" == name`, `name == Tools.X`
    for (const [subject, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const value = subject.type === 'identifier' ? dispatchValue(ctx, other) : undefined;
      if (value !== undefined) {
        ctx.dispatchTests.set(stmt, { subject: ctx.text(subject), values: [value] });
        return;
      }
    }
  } else if (
    op === 'in' &&
    a.type === 'identifier' &&
    (b.type === 'tuple' || b.type === 'list' || b.type === 'set')
  ) {
    const values: string[] = [];
    for (const item of namedChildren(b)) {
      const value = dispatchValue(ctx, item);
      if (value !== undefined) values.push(value);
    }
    if (values.length) ctx.dispatchTests.set(stmt, { subject: ctx.text(a), values });
  }
}

/** A plain string literal's value, or DOTTED_PREFIX + `Cls.NAME` for a dotted constant (enum member). */
function dispatchValue(ctx: FileContext, node: PyNode): string | undefined {
  if (node.type === 'string' && node.children.length === 0) return decodeStringLiteral(ctx.text(node));
  if (node.type === 'attribute' || node.type === 'dotted_name') {
    const text = ctx.text(node).replace(/\s+/g, '');
    if (/^[A-Za-z_][\w.]*$/.test(text) && text.includes('.')) return DOTTED_PREFIX + text;
  }
  return undefined;
}

export function collectCaseStrings(ctx: FileContext, node: PyNode, values: string[], depth: number): void {
  if (depth > 8) return;
  for (const child of node.children) {
    const value = dispatchValue(ctx, child);
    if (value !== undefined) values.push(value);
    else if (child.type === 'union_pattern' || child.type === 'case_pattern')
      collectCaseStrings(ctx, child, values, depth + 1);
  }
}
