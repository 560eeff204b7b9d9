// Fallback parse for files oxc rejects: TypeScript's parser always recovers from syntax errors.
// Its tree is adapted to the ESTree subset program.ts reads, so one converter serves both.
// `typescript` is loaded lazily (synchronously, via createRequire); if it is not installed the
// file is reported with its parse errors and no facts beyond them.
// (Over 400 lines: one mapping table from TypeScript syntax kinds to ESTree, kept together so it
// can be read side by side with what program.ts consumes.)
// biome-ignore-all lint/suspicious/noExplicitAny: TS and ESTree nodes are read structurally.

import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import type { FileContext } from './context.js';
import { guardNesting } from './depth-guard.js';
import type { Node } from './expressions.js';

/** Recursion cap for the adapter; deeper subtrees become `CutNode`. */
const MAX_ADAPT_DEPTH = 1500;
/** Stricter nesting limit for a retry when TypeScript's own recursive parser runs out of stack. */
const RETRY_NESTING_LIMIT = 150;

let ts: typeof TS | null | undefined;

function loadTypeScript(): typeof TS | null {
  if (ts === undefined) {
    try {
      ts = createRequire(import.meta.url)('typescript') as typeof TS;
    } catch {
      ts = null;
    }
  }
  return ts;
}

export function parseWithTypeScript(text: string, lang: string, ctx: FileContext): Node | null {
  const t = loadTypeScript();
  if (!t) {
    ctx.note(0, 'syntax errors and no `typescript` package for recovery: file not analysed');
    return null;
  }
  const kind =
    lang === 'tsx' ? t.ScriptKind.TSX : lang === 'ts' || lang === 'dts' ? t.ScriptKind.TS : t.ScriptKind.JSX;
  for (const attempt of [text, null]) {
    const source = attempt ?? guardNesting(text, true, RETRY_NESTING_LIMIT).text;
    try {
      const name = lang === 'dts' ? 'input.d.ts' : `input.${lang}`;
      const sf = t.createSourceFile(name, source, t.ScriptTarget.Latest, false, kind);
      return new Adapter(t, sf).program();
    } catch (error) {
      if (!(error instanceof RangeError) || attempt === null) {
        ctx.note(0, `TypeScript recovery failed: ${String(error).slice(0, 200)}`);
        return null;
      }
      ctx.note(0, 'deep nesting exhausted the stack in recovery parsing; retried with deeper parts skipped');
    }
  }
  return null;
}

class Adapter {
  private depth = 0;
  private readonly K: typeof TS.SyntaxKind;

  constructor(
    private readonly t: typeof TS,
    private readonly sf: TS.SourceFile,
  ) {
    this.K = t.SyntaxKind;
  }

  program(): Node {
    return { type: 'Program', body: this.list(this.sf.statements), start: 0, end: this.sf.end };
  }

  private list(nodes: readonly TS.Node[] | undefined): Node[] {
    const out: Node[] = [];
    for (const n of nodes ?? []) {
      const a = this.node(n);
      if (a) out.push(a);
    }
    return out;
  }

  private make(type: string, n: TS.Node, fields: Record<string, unknown>): Node {
    return { type, start: n.getStart(this.sf), end: n.end, ...fields };
  }

  node(n: TS.Node | undefined): Node {
    if (!n) return null;
    if (this.depth >= MAX_ADAPT_DEPTH) return { type: 'CutNode', start: n.pos, end: n.end };
    this.depth++;
    try {
      return this.convert(n);
    } finally {
      this.depth--;
    }
  }

  private modifiers(n: any): { exported: boolean; isDefault: boolean; declare: boolean } {
    const mods: readonly TS.Node[] = n.modifiers ?? [];
    const K = this.K;
    return {
      exported: mods.some((m) => m.kind === K.ExportKeyword),
      isDefault: mods.some((m) => m.kind === K.DefaultKeyword),
      declare: mods.some((m) => m.kind === K.DeclareKeyword),
    };
  }

  private fn(n: any, type: string): Node {
    const K = this.K;
    const method =
      n.kind === K.MethodDeclaration ||
      n.kind === K.GetAccessor ||
      n.kind === K.SetAccessor ||
      n.kind === K.Constructor;
    const node = this.make(type, n, {
      id: !method && n.name && n.name.kind === K.Identifier ? this.node(n.name) : null,
      params: this.list(n.parameters),
      body: n.body ? this.node(n.body) : null,
      decorators: [],
    });
    // ESTree (oxc) starts a method's function at its `(`; match it so ids agree across parsers.
    if (method && n.parameters) node.start = n.parameters.pos - 1;
    return node;
  }

