// Assignment targets and parameters: ESTree patterns → IR `Target`s and `ParamFact`s.
// biome-ignore-all lint/suspicious/noExplicitAny: ESTree nodes from two parsers are read structurally.

import type { ParamFact, Target } from '../facts.js';
import type { FileContext } from './context.js';
import { type ExpressionConverter, keyName, type Node, unwrap } from './expressions.js';

export class PatternConverter {
  constructor(
    private readonly ctx: FileContext,
    private readonly exprs: ExpressionConverter,
  ) {}

  pattern(node: Node): Target {
    const n = unwrap(node);
    if (!n) return { k: 'name', name: '_' };
    switch (n.type) {
      case 'Identifier':
        return { k: 'name', name: n.name };
      case 'MemberExpression': {
        const object = this.exprs.expr(n.object);
        if (!n.computed) {
          const name = n.property.type === 'PrivateIdentifier' ? `#${n.property.name}` : n.property.name;
          return { k: 'member', object, name };
        }
        const key = unwrap(n.property);
        return {
          k: 'member',
          object,
          name: key?.type === 'Literal' && typeof key.value === 'string' ? key.value : null,
        };
      }
      case 'AssignmentPattern':
        return this.pattern(n.left);
      case 'TSParameterProperty':
        return this.pattern(n.parameter);
      case 'ObjectPattern': {
        const items: { key: string | null; target: Target }[] = [];
        let rest: Target | undefined;
        for (const p of n.properties as Node[]) {
          if (p.type === 'RestElement') rest = this.pattern(p.argument);
          else items.push({ key: keyName(p.key, p.computed), target: this.pattern(p.value) });
        }
        return rest ? { k: 'pattern', items, rest } : { k: 'pattern', items };
      }
      case 'ArrayPattern': {
        const items: { key: string | null; target: Target }[] = [];
        let rest: Target | undefined;
        for (const e of n.elements as Node[]) {
          if (!e) items.push({ key: null, target: { k: 'name', name: '_' } });
          else if (e.type === 'RestElement') rest = this.pattern(e.argument);
          else items.push({ key: null, target: this.pattern(e) });
        }
        return rest ? { k: 'pattern', items, rest } : { k: 'pattern', items };
      }
      default:
        return { k: 'name', name: '_' };
    }
  }

  params(nodes: Node[]): ParamFact[] {
    const out: ParamFact[] = [];
    for (const raw of nodes) {
      let p = raw.type === 'TSParameterProperty' ? raw.parameter : raw;
      const fact: ParamFact = { name: '' };
      if (p.type === 'RestElement') {
        fact.rest = true;
        p = p.argument;
      }
      if (p.type === 'AssignmentPattern') {
        fact.default = this.exprs.expr(p.right);
        p = p.left;
      }
      const annotation = p.typeAnnotation?.typeAnnotation;
      if (annotation && typeof annotation.start === 'number') {
        fact.annotation = this.ctx.source.slice(annotation.start, annotation.end).slice(0, 200);
      }
      if (p.type === 'Identifier') {
        if (p.name === 'this') continue;
        fact.name = p.name;
      } else {
        fact.name = collapse(this.ctx.source.slice(p.start, p.typeAnnotation?.start ?? p.end));
        fact.destructured = boundNames(this.pattern(p));
      }
      out.push(fact);
    }
    return out;
  }
}

function collapse(text: string): string {
  let out = '';
  let space = false;
  for (let i = 0; i < text.length && out.length < 80; i++) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') space = true;
    else {
      if (space && out.length > 0) out += ' ';
      space = false;
      out += ch;
    }
  }
  return out;
}

/** Names a pattern binds, in order. */
export function boundNames(target: Target): string[] {
  const out: string[] = [];
  const stack: Target[] = [target];
  while (stack.length > 0 && out.length < 1000) {
    const t = stack.pop() as Target;
    if (t.k === 'name') {
      if (t.name !== '_') out.push(t.name);
    } else if (t.k === 'pattern') {
      if (t.rest) stack.push(t.rest);
      for (let i = t.items.length - 1; i >= 0; i--) stack.push((t.items[i] as { target: Target }).target);
    }
  }
  return out;
}
