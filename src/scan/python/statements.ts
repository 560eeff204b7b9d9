// Python statements, functions, classes and imports → FileFacts.

import {
  type Expr,
  type FunctionFact,
  MAX_IR_DEPTH,
  MODULE_FUNCTION_ID,
  type Stmt,
  type Target,
} from '../facts.js';
import type { FileContext } from './context.js';
import { convertDefinition } from './definitions.js';
import { collectCaseStrings, recordDispatch } from './dispatch-tests.js';
import { convertExpr } from './expressions.js';
import { convertImport, convertImportFrom } from './imports.js';
import { childByField, firstNamed, namedChildren, operatorOf, type PyNode } from './syntax-tree.js';

const EMPTY: Expr = { k: 'other', parts: [] };

/** Converts the whole module: top-level statements go to the `<module>` function. */
export function convertModule(ctx: FileContext, root: PyNode): void {
  const body: Stmt[] = [];
  ctx.functionId = MODULE_FUNCTION_ID;
  convertStatements(ctx, root.children, body, 0);
  const module: FunctionFact = {
    id: MODULE_FUNCTION_ID,
    name: MODULE_FUNCTION_ID,
    params: [],
    line: 1,
    endLine: ctx.lines.line(root.end),
    body,
    decorators: [],
  };
  ctx.facts.functions.unshift(module);
  ctx.functionsById.set(MODULE_FUNCTION_ID, module);
}

export function convertBlock(ctx: FileContext, block: PyNode | undefined, depth: number): Stmt[] {
  const out: Stmt[] = [];
  if (block) convertStatements(ctx, block.children, out, depth);
  return out;
}

function convertStatements(ctx: FileContext, nodes: PyNode[], out: Stmt[], depth: number): void {
  for (const node of nodes) {
    if (!node.named || node.type === 'comment') continue;
    if (depth > MAX_IR_DEPTH) {
      ctx.depthCut(node);
      return;
    }
    convertStatement(ctx, node, out, depth + 1);
  }
}

function push(ctx: FileContext, out: Stmt[], stmt: Stmt, pre: Stmt[]): void {
  if (pre.length) out.push(...pre);
  out.push(stmt);
  const after = ctx.takePending();
  if (after.length) out.push(...after);
}

export function convertStatement(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  const line = ctx.line(node);
  switch (node.type) {
    case 'expression_statement':
      for (const child of namedChildren(node)) convertExpressionStatement(ctx, child, out, depth);
      return;
    case 'return_statement': {
      const value = firstNamed(node);
      push(
        ctx,
        out,
        { k: 'return', value: value ? convertExpr(ctx, value, depth) : null, line },
        ctx.takePending(),
      );
      return;
    }
    case 'raise_statement': {
      const value = firstNamed(node);
      push(
        ctx,
        out,
        { k: 'throw', value: value ? convertExpr(ctx, value, depth) : null, line },
        ctx.takePending(),
      );
      return;
    }
    case 'if_statement':
      convertIf(ctx, node, out, depth);
      return;
    case 'for_statement':
    case 'while_statement':
      convertLoop(ctx, node, out, depth);
      return;
    case 'with_statement':
      convertWith(ctx, node, out, depth);
      return;
    case 'try_statement': {
      const body: Stmt[] = [];
      for (const child of node.children) {
        if (child.type === 'block') convertStatements(ctx, child.children, body, depth);
        else if (
          child.type === 'except_clause' ||
          child.type === 'except_group_clause' ||
          child.type === 'else_clause' ||
          child.type === 'finally_clause'
        ) {
          for (const part of child.children)
            if (part.type === 'block') convertStatements(ctx, part.children, body, depth);
        }
      }
      out.push({ k: 'block', body, line });
      return;
    }
    case 'match_statement':
      convertMatch(ctx, node, out, depth);
      return;
    case 'function_definition':
    case 'decorated_definition':
    case 'class_definition':
      convertDefinition(ctx, node, out, depth);
      return;
    case 'import_statement':
      convertImport(ctx, node);
      return;
    case 'import_from_statement':
    case 'future_import_statement':
      convertImportFrom(ctx, node);
      return;
    case 'delete_statement':
    case 'assert_statement':
    case 'print_statement':
    case 'exec_statement': {
      const parts: Expr[] = [];
      for (const child of namedChildren(node)) parts.push(convertExpr(ctx, child, depth));
      push(ctx, out, { k: 'expr', value: { k: 'other', parts }, line }, ctx.takePending());
      return;
    }
    case 'block':
      convertStatements(ctx, node.children, out, depth);
      return;
    case 'ERROR':
      // Error recovery: keep whatever statements the parser still recognised inside the error.
      convertStatements(ctx, node.children, out, depth);
      return;
    default:
      // pass/break/continue/global/nonlocal/type aliases carry no data flow.
      return;
  }
}