  private klass(n: any, type: string): Node {
    const K = this.K;
    let superClass: Node = null;
    for (const h of n.heritageClauses ?? []) {
      if (h.token === K.ExtendsKeyword && h.types[0]) superClass = this.node(h.types[0].expression);
    }
    const members: Node[] = [];
    for (const m of n.members ?? []) {
      const key = this.propertyKey(m.name);
      if (m.kind === K.MethodDeclaration || m.kind === K.GetAccessor || m.kind === K.SetAccessor) {
        members.push(
          this.make('MethodDefinition', m, {
            key: key.key,
            computed: key.computed,
            value: this.fn(m, 'FunctionExpression'),
          }),
        );
      } else if (m.kind === K.Constructor) {
        const ctorKey = { type: 'Identifier', name: 'constructor', start: m.pos, end: m.pos };
        members.push(
          this.make('MethodDefinition', m, {
            key: ctorKey,
            computed: false,
            value: this.fn(m, 'FunctionExpression'),
          }),
        );
      } else if (m.kind === K.PropertyDeclaration) {
        members.push(
          this.make('PropertyDefinition', m, {
            key: key.key,
            computed: key.computed,
            value: this.node(m.initializer),
          }),
        );
      }
    }
    return this.make(type, n, {
      id: n.name ? this.node(n.name) : null,
      superClass,
      body: { type: 'ClassBody', body: members },
    });
  }

  private propertyKey(name: any): { key: Node; computed: boolean } {
    if (!name) return { key: null, computed: true };
    if (name.kind === this.K.ComputedPropertyName) return { key: this.node(name.expression), computed: true };
    if (name.kind === this.K.PrivateIdentifier) {
      return {
        key: { type: 'PrivateIdentifier', name: name.text.slice(1), start: name.pos, end: name.end },
        computed: false,
      };
    }
    if (name.kind === this.K.StringLiteral || name.kind === this.K.NumericLiteral) {
      return {
        key: this.make('Literal', name, {
          value: name.kind === this.K.NumericLiteral ? Number(name.text) : name.text,
        }),
        computed: false,
      };
    }
    return { key: this.node(name), computed: false };
  }

  private binding(n: any): Node {
    const K = this.K;
    if (!n) return null;
    if (n.kind === K.ObjectBindingPattern) {
      return this.make('ObjectPattern', n, {
        properties: n.elements.map((e: any) => {
          if (e.dotDotDotToken) return this.make('RestElement', e, { argument: this.binding(e.name) });
          const key = e.propertyName
            ? this.propertyKey(e.propertyName)
            : { key: this.node(e.name), computed: false };
          let value = this.binding(e.name);
          if (e.initializer)
            value = this.make('AssignmentPattern', e, { left: value, right: this.node(e.initializer) });
          return this.make('Property', e, { key: key.key, computed: key.computed, value });
        }),
      });
    }
    if (n.kind === K.ArrayBindingPattern) {
      return this.make('ArrayPattern', n, {
        elements: n.elements.map((e: any) => {
          if (e.kind === K.OmittedExpression) return null;
          if (e.dotDotDotToken) return this.make('RestElement', e, { argument: this.binding(e.name) });
          const value = this.binding(e.name);
          return e.initializer
            ? this.make('AssignmentPattern', e, { left: value, right: this.node(e.initializer) })
            : value;
        }),
      });
    }
    return this.node(n);
  }

  private parameter(p: any): Node {
    let node = this.binding(p.name);
    if (node && p.type)
      node.typeAnnotation = { typeAnnotation: { start: p.type.getStart(this.sf), end: p.type.end } };
    if (p.initializer)
      node = this.make('AssignmentPattern', p, { left: node, right: this.node(p.initializer) });
    if (p.dotDotDotToken) node = this.make('RestElement', p, { argument: node });
    return node;
  }

