// Python expression syntax → Expr IR. Every recursive step passes `depth`; past MAX_IR_DEPTH the
// construct is cut (see FileContext.depthCut), so hostile nesting cannot overflow the JS stack.

import { type Expr, MAX_IR_DEPTH, type Stmt } from '../facts.js';
import type { FileContext } from './context.js';
import { concat } from './ir.js';
import { formatConcat, percentConcat } from './string-formatting.js';
import {
  decodeEscapes,
  decodeStringLiteral,
  normalizeNewlines,
  readPrefix,
  unescapeBraces,
} from './string-literals.js';
import { childByField, firstNamed, namedChildren, operatorOf, type PyNode } from './syntax-tree.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** Callee names whose calls may register tools; recorded for the registration pass. */
export const CANDIDATE_CALLEES = new Set([
  'Tool',
  'StructuredTool',
  'from_function',
  'add_tool',
  'tool',
  'function_tool',
]);

const EMPTY_OTHER: Expr = { k: 'other', parts: [] };

export function convertExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  if (depth > MAX_IR_DEPTH) return ctx.depthCut(node);
  const d = depth + 1;
  switch (node.type) {
    case 'identifier':
      return { k: 'name', name: ctx.text(node), line: ctx.line(node) };
    case 'string':
      return stringExpr(ctx, node, d);
    case 'concatenated_string': {
      const parts: Expr[] = [];
      for (const child of node.children) if (child.type === 'string') parts.push(stringExpr(ctx, child, d));
      return concat(parts);
    }
    case 'integer':
    case 'float':
      return numberExpr(ctx.text(node));
    case 'true':
      return { k: 'lit', value: true };
    case 'false':
      return { k: 'lit', value: false };
    case 'none':
      return { k: 'lit', value: null };
    case 'attribute': {
      const object = childByField(node, 'object');
      const attribute = childByField(node, 'attribute');
      if (!object || !attribute) return otherOf(ctx, node, d);
      return {
        k: 'attr',
        object: convertExpr(ctx, object, d),
        name: ctx.text(attribute),
        line: ctx.line(attribute),
      };
    }
    case 'subscript':
      return subscriptExpr(ctx, node, d);
    case 'call':
      return callExpr(ctx, node, d);
    case 'binary_operator':
      return binaryExpr(ctx, node, d);
    case 'boolean_operator': {
      // `a or b or c` nests to the left: collect the options iteratively.
      const rights: PyNode[] = [];
      let current: PyNode | undefined = node;
      while (current?.type === 'boolean_operator') {
        const right = childByField(current, 'right');
        if (right) rights.push(right);
        current = childByField(current, 'left');
      }
      const options: Expr[] = [];
      if (current) options.push(convertExpr(ctx, current, d));
      for (let i = rights.length - 1; i >= 0; i--) options.push(convertExpr(ctx, rights[i] as PyNode, d));
      return { k: 'choice', options };
    }
    case 'unary_operator': {
      const operand = childByField(node, 'argument');
      const value = operand ? convertExpr(ctx, operand, d) : EMPTY_OTHER;
      const op = operatorOf(node);
      if (value.k === 'num' && op === '-') return { k: 'num', value: -value.value };
      if (value.k === 'num' && op === '+') return value;
      return { k: 'other', parts: [value] };
    }
    case 'conditional_expression': {
      const [a, test, b] = namedChildren(node);
      const options: Expr[] = [];
      if (a) options.push(convertExpr(ctx, a, d));
      if (b) options.push(convertExpr(ctx, b, d));
      const out: Expr = { k: 'choice', options };
      if (test) out.test = convertExpr(ctx, test, d);
      return out;
    }
    case 'parenthesized_expression':
    case 'await':
    case 'list_splat':
    case 'dictionary_splat':
    case 'parenthesized_list_splat':
    case 'keyword_argument':
    case 'type':
    case 'as_pattern':
    case 'expression_statement': {
      const inner = node.type === 'keyword_argument' ? childByField(node, 'value') : firstNamed(node);
      return inner ? convertExpr(ctx, inner, d) : EMPTY_OTHER;
    }
    case 'named_expression': {
      const name = childByField(node, 'name');
      const valueNode = childByField(node, 'value');
      const value = valueNode ? convertExpr(ctx, valueNode, d) : EMPTY_OTHER;
      if (name)
        ctx.pending.push({
          k: 'assign',
          target: { k: 'name', name: ctx.text(name) },
          value,
          line: ctx.line(node),
        });
      return value;
    }
    case 'lambda':
      return lambdaExpr(ctx, node, d);
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern': {
      const items: Expr[] = [];
      for (const child of node.children)
        if (child.named && child.type !== 'comment') items.push(convertExpr(ctx, child, d));
      return { k: 'array', items };
    }
    case 'dictionary':
      return dictExpr(ctx, node, d);
    case 'list_comprehension':
    case 'set_comprehension':
    case 'generator_expression':
    case 'dictionary_comprehension':
      return comprehensionExpr(ctx, node, d);
    case 'ellipsis':
    case 'comment':
      return EMPTY_OTHER;
    default:
      return otherOf(ctx, node, d);
  }
}

