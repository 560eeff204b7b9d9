// ESTree expressions → IR. Shared by the oxc path and the TypeScript fallback (which is adapted
// to ESTree shape first). Depth is counted per function and cut at MAX_IR_DEPTH; long
// left-associative chains (`a+b+…`, `a||b||…`) are flattened iteratively, so 50,000-term
// chains from minified bundles neither overflow the stack nor lose their operands.
// biome-ignore-all lint/suspicious/noExplicitAny: ESTree nodes from two parsers are read structurally.

import { type Expr, MAX_IR_DEPTH, type Stmt, type Target } from '../facts.js';
import type { FileContext } from './context.js';

export type Node = any;

const EMPTY_OTHER = (): Expr => ({ k: 'other', parts: [] });

/** Wrappers that do not change a value: `(x)`, `await x`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
const TRANSPARENT = new Set([
  'ParenthesizedExpression',
  'AwaitExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'ChainExpression',
]);

export function unwrap(node: Node): Node {
  let n = node;
  for (let guard = 0; n && TRANSPARENT.has(n.type) && guard < 100_000; guard++) {
    n = n.type === 'AwaitExpression' ? n.argument : n.expression;
  }
  return n;
}

/** The static name of a property key (`a`, `'a'`, `1`, `#a`), or null for computed keys. */
export function keyName(key: Node, computed: boolean): string | null {
  if (!key) return null;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  if (computed && key.type === 'TemplateLiteral' && key.expressions.length === 0) {
    return key.quasis[0]?.value?.cooked ?? null;
  }
  return null;
}

/** Hooks into the statement/function side of the converter. */
export interface FunctionSink {
  /** Converts a function node to a FunctionFact and returns its id. */
  func(node: Node, idHint: string | undefined, displayName: string | undefined, docAnchor: number): string;
  /** Converts a class node to a ClassFact and returns the class name. */
  klass(node: Node, nameHint: string | undefined): string;
  /** Statements produced while converting an expression (nested assignments, sequence heads). */
  pending: Stmt[];
  pattern(node: Node): Target;
}

type BinaryCategory = 'concat' | 'choice' | 'other';

function category(node: Node): BinaryCategory | null {
  if (node.type === 'BinaryExpression') return node.operator === '+' ? 'concat' : 'other';
  if (node.type === 'LogicalExpression') return 'choice';
  return null;
}

const EQUALITY = new Set(['==', '===', '!=', '!==']);

export class ExpressionConverter {
  /** IR depth inside the current function. */
  depth = 0;
  private cutNoted = false;

  constructor(
    private readonly ctx: FileContext,
    private readonly sink: FunctionSink,
  ) {}

  resetDepthNote(): void {
    this.cutNoted = false;
  }

  line(node: Node): number {
    return this.ctx.lines.line(node.start);
  }

  expr(node: Node, nameHint?: string): Expr {
    if (!node) return EMPTY_OTHER();
    if (this.depth >= MAX_IR_DEPTH) {
      if (!this.cutNoted) {
        this.cutNoted = true;
        this.ctx.note(node.start, `expression nested deeper than ${MAX_IR_DEPTH} levels was cut`);
      }
      return EMPTY_OTHER();
    }
    this.depth++;
    try {
      return this.convert(unwrap(node), nameHint);
    } finally {
      this.depth--;
    }
  }

