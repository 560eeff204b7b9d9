// Function parameters → ParamFacts, including `Annotated[T, …]` description metadata.

import type { Expr, ParamFact } from '../facts.js';
import type { FileContext } from './context.js';
import { convertExpr } from './expressions.js';
import { childByField, firstNamed, namedChildren, type PyNode } from './syntax-tree.js';

export function convertParams(ctx: FileContext, node: PyNode | undefined, depth: number): ParamFact[] {
  const params: ParamFact[] = [];
  for (const p of node?.children ?? []) {
    if (
      !p.named ||
      p.type === 'comment' ||
      p.type === 'keyword_separator' ||
      p.type === 'positional_separator'
    )
      continue;
    const param = convertParam(ctx, p, depth);
    if (param) params.push(param);
  }
  return params;
}

function convertParam(ctx: FileContext, p: PyNode, depth: number): ParamFact | undefined {
  let nameNode: PyNode | undefined;
  let rest = false;
  switch (p.type) {
    case 'identifier':
      return { name: ctx.text(p) };
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const inner = firstNamed(p);
      return inner ? { name: ctx.text(inner), rest: true } : undefined;
    }
    case 'tuple_pattern':
      return { name: ctx.text(p) };
    case 'typed_parameter': {
      nameNode = firstNamed(p);
      if (
        nameNode &&
        (nameNode.type === 'list_splat_pattern' || nameNode.type === 'dictionary_splat_pattern')
      ) {
        rest = true;
        nameNode = firstNamed(nameNode);
      }
      break;
    }
    default:
      nameNode = childByField(p, 'name');
  }
  if (!nameNode) return undefined;
  const param: ParamFact = { name: ctx.text(nameNode) };
  if (rest) param.rest = true;
  const type = childByField(p, 'type');
  if (type) {
    param.annotation = ctx.text(type);
    const description = annotatedDescription(ctx, type, depth);
    if (description) param.descriptionExpr = description;
  }
  const value = childByField(p, 'value');
  if (value) param.default = convertExpr(ctx, value, depth);
  ctx.takePending();
  return param;
}

/** `Annotated[T, Field(description=…)]`, `Annotated[T, "doc"]`, `Annotated[T, Doc("…")]`. */
export function annotatedDescription(ctx: FileContext, type: PyNode, depth: number): Expr | undefined {
  const inner = firstNamed(type);
  if (!inner) return undefined;
  let head: PyNode | undefined;
  let args: PyNode[] = [];
  if (inner.type === 'generic_type') {
    head = firstNamed(inner);
    const typeParams = inner.children.find((c) => c.type === 'type_parameter');
    args = typeParams ? namedChildren(typeParams) : [];
  } else if (inner.type === 'subscript') {
    head = childByField(inner, 'value');
    args = inner.children.filter((c) => c.field === 'subscript');
  }
  if (!head || !/(^|\.)Annotated$/.test(ctx.text(head))) return undefined;
  for (const meta of args.slice(1)) {
    let node: PyNode | undefined = meta;
    while (node?.type === 'type') node = firstNamed(node);
    if (!node) continue;
    if (node.type === 'string' || node.type === 'concatenated_string') return convertExpr(ctx, node, depth);
    if (node.type === 'call') {
      const call = convertExpr(ctx, node, depth);
      if (call.k !== 'call') continue;
      const kw = call.kwargs.find((k) => k.name === 'description');
      if (kw) return kw.value;
      const callee =
        call.callee.k === 'name' ? call.callee.name : call.callee.k === 'attr' ? call.callee.name : '';
      if (callee === 'Doc' && call.args[0]) return call.args[0];
    }
  }
  return undefined;
}