  private convert(n: any): Node {
    const K = this.K;
    const t = this.t;
    switch (n.kind) {
      // ---- statements
      case K.ExpressionStatement:
        // A bare string statement (`'use strict'`) is a directive or has no effect.
        if (n.expression.kind === K.StringLiteral)
          return this.make('ExpressionStatement', n, { directive: n.expression.text });
        return this.make('ExpressionStatement', n, { expression: this.node(n.expression) });
      case K.VariableStatement: {
        const decl = this.node(n.declarationList);
        const m = this.modifiers(n);
        if (m.declare) return null;
        return m.exported
          ? this.make('ExportNamedDeclaration', n, { declaration: decl, specifiers: [], source: null })
          : decl;
      }
      case K.VariableDeclarationList:
        return this.make('VariableDeclaration', n, {
          declarations: n.declarations.map((d: any) =>
            this.make('VariableDeclarator', d, { id: this.binding(d.name), init: this.node(d.initializer) }),
          ),
        });
      case K.FunctionDeclaration: {
        const f = this.fn(n, 'FunctionDeclaration');
        const m = this.modifiers(n);
        if (m.isDefault) return this.make('ExportDefaultDeclaration', n, { declaration: f });
        return m.exported
          ? this.make('ExportNamedDeclaration', n, { declaration: f, specifiers: [], source: null })
          : f;
      }
      case K.ClassDeclaration: {
        const c = this.klass(n, 'ClassDeclaration');
        const m = this.modifiers(n);
        if (m.isDefault) return this.make('ExportDefaultDeclaration', n, { declaration: c });
        return m.exported
          ? this.make('ExportNamedDeclaration', n, { declaration: c, specifiers: [], source: null })
          : c;
      }
      case K.ReturnStatement:
        return this.make('ReturnStatement', n, { argument: this.node(n.expression) });
      case K.ThrowStatement:
        return this.make('ThrowStatement', n, { argument: this.node(n.expression) });
      case K.IfStatement:
        return this.make('IfStatement', n, {
          test: this.node(n.expression),
          consequent: this.node(n.thenStatement),
          alternate: this.node(n.elseStatement),
        });
      case K.SwitchStatement:
        return this.make('SwitchStatement', n, {
          discriminant: this.node(n.expression),
          cases: n.caseBlock.clauses.map((c: any) =>
            this.make('SwitchCase', c, {
              test: c.kind === K.CaseClause ? this.node(c.expression) : null,
              consequent: this.list(c.statements),
            }),
          ),
        });
      case K.ForStatement:
        return this.make('ForStatement', n, {
          init: this.node(n.initializer),
          test: this.node(n.condition),
          update: this.node(n.incrementor),
          body: this.node(n.statement),
        });
      case K.ForOfStatement:
      case K.ForInStatement: {
        const init = n.initializer;
        const left = init.kind === K.VariableDeclarationList ? this.node(init) : this.node(init);
        return this.make(n.kind === K.ForOfStatement ? 'ForOfStatement' : 'ForInStatement', n, {
          left,
          right: this.node(n.expression),
          body: this.node(n.statement),
        });
      }
      case K.WhileStatement:
      case K.DoStatement:
        return this.make('WhileStatement', n, {
          test: this.node(n.expression),
          body: this.node(n.statement),
        });
      case K.TryStatement:
        return this.make('TryStatement', n, {
          block: this.node(n.tryBlock),
          handler: n.catchClause
            ? {
                param: n.catchClause.variableDeclaration
                  ? this.binding(n.catchClause.variableDeclaration.name)
                  : null,
                body: this.node(n.catchClause.block),
              }
            : null,
          finalizer: this.node(n.finallyBlock),
        });
      case K.Block:
      case K.ModuleBlock:
        return this.make('BlockStatement', n, { body: this.list(n.statements) });
      case K.LabeledStatement:
        return this.make('LabeledStatement', n, { body: this.node(n.statement) });
      case K.ModuleDeclaration:
        return n.body ? this.make('TSModuleDeclaration', n, { body: this.node(n.body) }) : null;
      case K.ImportDeclaration: {
        const clause = n.importClause;
        const specifiers: Node[] = [];
        if (clause?.name)
          specifiers.push(
            this.make('ImportDefaultSpecifier', clause.name, { local: this.node(clause.name) }),
          );
        const nb = clause?.namedBindings;
        if (nb?.kind === K.NamespaceImport)
          specifiers.push(this.make('ImportNamespaceSpecifier', nb, { local: this.node(nb.name) }));
        if (nb?.kind === K.NamedImports) {
          for (const e of nb.elements) {
            specifiers.push(
              this.make('ImportSpecifier', e, {
                imported: this.node(e.propertyName ?? e.name),
                local: this.node(e.name),
                importKind: e.isTypeOnly ? 'type' : 'value',
              }),
            );
          }
        }
        return this.make('ImportDeclaration', n, {
          source: { type: 'Literal', value: n.moduleSpecifier?.text ?? '' },
          specifiers,
          importKind: clause?.isTypeOnly ? 'type' : 'value',
        });
      }
      case K.ImportEqualsDeclaration:
        return this.make('TSImportEqualsDeclaration', n, {
          id: this.node(n.name),
          moduleReference: n.moduleReference?.expression
            ? { expression: { value: n.moduleReference.expression.text } }
            : null,
          importKind: n.isTypeOnly ? 'type' : 'value',
        });
      case K.ExportDeclaration: {
        const source = n.moduleSpecifier ? { type: 'Literal', value: n.moduleSpecifier.text } : null;
        const ec = n.exportClause;
        if (!ec || ec.kind === K.NamespaceExport) {
          return this.make('ExportAllDeclaration', n, {
            exported: ec ? this.node(ec.name) : null,
            source,
            exportKind: n.isTypeOnly ? 'type' : 'value',
          });
        }
        return this.make('ExportNamedDeclaration', n, {
          declaration: null,
          source,
          exportKind: n.isTypeOnly ? 'type' : 'value',
          specifiers: ec.elements.map((e: any) =>
            this.make('ExportSpecifier', e, {
              local: this.node(e.propertyName ?? e.name),
              exported: this.node(e.name),
              exportKind: e.isTypeOnly ? 'type' : 'value',
            }),
          ),
        });
      }
      case K.ExportAssignment:
        return n.isExportEquals
          ? this.make('TSExportAssignment', n, { expression: this.node(n.expression) })
          : this.make('ExportDefaultDeclaration', n, { declaration: this.node(n.expression) });
      // ---- expressions
      case K.Identifier:
        return this.make('Identifier', n, { name: n.text });
      case K.PrivateIdentifier:
        return this.make('PrivateIdentifier', n, { name: n.text.slice(1) });
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral:
        return n.kind === K.StringLiteral
          ? this.make('Literal', n, { value: n.text })
          : this.make('TemplateLiteral', n, { quasis: [{ value: { cooked: n.text } }], expressions: [] });
      case K.NumericLiteral:
        return this.make('Literal', n, { value: Number(n.text) });
      case K.TrueKeyword:
      case K.FalseKeyword:
      case K.NullKeyword:
        return this.make('Literal', n, { value: n.kind === K.NullKeyword ? null : n.kind === K.TrueKeyword });
      case K.ThisKeyword:
        return this.make('ThisExpression', n, {});
      case K.SuperKeyword:
        return this.make('Super', n, {});
      case K.TemplateExpression:
        return this.make('TemplateLiteral', n, {
          quasis: [
            { value: { cooked: n.head.text } },
            ...n.templateSpans.map((s: any) => ({ value: { cooked: s.literal.text } })),
          ],
          expressions: n.templateSpans.map((s: any) => this.node(s.expression)),
        });
      case K.TaggedTemplateExpression:
        return this.make('TaggedTemplateExpression', n, {
          tag: this.node(n.tag),
          quasi: this.node(n.template),
        });
      case K.BinaryExpression:
        return this.binary(n);
      case K.ConditionalExpression:
        return this.make('ConditionalExpression', n, {
          test: this.node(n.condition),
          consequent: this.node(n.whenTrue),
          alternate: this.node(n.whenFalse),
        });
      case K.PrefixUnaryExpression:
      case K.PostfixUnaryExpression:
      case K.TypeOfExpression:
      case K.VoidExpression:
      case K.DeleteExpression:
        return this.make('UnaryExpression', n, { argument: this.node(n.operand ?? n.expression) });
      case K.YieldExpression:
        return this.make('YieldExpression', n, { argument: this.node(n.expression) });
      case K.ParenthesizedExpression:
      case K.AwaitExpression:
      case K.AsExpression:
      case K.SatisfiesExpression:
      case K.NonNullExpression:
      case K.TypeAssertionExpression:
      case K.ExpressionWithTypeArguments:
        return this.node(n.expression);
      case K.PropertyAccessExpression:
        return this.make('MemberExpression', n, {
          object: this.node(n.expression),
          property: this.node(n.name),
          computed: false,
        });
      case K.ElementAccessExpression:
        return this.make('MemberExpression', n, {
          object: this.node(n.expression),
          property: this.node(n.argumentExpression),
          computed: true,
        });
      case K.CallExpression:
        if (n.expression.kind === K.ImportKeyword)
          return this.make('ImportExpression', n, { source: this.node(n.arguments[0]) });
        return this.make('CallExpression', n, {
          callee: this.node(n.expression),
          arguments: this.list(n.arguments),
        });
      case K.NewExpression:
        return this.make('NewExpression', n, {
          callee: this.node(n.expression),
          arguments: this.list(n.arguments),
        });
      case K.MetaProperty:
        return this.make('MetaProperty', n, {
          meta: { name: t.tokenToString(n.keywordToken) ?? 'import' },
          property: { name: n.name.text },
        });
      case K.ArrayLiteralExpression:
        return this.make('ArrayExpression', n, {
          elements: n.elements.map((e: any) => (e.kind === K.OmittedExpression ? null : this.node(e))),
        });
      case K.ObjectLiteralExpression:
        return this.make('ObjectExpression', n, {
          properties: n.properties.map((p: any) => this.property(p)).filter(Boolean),
        });
      case K.SpreadElement:
      case K.SpreadAssignment:
        return this.make('SpreadElement', n, { argument: this.node(n.expression) });
      case K.FunctionExpression:
        return this.fn(n, 'FunctionExpression');
      case K.ArrowFunction:
        return this.fn(n, 'ArrowFunctionExpression');
      case K.ClassExpression:
        return this.klass(n, 'ClassExpression');
      case K.Parameter:
        return this.parameter(n);
      case K.ObjectBindingPattern:
      case K.ArrayBindingPattern:
        return this.binding(n);
      case K.CommaListExpression:
        return this.make('SequenceExpression', n, { expressions: this.list(n.elements) });
      default:
        return null;
    }
  }