function convertExpressionStatement(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  const line = ctx.line(node);
  if (node.type === 'assignment') {
    const rightNode = childByField(node, 'right');
    if (!rightNode) return; // bare annotation `x: int`
    // Chained `a = b = value`: every target receives the innermost value.
    const targets: PyNode[] = [];
    let current: PyNode | undefined = node;
    let valueNode: PyNode | undefined;
    let guard = 0;
    while (current && current.type === 'assignment' && guard++ <= MAX_IR_DEPTH) {
      const left = childByField(current, 'left');
      if (left) targets.push(left);
      valueNode = childByField(current, 'right');
      current = valueNode;
    }
    const value = valueNode ? convertExpr(ctx, valueNode, depth) : EMPTY;
    const pre = ctx.takePending();
    if (pre.length) out.push(...pre);
    for (const target of targets)
      out.push({ k: 'assign', target: convertTarget(ctx, target, depth), value, line });
    return;
  }
  if (node.type === 'augmented_assignment') {
    const left = childByField(node, 'left');
    const right = childByField(node, 'right');
    if (!left) return;
    const op = operatorOf(node);
    const current = convertExpr(ctx, left, depth);
    const rhs = right ? convertExpr(ctx, right, depth) : EMPTY;
    const value: Expr =
      op === '+=' ? { k: 'concat', parts: [current, rhs] } : { k: 'other', parts: [current, rhs] };
    push(ctx, out, { k: 'assign', target: convertTarget(ctx, left, depth), value, line }, ctx.takePending());
    return;
  }
  const value = convertExpr(ctx, node, depth);
  push(ctx, out, { k: 'expr', value, line }, ctx.takePending());
}

export function convertTarget(ctx: FileContext, node: PyNode, depth: number): Target {
  if (depth > MAX_IR_DEPTH) {
    ctx.depthCut(node);
    return { k: 'pattern', items: [] };
  }
  switch (node.type) {
    case 'identifier':
      return { k: 'name', name: ctx.text(node) };
    case 'attribute': {
      const object = childByField(node, 'object');
      const attribute = childByField(node, 'attribute');
      return {
        k: 'member',
        object: object ? convertExpr(ctx, object, depth + 1) : EMPTY,
        name: attribute ? ctx.text(attribute) : null,
      };
    }
    case 'subscript': {
      const object = childByField(node, 'value');
      const index = childByField(node, 'subscript');
      const key = index ? convertExpr(ctx, index, depth + 1) : EMPTY;
      return {
        k: 'member',
        object: object ? convertExpr(ctx, object, depth + 1) : EMPTY,
        name: key.k === 'str' ? key.value : null,
      };
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list': {
      const items: { key: string | null; target: Target }[] = [];
      let rest: Target | undefined;
      for (const child of namedChildren(node)) {
        if (child.type === 'list_splat_pattern' || child.type === 'list_splat') {
          const inner = firstNamed(child);
          if (inner) rest = convertTarget(ctx, inner, depth + 1);
        } else {
          items.push({ key: null, target: convertTarget(ctx, child, depth + 1) });
        }
      }
      return rest ? { k: 'pattern', items, rest } : { k: 'pattern', items };
    }
    case 'parenthesized_expression':
    case 'as_pattern_target':
    case 'list_splat_pattern': {
      const inner = firstNamed(node);
      return inner ? convertTarget(ctx, inner, depth + 1) : { k: 'pattern', items: [] };
    }
    default:
      return { k: 'name', name: ctx.text(node).slice(0, 80) };
  }
}