  private convert(node: Node, nameHint?: string): Expr {
    if (!node) return EMPTY_OTHER();
    switch (node.type) {
      case 'Literal':
        return literal(node);
      case 'Identifier':
        return { k: 'name', name: node.name, line: this.line(node) };
      case 'ThisExpression':
        return { k: 'name', name: 'this', line: this.line(node) };
      case 'Super':
        return { k: 'name', name: 'super', line: this.line(node) };
      case 'TemplateLiteral':
        return this.template(node);
      case 'TaggedTemplateExpression':
        return this.call(node, node.tag, [node.quasi], false);
      case 'BinaryExpression':
      case 'LogicalExpression':
        return this.binary(node);
      case 'ConditionalExpression':
        return {
          k: 'choice',
          options: [this.expr(node.consequent), this.expr(node.alternate)],
          test: this.expr(node.test),
        };
      case 'SpreadElement': {
        const out: Expr = { k: 'other', parts: [this.expr(node.argument)] };
        this.ctx.spreads.add(out);
        return out;
      }
      case 'UnaryExpression':
      case 'UpdateExpression':
      case 'YieldExpression':
        return { k: 'other', parts: node.argument ? [this.expr(node.argument)] : [] };
      case 'AssignmentExpression':
        return this.assignmentValue(node);
      case 'SequenceExpression':
        return this.sequence(node);
      case 'MemberExpression':
        return this.member(node);
      case 'CallExpression':
        return this.call(node, node.callee, node.arguments, false);
      case 'NewExpression':
        return this.call(node, node.callee, node.arguments, true);
      case 'ImportExpression':
        return this.call(
          node,
          { type: 'Identifier', name: 'import', start: node.start },
          [node.source],
          false,
        );
      case 'MetaProperty':
        return {
          k: 'attr',
          object: { k: 'name', name: node.meta.name, line: this.line(node) },
          name: node.property.name,
          line: this.line(node),
        };
      case 'ArrayExpression': {
        const out: Expr = {
          k: 'array',
          items: node.elements.map((e: Node) => (e ? this.expr(e) : { k: 'lit', value: null })),
        };
        this.ctx.starts.set(out, node.start);
        return out;
      }
      case 'ObjectExpression':
        return this.object(node, nameHint);
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const own: string | undefined = node.id?.name;
        const display = own ?? nameHint?.split('.').pop();
        const out: Expr = { k: 'func', id: this.sink.func(node, nameHint ?? own, display, node.start) };
        this.ctx.starts.set(out, node.start);
        return out;
      }
      case 'ClassExpression':
        return { k: 'name', name: this.sink.klass(node, nameHint), line: this.line(node) };
      case 'JSXElement':
      case 'JSXFragment':
        return this.jsx(node);
      case 'CutNode':
        return EMPTY_OTHER();
      default:
        return EMPTY_OTHER();
    }
  }

  private template(node: Node): Expr {
    const parts: Expr[] = [];
    const quasis = node.quasis as Node[];
    for (let i = 0; i < quasis.length; i++) {
      const q = quasis[i];
      const text: string = q.value?.cooked ?? q.value?.raw ?? '';
      if (text.length > 0) parts.push({ k: 'str', value: text });
      const e = node.expressions[i];
      if (e) parts.push(this.expr(e));
    }
    return { k: 'concat', parts };
  }

  /** Flattens a left-leaning chain of one category iteratively, then converts the operands. */
  private binary(node: Node): Expr {
    const cat = category(node) as BinaryCategory;
    if (cat === 'other' && EQUALITY.has(node.operator)) {
      const out: Expr = { k: 'other', parts: [this.expr(node.left), this.expr(node.right)] };
      if (node.operator === '==' || node.operator === '===') this.ctx.equalityTests.add(out);
      return out;
    }
    const rights: Node[] = [];
    let left: Node = node;
    while (true) {
      const l = unwrapParens(left);
      if (category(l) !== cat || (cat === 'other' && EQUALITY.has(l.operator))) break;
      rights.push(l.right);
      left = l.left;
    }
    const operands = [left, ...rights.reverse()];
    const parts = operands.map((o) => this.expr(o));
    if (cat === 'concat') return { k: 'concat', parts };
    if (cat === 'choice') return { k: 'choice', options: parts };
    return { k: 'other', parts };
  }

  private assignmentValue(node: Node): Expr {
    const value = this.assignedValue(node);
    this.sink.pending.push({
      k: 'assign',
      target: this.sink.pattern(node.left),
      value,
      line: this.line(node),
    });
    return value;
  }

  /** The value an assignment stores: `a += b` stores `a + b`. */
  assignedValue(node: Node): Expr {
    const hint = assignmentHint(node.left);
    const right = this.expr(node.right, hint);
    if (node.operator === '=') return right;
    if (node.operator === '+=') return { k: 'concat', parts: [this.expr(node.left), right] };
    if (node.operator === '||=' || node.operator === '??=' || node.operator === '&&=') {
      return { k: 'choice', options: [this.expr(node.left), right] };
    }
    return { k: 'other', parts: [this.expr(node.left), right] };
  }

  private sequence(node: Node): Expr {
    const items = node.expressions as Node[];
    for (let i = 0; i < items.length - 1; i++) {
      const value = this.expr(items[i]);
      if (value.k !== 'num' && value.k !== 'str' && value.k !== 'lit') {
        this.sink.pending.push({ k: 'expr', value, line: this.line(items[i]) });
      }
    }
    return this.expr(items[items.length - 1]);
  }

  private member(node: Node): Expr {
    const object = this.expr(node.object);
    const line = this.ctx.lines.line(node.property?.start ?? node.start);
    if (!node.computed) {
      const name = node.property.type === 'PrivateIdentifier' ? `#${node.property.name}` : node.property.name;
      return { k: 'attr', object, name, line };
    }
    return { k: 'index', object, index: this.expr(node.property), line };
  }

  private call(node: Node, callee: Node, args: Node[], isNew: boolean): Expr {
    const c = unwrap(callee);
    // Position at the called name (`.post` in `axios\n.post(…)`), where a reader looks.
    const at = c?.type === 'MemberExpression' && !c.computed ? c.property.start : node.start;
    const out: Expr = {
      k: 'call',
      callee: this.expr(callee),
      args: args.map((a) => this.expr(a)),
      kwargs: [],
      line: this.ctx.lines.line(at),
      column: this.ctx.lines.column(at),
    };
    if (isNew) out.isNew = true;
    this.ctx.starts.set(out, node.start);
    this.ctx.ends.set(out, node.end);
    return out;
  }

  private object(node: Node, nameHint?: string): Expr {
    const props: { key: string | null; value: Expr; computed?: Expr }[] = [];
    for (const p of node.properties as Node[]) {
      if (p.type === 'SpreadElement') {
        props.push({ key: null, value: this.expr(p.argument) });
        continue;
      }
      const key = keyName(p.key, p.computed);
      // `{ [TOOL.name]: handler }`: the key may fold in the flow engine (an imported constant).
      const computed = key === null ? this.expr(p.key) : undefined;
      const v = unwrap(p.value);
      if (v && (v.type === 'FunctionExpression' || v.type === 'ArrowFunctionExpression')) {
        const id = nameHint && key !== null ? `${nameHint}.${key}` : undefined;
        const display = key ?? undefined;
        const fn: Expr = { k: 'func', id: this.sink.func(v, id, display, p.start) };
        this.ctx.starts.set(fn, v.start);
        props.push(computed ? { key, value: fn, computed } : { key, value: fn });
        continue;
      }
      const childHint = nameHint && key !== null ? `${nameHint}.${key}` : undefined;
      const value = this.expr(p.value, childHint);
      props.push(computed ? { key, value, computed } : { key, value });
    }
    const out: Expr = { k: 'object', props };
    this.ctx.starts.set(out, node.start);
    return out;
  }

  private jsx(node: Node): Expr {
    const parts: Expr[] = [];
    const attrs = node.openingElement?.attributes ?? [];
    for (const a of attrs) {
      const v = a.type === 'JSXSpreadAttribute' ? a.argument : a.value;
      if (v?.type === 'JSXExpressionContainer') parts.push(this.expr(v.expression));
      else if (v && v.type !== 'Literal') parts.push(this.expr(v));
    }
    for (const child of node.children ?? []) {
      if (child.type === 'JSXExpressionContainer') {
        if (child.expression?.type !== 'JSXEmptyExpression') parts.push(this.expr(child.expression));
      } else if (child.type === 'JSXElement' || child.type === 'JSXFragment') parts.push(this.expr(child));
    }
    return { k: 'other', parts };
  }
}