  private property(p: any): Node {
    const K = this.K;
    if (p.kind === K.SpreadAssignment)
      return this.make('SpreadElement', p, { argument: this.node(p.expression) });
    const key = this.propertyKey(p.name);
    if (p.kind === K.PropertyAssignment)
      return this.make('Property', p, {
        key: key.key,
        computed: key.computed,
        value: this.node(p.initializer),
      });
    if (p.kind === K.ShorthandPropertyAssignment)
      return this.make('Property', p, { key: key.key, computed: false, value: this.node(p.name) });
    if (p.kind === K.MethodDeclaration || p.kind === K.GetAccessor || p.kind === K.SetAccessor) {
      return this.make('Property', p, {
        key: key.key,
        computed: key.computed,
        value: this.fn(p, 'FunctionExpression'),
      });
    }
    return null;
  }

  private binary(n: any): Node {
    const K = this.K;
    const op = n.operatorToken.kind;
    if (op === K.CommaToken)
      return this.make('SequenceExpression', n, { expressions: [this.node(n.left), this.node(n.right)] });
    const text = this.t.tokenToString(op) ?? '?';
    if (op >= K.FirstAssignment && op <= K.LastAssignment) {
      const left =
        n.left.kind === K.ObjectLiteralExpression || n.left.kind === K.ArrayLiteralExpression
          ? this.assignmentPattern(n.left)
          : this.node(n.left);
      return this.make('AssignmentExpression', n, { operator: text, left, right: this.node(n.right) });
    }
    const logical =
      op === K.BarBarToken || op === K.AmpersandAmpersandToken || op === K.QuestionQuestionToken;
    return this.make(logical ? 'LogicalExpression' : 'BinaryExpression', n, {
      operator: text,
      left: this.node(n.left),
      right: this.node(n.right),
    });
  }

  /** `({ a, b: c } = x)` / `[a, b] = x`: object/array literals on the left of `=` are patterns. */
  private assignmentPattern(n: any): Node {
    const K = this.K;
    if (n.kind === K.ObjectLiteralExpression) {
      return this.make('ObjectPattern', n, {
        properties: n.properties.map((p: any) => {
          if (p.kind === K.SpreadAssignment)
            return this.make('RestElement', p, { argument: this.node(p.expression) });
          const key = this.propertyKey(p.name);
          const value =
            p.kind === K.PropertyAssignment ? this.assignmentPattern(p.initializer) : this.node(p.name);
          return this.make('Property', p, { key: key.key, computed: key.computed, value });
        }),
      });
    }
    if (n.kind === K.ArrayLiteralExpression) {
      return this.make('ArrayPattern', n, {
        elements: n.elements.map((e: any) =>
          e.kind === K.OmittedExpression ? null : this.assignmentPattern(e),
        ),
      });
    }
    return this.node(n);
  }
}
