// ESTree program → FileFacts: statements, functions, classes, imports and exports, in one pass.
// The same converter serves oxc's AST and the TypeScript fallback (adapted to ESTree first).
// biome-ignore-all lint/suspicious/noExplicitAny: ESTree nodes from two parsers are read structurally.

import {
  type ClassFact,
  type Expr,
  type FunctionFact,
  MAX_IR_DEPTH,
  MODULE_FUNCTION_ID,
  type Stmt,
  type Target,
} from '../facts.js';
import type { FileContext } from './context.js';
import { ExpressionConverter, type FunctionSink, keyName, type Node, unwrap } from './expressions.js';
import { jsdocBefore } from './jsdoc.js';
import { ModuleBindings } from './module-bindings.js';
import { PatternConverter } from './patterns.js';

/** Hard cap on nested function/class conversion, independent of the per-function IR depth. */
const MAX_FUNCTION_NESTING = 400;

export class ProgramConverter implements FunctionSink {
  pending: Stmt[] = [];
  private readonly exprs: ExpressionConverter;
  private readonly bindings: ModuleBindings;
  private readonly patterns: PatternConverter;
  private functionNesting = 0;
  private atModuleLevel = true;
  private readonly byId = new Map<string, FunctionFact>();

  constructor(private readonly ctx: FileContext) {
    this.exprs = new ExpressionConverter(ctx, this);
    this.bindings = new ModuleBindings(ctx);
    this.patterns = new PatternConverter(ctx, this.exprs);
  }

  convert(program: Node): void {
    const body: Stmt[] = [];
    const fact: FunctionFact = {
      id: MODULE_FUNCTION_ID,
      name: MODULE_FUNCTION_ID,
      params: [],
      line: 1,
      endLine: this.ctx.lines.lineCount,
      body,
      decorators: [],
    };
    this.ctx.allocateId(MODULE_FUNCTION_ID, 0);
    this.ctx.facts.functions.push(fact);
    this.statements(program.body ?? [], body);
  }

  // ---- statements ----------------------------------------------------------------------------

  statements(nodes: Node[], out: Stmt[]): void {
    for (const node of nodes) this.statement(node, out);
  }

  private statement(node: Node, out: Stmt[]): void {
    if (!node) return;
    if (this.exprs.depth >= MAX_IR_DEPTH) {
      this.ctx.note(node.start, `statements nested deeper than ${MAX_IR_DEPTH} levels were cut`);
      return;
    }
    const savedPending = this.pending;
    this.pending = [];
    this.exprs.depth++;
    const produced: Stmt[] = [];
    try {
      this.convertStatement(node, produced);
    } finally {
      this.exprs.depth--;
      for (const s of this.pending) out.push(s);
      for (const s of produced) out.push(s);
      this.pending = savedPending;
    }
  }

  private block(nodes: Node[]): Stmt[] {
    const out: Stmt[] = [];
    const wasModule = this.atModuleLevel;
    this.atModuleLevel = false;
    this.statements(nodes, out);
    this.atModuleLevel = wasModule;
    return out;
  }

  private body(node: Node): Stmt[] {
    if (!node) return [];
    return this.block(node.type === 'BlockStatement' ? node.body : [node]);
  }

