// Imports and exports: ESM declarations, TypeScript `import x = require()` / `export =`,
// CommonJS `module.exports` / `exports.x`, and (for convenience) top-level `require` bindings.
// biome-ignore-all lint/suspicious/noExplicitAny: ESTree nodes from two parsers are read structurally.

import type { Expr } from '../facts.js';
import type { FileContext } from './context.js';
import { keyName, type Node, unwrap } from './expressions.js';

export function normaliseModule(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

/** `require('m')` (also awaited or parenthesised): the module string, else null. */
export function requiredModule(node: Node): string | null {
  const n = unwrap(node);
  if (n?.type !== 'CallExpression' || n.arguments.length !== 1) return null;
  const callee = unwrap(n.callee);
  if (callee?.type !== 'Identifier' || callee.name !== 'require') return null;
  const arg = n.arguments[0];
  return arg?.type === 'Literal' && typeof arg.value === 'string' ? normaliseModule(arg.value) : null;
}

export class ModuleBindings {
  constructor(private readonly ctx: FileContext) {}

  private line(offset: number): number {
    return this.ctx.lines.line(offset);
  }

  importDeclaration(node: Node): void {
    const module = normaliseModule(String(node.source?.value ?? ''));
    const line = this.line(node.start);
    const typeOnly = node.importKind === 'type';
    for (const s of (node.specifiers ?? []) as Node[]) {
      let imported: string;
      if (s.type === 'ImportDefaultSpecifier') imported = 'default';
      else if (s.type === 'ImportNamespaceSpecifier') imported = '*';
      else imported = s.imported?.type === 'Literal' ? String(s.imported.value) : s.imported?.name;
      const local: string = s.local?.name;
      if (!local || !imported) continue;
      if (typeOnly || s.importKind === 'type') this.ctx.typeImports.push({ local, module, imported });
      else this.ctx.facts.imports.push({ local, module, imported, line });
    }
  }

  /** TypeScript `import fs = require('fs')`. */
  importEquals(node: Node): void {
    const ref = node.moduleReference;
    const spec = ref?.expression?.value;
    if (typeof spec !== 'string' || !node.id?.name) return;
    const entry = { local: node.id.name as string, module: normaliseModule(spec), imported: '*' };
    if (node.importKind === 'type') this.ctx.typeImports.push(entry);
    else this.ctx.facts.imports.push({ ...entry, line: this.line(node.start) });
  }

  /**
   * Top-level `const x = require('m')` → `x` is module `m` (`*`); `const { a: b } = require('m')`
   * → `b` is `m`'s `a`; `const y = require('m').a` → `y` is `a`. The assignment stays in the IR too.
   */
  requireImport(declarator: Node): void {
    const id = declarator.id;
    const init = unwrap(declarator.init);
    const line = this.line(declarator.start);
    let module = requiredModule(init);
    let member: string | null = null;
    if (!module && init?.type === 'MemberExpression' && !init.computed) {
      module = requiredModule(init.object);
      member = init.property?.name ?? null;
    }
    if (!module) return;
    if (id.type === 'Identifier') {
      this.ctx.facts.imports.push({ local: id.name, module, imported: member ?? '*', line });
      return;
    }
    if (id.type === 'ObjectPattern' && member === null) {
      for (const p of id.properties as Node[]) {
        if (p.type !== 'Property') continue;
        const imported = keyName(p.key, p.computed);
        const value = p.value?.type === 'AssignmentPattern' ? p.value.left : p.value;
        if (imported && value?.type === 'Identifier') {
          this.ctx.facts.imports.push({ local: value.name, module, imported, line });
        }
      }
    }
  }

  exportNamed(node: Node): void {
    if (node.exportKind === 'type') return;
    const line = this.line(node.start);
    const d = node.declaration;
    if (d) {
      if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') {
        if (d.id?.name && (d.body || d.type === 'ClassDeclaration')) {
          this.ctx.facts.exports.push({ exported: d.id.name, local: d.id.name, line });
        }
      } else if (d.type === 'VariableDeclaration') {
        for (const decl of d.declarations as Node[]) {
          for (const name of patternNames(decl.id))
            this.ctx.facts.exports.push({ exported: name, local: name, line });
        }
      }
      return;
    }
    const from = node.source ? String(node.source.value) : undefined;
    for (const s of (node.specifiers ?? []) as Node[]) {
      if (s.exportKind === 'type') continue;
      const local = nameOf(s.local);
      const exported = nameOf(s.exported);
      if (!local || !exported) continue;
      if (from !== undefined) this.ctx.facts.exports.push({ exported, from, imported: local, line });
      else this.ctx.facts.exports.push({ exported, local, line });
    }
  }

  exportAll(node: Node): void {
    if (node.exportKind === 'type') return;
    const exported = node.exported ? (nameOf(node.exported) ?? '*') : '*';
    this.ctx.facts.exports.push({
      exported,
      from: String(node.source?.value ?? ''),
      imported: '*',
      line: this.line(node.start),
    });
  }

  /** `export default …` / `export = …`: `local` is a binding or function id when known. */
  exportDefaultValue(expression: Node | null, local: string | undefined, offset: number): void {
    const line = this.line(offset);
    const e = expression ? unwrap(expression) : null;
    const name = local ?? (e?.type === 'Identifier' ? e.name : undefined);
    this.ctx.facts.exports.push(
      name ? { exported: 'default', local: name, line } : { exported: 'default', line },
    );
  }

  /** `module.exports = { a, b: c }`, `module.exports = x`, `module.exports.a = …`, `exports.a = …`. */
  commonJsExport(assignment: Node, value: Expr): void {
    if (assignment.operator !== '=') return;
    const target = unwrap(assignment.left);
    if (target?.type !== 'MemberExpression') return;
    const line = this.line(assignment.start);
    if (isModuleExports(target)) {
      if (value.k === 'object') {
        for (const p of value.props) {
          if (p.key === null) continue;
          const local = localOf(p.value);
          this.ctx.facts.exports.push(local ? { exported: p.key, local, line } : { exported: p.key, line });
        }
        return;
      }
      const local = localOf(value);
      this.ctx.facts.exports.push(
        local ? { exported: 'default', local, line } : { exported: 'default', line },
      );
      return;
    }
    const object = unwrap(target.object);
    const name = target.computed ? keyName(target.property, true) : target.property?.name;
    if (!name) return;
    if ((object?.type === 'Identifier' && object.name === 'exports') || isModuleExports(object)) {
      const local = localOf(value);
      this.ctx.facts.exports.push(local ? { exported: name, local, line } : { exported: name, line });
    }
  }
}

function isModuleExports(node: Node): boolean {
  const n = unwrap(node);
  return (
    n?.type === 'MemberExpression' &&
    !n.computed &&
    n.property?.name === 'exports' &&
    unwrap(n.object)?.type === 'Identifier' &&
    unwrap(n.object).name === 'module'
  );
}

function localOf(value: Expr): string | undefined {
  if (value.k === 'name') return value.name;
  if (value.k === 'func') return value.id;
  return undefined;
}

function nameOf(node: Node): string | null {
  if (!node) return null;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  return null;
}

function patternNames(node: Node): string[] {
  const out: string[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0 && out.length < 1000) {
    const n = stack.pop();
    if (!n) continue;
    if (n.type === 'Identifier') out.push(n.name);
    else if (n.type === 'AssignmentPattern') stack.push(n.left);
    else if (n.type === 'RestElement') stack.push(n.argument);
    else if (n.type === 'ObjectPattern')
      for (const p of n.properties) stack.push(p.type === 'RestElement' ? p : p.value);
    else if (n.type === 'ArrayPattern') for (const e of n.elements) stack.push(e);
  }
  return out;
}
