// Function and class definitions → FunctionFacts and ClassFacts.

import { type ClassFact, type Expr, type FunctionFact, MODULE_FUNCTION_ID, type Stmt } from '../facts.js';
import type { AnnotatedField, FileContext } from './context.js';
import { convertExpr } from './expressions.js';
import { annotatedDescription, convertParams } from './params.js';
import { convertBlock, convertStatement } from './statements.js';
import { cleandoc, decodeStringLiteral } from './string-literals.js';
import { childByField, firstNamed, namedChildren, type PyNode } from './syntax-tree.js';

export function convertDefinition(ctx: FileContext, node: PyNode, out: Stmt[], depth: number): void {
  let definition = node;
  const decorators: Expr[] = [];
  if (node.type === 'decorated_definition') {
    for (const child of node.children) {
      if (child.type === 'decorator') {
        const inner = firstNamed(child);
        if (inner) decorators.push(convertExpr(ctx, inner, depth));
      }
    }
    const def = childByField(node, 'definition');
    if (!def) return;
    definition = def;
  }
  ctx.takePending(); // a walrus inside a decorator has nowhere useful to go
  if (definition.type === 'function_definition') {
    const fn = convertFunction(ctx, definition, node, decorators, depth);
    // Inside a function, `def inner` binds a local name to the function value.
    if (ctx.functionId !== MODULE_FUNCTION_ID && ctx.currentClass === null) {
      out.push({
        k: 'assign',
        target: { k: 'name', name: fn.name },
        value: { k: 'func', id: fn.id },
        line: fn.line,
      });
    }
  } else if (definition.type === 'class_definition') {
    const extra = convertClass(ctx, definition, depth);
    if (extra.length) out.push({ k: 'block', body: extra, line: ctx.line(definition) });
  }
}

function convertFunction(
  ctx: FileContext,
  node: PyNode,
  outer: PyNode,
  decorators: Expr[],
  depth: number,
): FunctionFact {
  const nameNode = childByField(node, 'name');
  const name = nameNode ? ctx.text(nameNode) : '<anonymous>';
  const line = ctx.line(node);
  const className = ctx.currentClass;
  const id = ctx.uniqueId([...ctx.scope, name].join('.'), line);
  const params = convertParams(ctx, childByField(node, 'parameters'), depth);
  const bodyNode = childByField(node, 'body');
  const savedFunction = ctx.functionId;
  const savedLoop = ctx.loopDepth;
  ctx.functionId = id;
  ctx.loopDepth = 0;
  ctx.scope.push(name);
  ctx.currentClass = null;
  let body: Stmt[];
  try {
    body = convertBlock(ctx, bodyNode, depth);
  } finally {
    ctx.scope.pop();
    ctx.functionId = savedFunction;
    ctx.loopDepth = savedLoop;
    ctx.currentClass = className;
  }
  const fn: FunctionFact = { id, name, params, line, endLine: ctx.lines.line(node.end), body, decorators };
  if (className !== null) fn.className = className;
  const doc = docstringOf(ctx, bodyNode);
  if (doc !== undefined) fn.doc = cleandoc(doc);
  if (body[0]?.k === 'expr' && doc !== undefined && body[0].value.k === 'str') body.shift();
  ctx.addFunction(fn, outer);
  return fn;
}

/** The raw (un-dedented) docstring: the first statement of a body when it is a plain string. */
export function docstringOf(ctx: FileContext, body: PyNode | undefined): string | undefined {
  const first = body ? firstNamed(body) : undefined;
  if (first?.type !== 'expression_statement') return undefined;
  const only = namedChildren(first);
  const str = only.length === 1 ? only[0] : undefined;
  if (!str) return undefined;
  if (str.type === 'string' && str.children.length === 0) return decodeStringLiteral(ctx.text(str));
  if (
    str.type === 'concatenated_string' &&
    str.children.every((c) => c.type !== 'string' || c.children.length === 0)
  ) {
    return str.children
      .filter((c) => c.type === 'string')
      .map((c) => decodeStringLiteral(ctx.text(c)))
      .join('');
  }
  return undefined;
}

/** Records the class; returns statements of its body that are neither fields nor methods. */
function convertClass(ctx: FileContext, node: PyNode, depth: number): Stmt[] {
  const nameNode = childByField(node, 'name');
  const name = [...ctx.scope, nameNode ? ctx.text(nameNode) : '<class>'].join('.');
  const bases: Expr[] = [];
  const supers = childByField(node, 'superclasses');
  for (const base of supers?.children ?? []) {
    if (base.named && base.type !== 'keyword_argument' && base.type !== 'comment')
      bases.push(convertExpr(ctx, base, depth));
  }
  const cls: ClassFact = {
    name,
    line: ctx.line(node),
    endLine: ctx.lines.line(node.end),
    bases,
    fields: [],
    methods: [],
  };
  const other: Stmt[] = [];
  const body = childByField(node, 'body');
  const savedClass = ctx.currentClass;
  ctx.scope.push(nameNode ? ctx.text(nameNode) : '<class>');
  ctx.currentClass = name;
  const before = ctx.facts.functions.length;
  const annotated: AnnotatedField[] = [];
  ctx.annotatedFields.set(name, annotated);
  try {
    for (const stmt of body?.children ?? []) {
      if (!stmt.named || stmt.type === 'comment') continue;
      const assignment = stmt.type === 'expression_statement' ? firstNamed(stmt) : undefined;
      const left = assignment?.type === 'assignment' ? childByField(assignment, 'left') : undefined;
      const right = assignment?.type === 'assignment' ? childByField(assignment, 'right') : undefined;
      const typeNode = assignment?.type === 'assignment' ? childByField(assignment, 'type') : undefined;
      if (left?.type === 'identifier' && (right || typeNode) && right?.type !== 'assignment') {
        const value = right ? convertExpr(ctx, right, depth) : undefined;
        if (value) cls.fields.push({ name: ctx.text(left), value, line: ctx.line(stmt) });
        if (typeNode) {
          const field: AnnotatedField = {
            name: ctx.text(left),
            annotation: ctx.text(typeNode),
            line: ctx.line(stmt),
          };
          if (value) field.value = value;
          const description = annotatedDescription(ctx, typeNode, depth);
          if (description) field.descriptionExpr = description;
          annotated.push(field);
        }
        ctx.takePending();
      } else if (
        stmt.type === 'function_definition' ||
        stmt.type === 'decorated_definition' ||
        stmt.type === 'class_definition'
      ) {
        convertDefinition(ctx, stmt, other, depth);
      } else {
        convertStatement(ctx, stmt, other, depth + 1);
      }
    }
  } finally {
    ctx.scope.pop();
    ctx.currentClass = savedClass;
  }
  for (let i = before; i < ctx.facts.functions.length; i++) {
    const fn = ctx.facts.functions[i] as FunctionFact;
    if (fn.className === name) cls.methods.push(fn.id);
  }
  ctx.addClass(cls, node);
  const doc = docstringOf(ctx, body);
  if (doc !== undefined && other[0]?.k === 'expr' && other[0].value.k === 'str') other.shift();
  return other;
}