  private convertStatement(node: Node, out: Stmt[]): void {
    const line = this.ctx.lines.line(node.start);
    switch (node.type) {
      case 'ExpressionStatement': {
        if (node.directive) return;
        const e = unwrap(node.expression);
        if (e?.type === 'AssignmentExpression') {
          const value = this.exprs.assignedValue(e);
          out.push({ k: 'assign', target: this.pattern(e.left), value, line });
          this.bindings.commonJsExport(e, value);
          return;
        }
        out.push({ k: 'expr', value: this.exprs.expr(node.expression), line });
        return;
      }
      case 'VariableDeclaration':
        for (const d of node.declarations as Node[]) {
          if (!d.init) continue;
          const hint = d.id?.type === 'Identifier' ? d.id.name : undefined;
          const value = this.exprs.expr(d.init, hint);
          out.push({ k: 'assign', target: this.pattern(d.id), value, line: this.ctx.lines.line(d.start) });
          if (this.atModuleLevel) this.bindings.requireImport(d);
        }
        return;
      case 'FunctionDeclaration':
      case 'TSDeclareFunction': {
        if (!node.body) return;
        const name: string = node.id?.name ?? 'default';
        const id = this.func(node, name, name, node.start);
        out.push({ k: 'assign', target: { k: 'name', name }, value: { k: 'func', id }, line });
        return;
      }
      case 'ClassDeclaration': {
        const name = this.klass(node, undefined);
        out.push({ k: 'assign', target: { k: 'name', name }, value: this.classValue(node), line });
        return;
      }
      case 'ReturnStatement':
        out.push({ k: 'return', value: node.argument ? this.exprs.expr(node.argument) : null, line });
        return;
      case 'ThrowStatement':
        out.push({ k: 'throw', value: node.argument ? this.exprs.expr(node.argument) : null, line });
        return;
      case 'IfStatement':
        out.push({
          k: 'if',
          test: this.exprs.expr(node.test),
          body: this.body(node.consequent),
          orelse: this.body(node.alternate),
          line,
        });
        return;
      case 'SwitchStatement':
        this.switchStatement(node, out);
        return;
      case 'ForStatement': {
        if (node.init) {
          if (node.init.type === 'VariableDeclaration') this.statement(node.init, out);
          else out.push({ k: 'expr', value: this.exprs.expr(node.init), line });
        }
        const body = this.body(node.body);
        if (node.update) body.push({ k: 'expr', value: this.exprs.expr(node.update), line });
        out.push({
          k: 'loop',
          target: null,
          iter: node.test ? this.exprs.expr(node.test) : null,
          body,
          line,
        });
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const left = node.left.type === 'VariableDeclaration' ? node.left.declarations[0]?.id : node.left;
        const iter = this.exprs.expr(node.right);
        out.push({
          k: 'loop',
          target: left ? this.pattern(left) : null,
          iter,
          body: this.body(node.body),
          line,
        });
        return;
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
        out.push({
          k: 'loop',
          target: null,
          iter: this.exprs.expr(node.test),
          body: this.body(node.body),
          line,
        });
        return;
      case 'TryStatement': {
        const body = this.body(node.block);
        if (node.handler) {
          if (node.handler.param) {
            body.push({
              k: 'assign',
              target: this.pattern(node.handler.param),
              value: { k: 'other', parts: [] },
              line,
            });
          }
          body.push(...this.body(node.handler.body));
        }
        if (node.finalizer) body.push(...this.body(node.finalizer));
        out.push({ k: 'block', body, line });
        return;
      }
      case 'BlockStatement':
      case 'StaticBlock':
        out.push({ k: 'block', body: this.block(node.body), line });
        return;
      case 'LabeledStatement':
        this.convertStatement(node.body, out);
        return;
      case 'WithStatement':
        out.push({
          k: 'block',
          body: [{ k: 'expr', value: this.exprs.expr(node.object), line }, ...this.body(node.body)],
          line,
        });
        return;
      case 'ImportDeclaration':
        this.bindings.importDeclaration(node);
        return;
      case 'TSImportEqualsDeclaration':
        this.bindings.importEquals(node);
        return;
      case 'ExportNamedDeclaration':
        this.bindings.exportNamed(node);
        if (node.declaration) this.convertStatement(node.declaration, out);
        return;
      case 'ExportDefaultDeclaration':
        this.exportDefault(node, out);
        return;
      case 'ExportAllDeclaration':
        this.bindings.exportAll(node);
        return;
      case 'TSExportAssignment':
        this.bindings.exportDefaultValue(node.expression, undefined, node.start);
        out.push({ k: 'expr', value: this.exprs.expr(node.expression), line });
        return;
      case 'TSModuleDeclaration': {
        let b = node.body;
        while (b?.type === 'TSModuleDeclaration') b = b.body;
        if (b?.body) out.push({ k: 'block', body: this.block(b.body), line });
        return;
      }
      default:
        // Types, enums, empty statements, break/continue, debugger: no data flow.
        return;
    }
  }

  private exportDefault(node: Node, out: Stmt[]): void {
    const d = node.declaration;
    const line = this.ctx.lines.line(node.start);
    if (
      d.type === 'FunctionDeclaration' ||
      d.type === 'FunctionExpression' ||
      d.type === 'ArrowFunctionExpression'
    ) {
      const name: string = d.id?.name ?? 'default';
      const id = this.func(d, name, name, node.start);
      this.bindings.exportDefaultValue(null, id, node.start);
      out.push({ k: 'assign', target: { k: 'name', name }, value: { k: 'func', id }, line });
      return;
    }
    if (d.type === 'ClassDeclaration' || d.type === 'ClassExpression') {
      const name = this.klass(d, 'default');
      this.bindings.exportDefaultValue(null, name, node.start);
      out.push({ k: 'assign', target: { k: 'name', name }, value: this.classValue(d), line });
      return;
    }
    const inner = unwrap(d);
    if (inner?.type === 'Identifier') {
      this.bindings.exportDefaultValue(null, inner.name, node.start);
      return;
    }
    const value = this.exprs.expr(d, 'default');
    this.bindings.exportDefaultValue(null, 'default', node.start);
    out.push({ k: 'assign', target: { k: 'name', name: 'default' }, value, line });
  }

  /** `switch` → one `if (discriminant == case)` per case, siblings, so big switches stay flat. */
  private switchStatement(node: Node, out: Stmt[]): void {
    const discriminant = this.exprs.expr(node.discriminant);
    let tests: Expr[] = [];
    for (const c of node.cases as Node[]) {
      const line = this.ctx.lines.line(c.start);
      if (c.test) tests.push(this.exprs.expr(c.test));
      let consequent = (c.consequent as Node[]).filter((s) => s.type !== 'BreakStatement');
      // `case 'x': { … }` — the braces are only for scoping.
      if (consequent.length === 1 && consequent[0].type === 'BlockStatement') {
        consequent = (consequent[0].body as Node[]).filter((s) => s.type !== 'BreakStatement');
      }
      if (consequent.length === 0 && c.test) continue; // falls through to the next case's body
      const body = this.block(consequent);
      if (tests.length === 0) {
        out.push({ k: 'block', body, line });
      } else {
        const test: Expr = { k: 'other', parts: [discriminant, ...tests] };
        this.ctx.equalityTests.add(test);
        out.push({ k: 'if', test, body, orelse: [], line });
      }
      tests = [];
    }
  }

  pattern(node: Node): Target {
    return this.patterns.pattern(node);
  }

  // ---- functions and classes -----------------------------------------------------------------

  func(node: Node, idHint: string | undefined, displayName: string | undefined, docAnchor: number): string {
    const kind = node.type === 'ArrowFunctionExpression' ? 'arrow' : 'function';
    const line = this.ctx.lines.line(node.start);
    const anon = `<${kind}@${line}:${this.ctx.lines.column(node.start)}>`;
    const id = this.ctx.allocateId(idHint ?? anon, node.start);
    const fact: FunctionFact = {
      id,
      name: displayName ?? (idHint ? (idHint.split('.').pop() as string) : `<${kind}>`),
      params: [],
      line,
      endLine: this.ctx.lines.line(node.end),
      body: [],
      decorators: [],
    };
    const doc = jsdocBefore(this.ctx.source, docAnchor);
    if (doc) fact.doc = doc;
    this.ctx.facts.functions.push(fact);
    this.byId.set(id, fact);
    if (this.functionNesting >= MAX_FUNCTION_NESTING) {
      this.ctx.note(
        node.start,
        `functions nested deeper than ${MAX_FUNCTION_NESTING} levels were not analysed`,
      );
      return id;
    }
    this.functionNesting++;
    const savedDepth = this.exprs.depth;
    const savedModule = this.atModuleLevel;
    const savedPending = this.pending;
    this.exprs.depth = 0;
    this.atModuleLevel = false;
    this.pending = [];
    try {
      fact.params = this.patterns.params(node.params ?? []);
      fact.decorators = (node.decorators ?? []).map((d: Node) => this.exprs.expr(d.expression));
      const body = node.body;
      if (body && body.type !== 'BlockStatement') {
        const value = this.exprs.expr(body);
        fact.body = [...this.pending, { k: 'return', value, line: this.ctx.lines.line(body.start) }];
      } else if (body) {
        this.statements(body.body, fact.body);
      }
    } finally {
      this.functionNesting--;
      this.exprs.depth = savedDepth;
      this.atModuleLevel = savedModule;
      this.pending = savedPending;
    }
    return id;
  }

  klass(node: Node, nameHint: string | undefined): string {
    const name: string = node.id?.name ?? nameHint ?? `<class@${this.ctx.lines.line(node.start)}>`;
    const fact: ClassFact = {
      name,
      line: this.ctx.lines.line(node.start),
      endLine: this.ctx.lines.line(node.end),
      bases: node.superClass ? [this.exprs.expr(node.superClass)] : [],
      fields: [],
      methods: [],
    };
    this.ctx.facts.classes.push(fact);
    for (const m of (node.body?.body ?? []) as Node[]) {
      const key = keyName(m.key, m.computed);
      if (key === null) continue;
      const value = unwrap(m.value);
      const isFunction =
        m.type === 'MethodDefinition' ||
        m.type === 'TSAbstractMethodDefinition' ||
        (value && (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression'));
      if (isFunction) {
        if (!value?.body) continue;
        const id = this.func(value, `${name}.${key}`, key, m.start);
        const fn = this.byId.get(id);
        if (fn) fn.className = name;
        fact.methods.push(id);
        if (key === 'constructor' && fn) this.constructorFields(fn, fact);
      } else if ((m.type === 'PropertyDefinition' || m.type === 'AccessorProperty') && m.value) {
        fact.fields.push({
          name: key,
          value: this.exprs.expr(m.value, `${name}.${key}`),
          line: this.ctx.lines.line(m.start),
        });
      }
    }
    return name;
  }

  /** `this.name = '…'` at the top of a constructor counts as a field (LangChain tools do this). */
  private constructorFields(fn: FunctionFact, fact: ClassFact): void {
    for (const s of fn.body) {
      if (s.k !== 'assign' || s.target.k !== 'member' || s.target.name === null) continue;
      const o = s.target.object;
      if (
        o.k === 'name' &&
        o.name === 'this' &&
        !fact.fields.some((f) => f.name === (s.target as { name: string }).name)
      ) {
        fact.fields.push({ name: s.target.name, value: s.value, line: s.line });
      }
    }
  }

  private classValue(node: Node): Expr {
    return { k: 'other', parts: node.superClass ? [this.exprs.expr(node.superClass)] : [] };
  }
}