function unwrapParens(node: Node): Node {
  let n = node;
  while (n && n.type === 'ParenthesizedExpression') n = n.expression;
  return n;
}

function literal(node: Node): Expr {
  const v = node.value;
  if (typeof v === 'string') return { k: 'str', value: v };
  if (typeof v === 'number') return { k: 'num', value: v };
  if (typeof v === 'boolean' || v === null) {
    if (v === null && (node.regex || node.bigint)) return EMPTY_OTHER();
    return { k: 'lit', value: v };
  }
  return EMPTY_OTHER();
}

/** A dotted name for a function assigned to a member (`exports.handler`), else undefined. */
export function assignmentHint(left: Node): string | undefined {
  const l = unwrap(left);
  if (!l) return undefined;
  if (l.type === 'Identifier') return l.name;
  if (l.type === 'MemberExpression' && !l.computed) {
    const parts: string[] = [];
    let n: Node = l;
    for (let i = 0; i < 8 && n?.type === 'MemberExpression' && !n.computed; i++) {
      parts.push(n.property.name);
      n = unwrap(n.object);
    }
    if (n?.type === 'Identifier') return [n.name, ...parts.reverse()].join('.');
    if (n?.type === 'ThisExpression') return ['this', ...parts.reverse()].join('.');
  }
  return undefined;
}