/** `{ k: 'other' }` whose parts are the node's named children. */
function otherOf(ctx: FileContext, node: PyNode, depth: number): Expr {
  const parts: Expr[] = [];
  for (const child of node.children) {
    if (child.named && child.type !== 'comment') parts.push(convertExpr(ctx, child, depth));
  }
  return { k: 'other', parts };
}

function numberExpr(text: string): Expr {
  const clean = text.replaceAll('_', '').replace(/[lL]$/, '');
  if (/[jJ]$/.test(clean)) return EMPTY_OTHER;
  const value = Number(clean);
  return Number.isNaN(value) ? EMPTY_OTHER : { k: 'num', value };
}

function stringExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  const text = ctx.text(node);
  const prefix = readPrefix(text);
  if (!prefix.format) {
    const value = decodeStringLiteral(text);
    return { k: 'str', value };
  }
  const parts: Expr[] = [];
  for (const child of node.children) {
    if (child.type === 'string_content' || child.type === 'escape_interpolation') {
      const raw = normalizeNewlines(ctx.text(child));
      parts.push({ k: 'str', value: unescapeBraces(prefix.raw ? raw : decodeEscapes(raw, false)) });
    } else if (child.type === 'interpolation') {
      const inner = childByField(child, 'expression') ?? firstNamed(child);
      if (inner) parts.push(convertExpr(ctx, inner, depth));
    }
  }
  return concat(parts);
}

function subscriptExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  const value = childByField(node, 'value');
  const indexes: Expr[] = [];
  for (const child of node.children)
    if (child.field === 'subscript') indexes.push(convertExpr(ctx, child, depth));
  const object = value ? convertExpr(ctx, value, depth) : EMPTY_OTHER;
  const index: Expr = indexes.length === 1 ? (indexes[0] as Expr) : { k: 'array', items: indexes };
  return { k: 'index', object, index, line: ctx.line(node) };
}

/** Left-leaning `a + b + c + …` chains are walked iteratively so that long string building is not cut. */
function plusChain(ctx: FileContext, node: PyNode, depth: number): Expr {
  const rights: PyNode[] = [];
  let current: PyNode | undefined = node;
  while (current?.type === 'binary_operator' && operatorOf(current) === '+') {
    const right = childByField(current, 'right');
    if (right) rights.push(right);
    current = childByField(current, 'left');
  }
  const parts: Expr[] = [];
  if (current) parts.push(convertExpr(ctx, current, depth));
  for (let i = rights.length - 1; i >= 0; i--) parts.push(convertExpr(ctx, rights[i] as PyNode, depth));
  return concat(parts);
}

function binaryExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  if (operatorOf(node) === '+') return plusChain(ctx, node, depth);
  const leftNode = childByField(node, 'left');
  const rightNode = childByField(node, 'right');
  const op = operatorOf(node);
  const left = leftNode ? convertExpr(ctx, leftNode, depth) : EMPTY_OTHER;
  const right = rightNode ? convertExpr(ctx, rightNode, depth) : EMPTY_OTHER;
  if (op === '+') return concat([left, right]);
  if (op === '%') {
    if (left.k === 'str') return percentConcat(left.value, right);
    if (left.k === 'concat') return concat([left, right]);
  }
  return { k: 'other', parts: [left, right] };
}

function callExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  const fnNode = childByField(node, 'function');
  const argsNode = childByField(node, 'arguments');
  const callee = fnNode ? convertExpr(ctx, fnNode, depth) : EMPTY_OTHER;
  const args: Expr[] = [];
  const kwargs: CallExpr['kwargs'] = [];
  if (argsNode?.type === 'generator_expression') {
    args.push(convertExpr(ctx, argsNode, depth));
  } else if (argsNode) {
    for (const arg of argsNode.children) {
      if (!arg.named || arg.type === 'comment') continue;
      if (arg.type === 'keyword_argument') {
        const name = childByField(arg, 'name');
        const value = childByField(arg, 'value');
        kwargs.push({
          name: name ? ctx.text(name) : '?',
          value: value ? convertExpr(ctx, value, depth) : EMPTY_OTHER,
        });
      } else if (arg.type === 'dictionary_splat') {
        const inner = firstNamed(arg);
        kwargs.push({ name: '**', value: inner ? convertExpr(ctx, inner, depth) : EMPTY_OTHER });
      } else if (arg.type === 'list_splat') {
        const inner = firstNamed(arg);
        const star: Expr = { k: 'other', parts: inner ? [convertExpr(ctx, inner, depth)] : [] };
        ctx.starArgs.add(star);
        args.push(star);
      } else {
        args.push(convertExpr(ctx, arg, depth));
      }
    }
  }
  if (callee.k === 'attr') {
    // `"sep".join([a, b])` and `"…{}…".format(a)` build strings: model them as concatenations.
    if (callee.name === 'join' && callee.object.k === 'str' && args.length === 1 && kwargs.length === 0) {
      const list = args[0] as Expr;
      if (list.k === 'array') {
        const parts: Expr[] = [];
        list.items.forEach((item, i) => {
          if (i > 0 && callee.object.k === 'str') parts.push(callee.object);
          parts.push(item);
        });
        return concat(parts);
      }
    }
    if (callee.name === 'format') return formatConcat(callee.object, args, kwargs);
  }
  const call: CallExpr = { k: 'call', callee, args, kwargs, line: ctx.line(node), column: ctx.column(node) };
  // `mcp.tool()(fn)` / `tool("name")(fn)`: the registration is the outer call.
  const named = callee.k === 'call' ? callee.callee : callee;
  const calleeName = named.k === 'name' ? named.name : named.k === 'attr' ? named.name : undefined;
  if (
    calleeName !== undefined &&
    (CANDIDATE_CALLEES.has(calleeName) || ctx.candidateAliases.has(calleeName))
  ) {
    ctx.candidateCalls.push({ expr: call, node, functionId: ctx.functionId, inLoop: ctx.loopDepth > 0 });
  }
  return call;
}

function dictExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  const props: Extract<Expr, { k: 'object' }>['props'] = [];
  for (const child of node.children) {
    if (child.type === 'pair') {
      const keyNode = childByField(child, 'key');
      const valueNode = childByField(child, 'value');
      const key = keyNode ? convertExpr(ctx, keyNode, depth) : EMPTY_OTHER;
      const value = valueNode ? convertExpr(ctx, valueNode, depth) : EMPTY_OTHER;
      props.push({ key: key.k === 'str' ? key.value : key.k === 'num' ? String(key.value) : null, value });
    } else if (child.type === 'dictionary_splat') {
      const inner = firstNamed(child);
      props.push({ key: null, value: inner ? convertExpr(ctx, inner, depth) : EMPTY_OTHER });
    }
  }
  return { k: 'object', props };
}

/** Comprehensions: element expressions, iterables and conditions as parts of an `other`. */
function comprehensionExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  const parts: Expr[] = [];
  ctx.loopDepth++;
  try {
    for (const child of node.children) {
      if (!child.named || child.type === 'comment') continue;
      if (child.type === 'for_in_clause') {
        const right = childByField(child, 'right');
        if (right) parts.push(convertExpr(ctx, right, depth));
      } else if (child.type === 'if_clause') {
        const test = firstNamed(child);
        if (test) parts.push(convertExpr(ctx, test, depth));
      } else if (child.type === 'pair') {
        for (const kv of namedChildren(child)) parts.push(convertExpr(ctx, kv, depth));
      } else {
        parts.push(convertExpr(ctx, child, depth));
      }
    }
  } finally {
    ctx.loopDepth--;
  }
  return { k: 'other', parts };
}

function lambdaExpr(ctx: FileContext, node: PyNode, depth: number): Expr {
  const line = ctx.line(node);
  const column = ctx.column(node);
  const id = ctx.uniqueId(`<lambda@${line}:${column}>`, line);
  const params: { name: string; default?: Expr; rest?: boolean }[] = [];
  const paramsNode = childByField(node, 'parameters');
  if (paramsNode) {
    for (const p of paramsNode.children) {
      if (!p.named) continue;
      const nameNode = p.type === 'identifier' ? p : (childByField(p, 'name') ?? firstNamed(p));
      if (!nameNode || p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
      const name =
        nameNode.type === 'identifier' ? ctx.text(nameNode) : ctx.text(nameNode).replace(/^\*+/, '');
      const param: { name: string; default?: Expr; rest?: boolean } = { name };
      const value = childByField(p, 'value');
      if (value) param.default = convertExpr(ctx, value, depth);
      if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') param.rest = true;
      params.push(param);
    }
  }
  const bodyNode = childByField(node, 'body');
  const savedPending = ctx.takePending();
  const savedFunction = ctx.functionId;
  const savedLoop = ctx.loopDepth;
  ctx.functionId = id;
  ctx.loopDepth = 0;
  const body: Stmt[] = [];
  try {
    const value = bodyNode ? convertExpr(ctx, bodyNode, depth) : EMPTY_OTHER;
    body.push(...ctx.takePending(), { k: 'return', value, line: bodyNode ? ctx.line(bodyNode) : line });
  } finally {
    ctx.functionId = savedFunction;
    ctx.loopDepth = savedLoop;
    ctx.pending = savedPending;
  }
  ctx.addFunction(
    { id, name: '<lambda>', params, line, endLine: ctx.lines.line(node.end), body, decorators: [] },
    node,
  );
  return { k: 'func', id };
}
