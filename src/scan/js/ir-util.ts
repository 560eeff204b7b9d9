// Small syntactic helpers over the IR used by the registration recognisers: same-file constant
// lookup (no folding — flow.ts does that), static-string checks, and bounded walks.

import type { Expr, FunctionFact, Stmt } from '../facts.js';

/** Bound on following `const a = b` chains, so cycles and long chains stay cheap. */
const MAX_RESOLVE_STEPS = 8;

export class Constants {
  private readonly values = new Map<string, Expr>();
  private readonly reassigned = new Set<string>();

  constructor(functions: FunctionFact[]) {
    for (const fn of functions) {
      forEachStmt(fn.body, (s) => {
        if (s.k !== 'assign' || s.target.k !== 'name') return;
        const name = s.target.name;
        if (this.values.has(name)) this.reassigned.add(name);
        else this.values.set(name, s.value);
      });
    }
  }

  /** The value a name was first assigned anywhere in the file (syntactic; shadowing ignored). */
  lookup(name: string): Expr | undefined {
    return this.values.get(name);
  }

  /** Follows names (and `X.y` on object constants) to the expression they hold. */
  resolve(expr: Expr): Expr {
    let e = expr;
    for (let i = 0; i < MAX_RESOLVE_STEPS; i++) {
      if (e.k === 'name') {
        const v = this.values.get(e.name);
        if (!v || v === e) return e;
        e = v;
      } else if (e.k === 'attr') {
        const o = this.resolve(e.object);
        if (o.k !== 'object') return e;
        const key = e.name;
        const prop = o.props.find((p) => p.key === key);
        if (!prop) return e;
        e = prop.value;
      } else return e;
    }
    return e;
  }

  /** Whether the expression is a string known without running the program. */
  isStaticString(expr: Expr, budget = 64): boolean {
    const e = this.resolve(expr);
    if (e.k === 'str') return true;
    if (e.k === 'num') return true;
    if (e.k === 'concat') return budget > 0 && e.parts.every((p) => this.isStaticString(p, budget - 1));
    return false;
  }
}

/** Visits statements in order, descending into nested statement lists (not nested functions). */
export function forEachStmt(body: Stmt[], visit: (s: Stmt) => void): void {
  const stack: Stmt[][] = [body];
  const index: number[] = [0];
  while (stack.length > 0) {
    const list = stack[stack.length - 1] as Stmt[];
    const i = index[index.length - 1] as number;
    if (i >= list.length) {
      stack.pop();
      index.pop();
      continue;
    }
    index[index.length - 1] = i + 1;
    const s = list[i] as Stmt;
    visit(s);
    if (s.k === 'if') {
      stack.push(s.orelse, s.body);
      index.push(0, 0);
    } else if (s.k === 'loop' || s.k === 'with' || s.k === 'block') {
      stack.push(s.body);
      index.push(0);
    }
  }
}

/** Expressions directly held by a statement. */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'assign':
      return s.target.k === 'member' ? [s.value, s.target.object] : [s.value];
    case 'expr':
      return [s.value];
    case 'return':
    case 'throw':
      return s.value ? [s.value] : [];
    case 'if':
      return [s.test];
    case 'loop':
      return s.iter ? [s.iter] : [];
    case 'with':
      return s.items.map((i) => i.value);
    default:
      return [];
  }
}

/** Children of an expression, for generic walks. */
export function exprChildren(e: Expr): Expr[] {
  switch (e.k) {
    case 'attr':
      return [e.object];
    case 'index':
      return [e.object, e.index];
    case 'call':
      return [e.callee, ...e.args, ...e.kwargs.map((k) => k.value)];
    case 'concat':
    case 'other':
      return e.parts;
    case 'object':
      return e.props.map((p) => p.value);
    case 'array':
      return e.items;
    case 'choice':
      return e.test ? [...e.options, e.test] : e.options;
    default:
      return [];
  }
}

/** `a.b.c` → `['a','b','c']` for static attribute chains on a name, else null. */
export function dottedName(e: Expr): string[] | null {
  const parts: string[] = [];
  let cur: Expr = e;
  for (let i = 0; i < 16; i++) {
    if (cur.k === 'name') return [cur.name, ...parts.reverse()];
    if (cur.k !== 'attr') return null;
    parts.push(cur.name);
    cur = cur.object;
  }
  return null;
}

export function objectProp(e: Expr, key: string): Expr | undefined {
  if (e.k !== 'object') return undefined;
  return e.props.find((p) => p.key === key)?.value;
}

export function hasSpread(e: Expr): boolean {
  return e.k === 'object' && e.props.some((p) => p.key === null);
}