function convertIf(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  const condition = childByField(node, 'condition');
  const test = condition ? convertExpr(ctx, condition, depth) : EMPTY;
  // A walrus in the test assigns before the test is evaluated.
  const pre = ctx.takePending();
  if (pre.length) out.push(...pre);
  const body = convertBlock(ctx, childByField(node, 'consequence'), depth);
  const stmt: Extract<Stmt, { k: 'if' }> = { k: 'if', test, body, orelse: [], line: ctx.line(node) };
  recordDispatch(ctx, stmt, condition);
  // Build the elif chain as nested ifs in orelse.
  let tail = stmt;
  for (const child of node.children) {
    if (child.field !== 'alternative') continue;
    if (child.type === 'elif_clause') {
      const cond = childByField(child, 'condition');
      const elifTest = cond ? convertExpr(ctx, cond, depth) : EMPTY;
      const elifPre = ctx.takePending();
      if (elifPre.length) tail.orelse.push(...elifPre);
      const elif: Extract<Stmt, { k: 'if' }> = {
        k: 'if',
        test: elifTest,
        body: convertBlock(ctx, childByField(child, 'consequence'), depth),
        orelse: [],
        line: ctx.line(child),
      };
      recordDispatch(ctx, elif, cond);
      tail.orelse.push(elif);
      tail = elif;
    } else if (child.type === 'else_clause') {
      tail.orelse.push(...convertBlock(ctx, childByField(child, 'body'), depth));
    }
  }
  out.push(stmt);
}

function convertLoop(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  const isFor = node.type === 'for_statement';
  const left = isFor ? childByField(node, 'left') : undefined;
  const iterNode = isFor ? childByField(node, 'right') : childByField(node, 'condition');
  const iter = iterNode ? convertExpr(ctx, iterNode, depth) : null;
  const pre = ctx.takePending();
  ctx.loopDepth++;
  let body: Stmt[];
  try {
    body = convertBlock(ctx, childByField(node, 'body'), depth);
  } finally {
    ctx.loopDepth--;
  }
  if (pre.length) out.push(...pre);
  out.push({
    k: 'loop',
    target: left ? convertTarget(ctx, left, depth) : null,
    iter,
    body,
    line: ctx.line(node),
  });
  const orelse = childByField(node, 'alternative');
  if (orelse)
    out.push({
      k: 'block',
      body: convertBlock(ctx, childByField(orelse, 'body'), depth),
      line: ctx.line(orelse),
    });
}

function convertWith(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  const items: { value: Expr; target: Target | null }[] = [];
  for (const clause of node.children) {
    if (clause.type !== 'with_clause') continue;
    for (const item of clause.children) {
      if (item.type !== 'with_item') continue;
      const value = childByField(item, 'value') ?? firstNamed(item);
      if (!value) continue;
      if (value.type === 'as_pattern') {
        const expr = firstNamed(value);
        const alias = childByField(value, 'alias');
        items.push({
          value: expr ? convertExpr(ctx, expr, depth) : EMPTY,
          target: alias ? convertTarget(ctx, alias, depth) : null,
        });
      } else {
        items.push({ value: convertExpr(ctx, value, depth), target: null });
      }
    }
  }
  const pre = ctx.takePending();
  if (pre.length) out.push(...pre);
  out.push({
    k: 'with',
    items,
    body: convertBlock(ctx, childByField(node, 'body'), depth),
    line: ctx.line(node),
  });
}

/** `match subject:` → an if-chain; string literal cases are remembered for dispatch. */
function convertMatch(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  const subjectNode = childByField(node, 'subject');
  const subject = subjectNode ? convertExpr(ctx, subjectNode, depth) : EMPTY;
  const pre = ctx.takePending();
  if (pre.length) out.push(...pre);
  const block = childByField(node, 'body');
  let first: Stmt | undefined;
  let tail: Extract<Stmt, { k: 'if' }> | undefined;
  for (const clause of block?.children ?? []) {
    if (clause.type !== 'case_clause') continue;
    const values: string[] = [];
    const patternParts: Expr[] = [];
    let wildcard = false;
    for (const pattern of clause.children) {
      if (pattern.type !== 'case_pattern') continue;
      collectCaseStrings(ctx, pattern, values, 0);
      if (pattern.children.length === 1 && pattern.children[0]?.type === '_') wildcard = true;
      patternParts.push({ k: 'str', value: ctx.text(pattern) });
    }
    const body = convertBlock(ctx, childByField(clause, 'consequence'), depth);
    if (wildcard) {
      if (tail) tail.orelse.push(...body);
      else out.push({ k: 'block', body, line: ctx.line(clause) });
      continue;
    }
    const stmt: Extract<Stmt, { k: 'if' }> = {
      k: 'if',
      test: { k: 'other', parts: [subject, ...patternParts] },
      body,
      orelse: [],
      line: ctx.line(clause),
    };
    if (subjectNode?.type === 'identifier' && values.length)
      ctx.dispatchTests.set(stmt, { subject: ctx.text(subjectNode), values });
    if (tail) tail.orelse.push(stmt);
    else first = stmt;
    tail = stmt;
  }
  if (first) out.push(first);
}
