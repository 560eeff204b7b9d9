// Tool registrations recognised over the IR: MCP SDK `server.tool` / `registerTool`, Vercel AI
// SDK `tool({…})` and plain tool objects under `tools:`, LangChain.js `tool(fn, {…})`,
// `DynamicStructuredTool`, `StructuredTool` subclasses, OpenAI Agents `tool({…})`. Calls are
// attributed by what the file imports; without an import only an unmistakable shape counts.
// Shapes that look like registrations but cannot be read become `unresolved`, never dropped.

import type { Framework } from '../../core/types.js';
import type { Expr, FunctionFact, RegistrationFact, Target } from '../facts.js';
import type { FileContext } from './context.js';
import { DefinitionPass } from './definition-registrations.js';
import { Constants, dottedName, exprChildren, forEachStmt, objectProp, stmtExprs } from './ir-util.js';
import { collectLoopBindings, type LoopBinding, registerLoop } from './loop-registrations.js';
import { findLowLevelRegistrations, type RequestHandlerCall } from './lowlevel.js';
import { recogniseDynamicTool, recogniseFastMcpTool, recogniseToolClass } from './tool-classes.js';
import { unwrapSchema } from './tool-definitions.js';

/** Where a value is placed: the variable it is assigned to, or the object key it sits under. */
interface Hint {
  name: string;
  fromKey: boolean;
}

export type Library = 'mcp' | 'ai' | 'langchain' | 'openai-agents' | 'fastmcp' | 'other';

function libraryOf(module: string): Library {
  if (module.startsWith('@modelcontextprotocol/')) return 'mcp';
  if (module === 'ai' || module.startsWith('ai/') || module.startsWith('@ai-sdk/')) return 'ai';
  if (module === 'langchain' || module.startsWith('langchain/') || module.startsWith('@langchain/'))
    return 'langchain';
  if (module.startsWith('@openai/agents')) return 'openai-agents';
  if (module === 'fastmcp') return 'fastmcp';
  return 'other';
}

const TOOL_FACTORY_FRAMEWORK: Record<string, Framework> = {
  ai: 'vercel-ai',
  langchain: 'langchain',
  'openai-agents': 'openai-agents',
};

const ANNOTATION_KEYS = new Set([
  'title',
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
]);

export class RegistrationFinder {
  readonly consts: Constants;
  readonly importOf = new Map<string, { module: string; imported: string; lib: Library }>();
  readonly libs = new Set<Library>();
  private readonly functionIds = new Set<string>();
  private readonly byVariable = new Map<string, RegistrationFact>();
  private readonly seen = new WeakSet<Expr>();
  readonly requestHandlers: RequestHandlerCall[] = [];
  /** Definition objects a recogniser has used, so the definition pass does not count them again. */
  readonly claimed = new WeakSet<Expr>();
  /** Classes a recogniser has registered. */
  readonly claimedClasses = new Set<string>();
  readonly loopBindings: Map<string, LoopBinding>;
  private readonly functionsById = new Map<string, FunctionFact>();
  private currentFn = '';

  constructor(readonly ctx: FileContext) {
    this.consts = new Constants(ctx.facts.functions);
    for (const i of [...ctx.facts.imports, ...ctx.typeImports]) {
      const lib = libraryOf(i.module);
      this.importOf.set(i.local, { module: i.module, imported: i.imported, lib });
      this.libs.add(lib);
    }
    for (const f of ctx.facts.functions) {
      this.functionIds.add(f.id);
      this.functionsById.set(f.id, f);
    }
    this.loopBindings = collectLoopBindings(ctx.facts.functions);
  }

  functionById(id: string): FunctionFact | undefined {
    return this.functionsById.get(id);
  }

  isFunctionValue(e: Expr): boolean {
    return this.isFunction(e) && (e.k !== 'attr' || this.consts.resolve(e).k === 'func');
  }

  run(): void {
    for (const fn of [...this.ctx.facts.functions]) {
      this.currentFn = fn.id;
      forEachStmt(fn.body, (s) => {
        const hint = s.k === 'assign' ? assignmentHint(s.target) : undefined;
        for (const e of stmtExprs(s)) this.visit(e, hint, 0);
      });
    }
    for (const cls of this.ctx.facts.classes) {
      for (const field of cls.fields)
        this.visit(field.value, { name: `${cls.name}.${field.name}`, fromKey: false }, 0);
      recogniseToolClass(this, cls);
    }
    const lowLevel = findLowLevelRegistrations(
      this.ctx,
      this.consts,
      this.requestHandlers,
      (h) => this.handler(h),
      this.claimed,
    );
    const definitions = new DefinitionPass(this);
    definitions.dispatch = lowLevel;
    definitions.run();
    for (const list of lowLevel.unreadableLists) {
      const covered = definitions.emittedLines.some((l) => l >= list.startLine && l <= list.endLine);
      if (!covered) list.report();
    }
    for (const e of lowLevel.unreadableEntries) if (!this.claimed.has(e.entry)) e.report();
  }

  private visit(e: Expr, hint: Hint | undefined, depth: number): void {
    if (depth > 400 || this.seen.has(e)) return;
    this.seen.add(e);
    if (e.k === 'call') this.call(e, hint);
    if (e.k === 'object') {
      for (const p of e.props) {
        if (p.key === 'tools') this.toolsObject(p.value);
        this.visit(p.value, p.key === null ? undefined : { name: p.key, fromKey: true }, depth + 1);
      }
      return;
    }
    for (const c of exprChildren(e)) this.visit(c, undefined, depth + 1);
  }

  // ---- calls ---------------------------------------------------------------------------------

  private call(e: Extract<Expr, { k: 'call' }>, hint: Hint | undefined): void {
    const callee = e.callee;
    if (callee.k === 'attr') {
      if (callee.name === 'setRequestHandler' && e.args.length >= 2) {
        this.requestHandlers.push({ call: e, schema: e.args[0] as Expr, handler: e.args[1] as Expr });
        return;
      }
      if ((callee.name === 'tool' || callee.name === 'registerTool') && !this.isFactoryCallee(callee)) {
        this.mcpCall(e, callee.name);
        return;
      }
      if (callee.name === 'addTool' && e.args.length === 1) {
        recogniseFastMcpTool(this, e);
        return;
      }
    }
    const factory = this.factoryLibrary(callee);
    if (factory !== undefined) this.toolFactory(e, factory, hint);
    else if (e.isNew) recogniseDynamicTool(this, e, callee);
  }

  /** `ai.tool(…)` on a namespace import is the AI SDK factory, not an MCP server method. */
  private isFactoryCallee(callee: Extract<Expr, { k: 'attr' }>): boolean {
    if (callee.object.k !== 'name') return false;
    const imp = this.importOf.get(callee.object.name);
    return imp !== undefined && imp.imported === '*' && imp.lib !== 'mcp' && imp.lib !== 'other';
  }

  /** For a `tool(…)` callee: the library it comes from (`other` = unknown origin), or undefined. */
  private factoryLibrary(callee: Expr): Library | undefined {
    if (callee.k === 'name') {
      const imp = this.importOf.get(callee.name);
      if (imp) return imp.imported === 'tool' ? imp.lib : undefined;
      return callee.name === 'tool' ? 'other' : undefined;
    }
    if (callee.k === 'attr' && callee.name === 'tool' && callee.object.k === 'name') {
      const imp = this.importOf.get(callee.object.name);
      if (imp && imp.imported === '*') return imp.lib;
    }
    return undefined;
  }

  private mcpCall(e: Extract<Expr, { k: 'call' }>, method: 'tool' | 'registerTool'): void {
    const mcp = this.libs.has('mcp');
    const args = e.args;
    if (args.some((a) => this.ctx.spreads.has(a))) {
      if (mcp || args.length === 1) this.unresolved(e, `${method}() called with spread arguments`);
      return;
    }
    const last = args[args.length - 1];
    const lastIsFn = last !== undefined && this.isFunction(last);
    if (method === 'registerTool') {
      if (args.length < 2 || args.length > 3) return;
      if (!lastIsFn && !mcp) return;
      const name = args[0] as Expr;
      const config = this.consts.resolve(args[1] as Expr);
      if (args.length === 2 && !mcp && config.k !== 'object') return;
      if (config.k === 'object') this.claimed.add(config);
      if (!this.consts.isStaticString(name) && !this.importedValue(name)) {
        if (registerLoop(this, e, name, args.length === 3 ? last : undefined, this.currentFn)) return;
        this.unresolved(e, this.runTimeNameReason('registerTool', name));
        return;
      }
      const configured = (key: string): Expr | undefined =>
        config.k === 'object'
          ? objectProp(config, key)
          : { k: 'attr', object: args[1] as Expr, name: key, line: e.line };
      const reg = this.registration(
        'mcp-sdk',
        e,
        name,
        configured('description') ?? null,
        args.length === 3 ? last : undefined,
      );
      const schema = configured('inputSchema');
      if (schema) reg.schema = unwrapSchema(schema);
      if (config.k === 'object' && config.props.some((p) => p.key === null)) {
        this.ctx.noteAtLine(
          e.line,
          'registerTool() config has spread properties; description may be incomplete',
        );
      }
      this.push(reg);
      return;
    }
    // With an MCP import, a handler imported from another file counts too.
    const handlerOk = lastIsFn || (mcp && last !== undefined && this.mayBeFunction(last));
    const name = args[0] as Expr;
    // A loop over tool definitions: the handler is often looked up per tool (`HANDLERS[t.name]`).
    if (mcp && args.length >= 2 && args.length <= 5 && !this.consts.isStaticString(name)) {
      if (registerLoop(this, e, name, last, this.currentFn)) return;
    }
    if (args.length < 2 || args.length > 5 || !handlerOk) return;
    const middle = args.slice(1, -1);
    if (!mcp && !middle.every((m) => this.argKind(m) !== 'fn')) return;
    if (!this.consts.isStaticString(name) && !this.importedValue(name)) {
      if (registerLoop(this, e, name, last, this.currentFn)) return;
      if (mcp || this.looksLikeName(name)) this.unresolved(e, this.runTimeNameReason('tool', name));
      return;
    }
    let description: Expr | null = null;
    let schema: Expr | undefined;
    if (middle.length === 1) {
      if (this.argKind(middle[0] as Expr) === 'str') description = middle[0] as Expr;
      else schema = middle[0] as Expr;
    } else if (middle.length === 2) {
      const [a, b] = middle as [Expr, Expr];
      const bIsAnnotations = this.isAnnotations(b);
      if (this.argKind(a) === 'obj' || (this.argKind(a) === 'unknown' && bIsAnnotations)) schema = a;
      else {
        description = a;
        schema = b;
      }
    } else if (middle.length === 3) {
      description = middle[0] as Expr;
      schema = middle[1] as Expr;
    }
    const reg = this.registration('mcp-sdk', e, name, description, last);
    if (schema) reg.schema = schema;
    this.push(reg);
  }

  /** `tool({…})` (AI SDK, OpenAI Agents) and `tool(fn, {…})` (LangChain). */
  private toolFactory(e: Extract<Expr, { k: 'call' }>, lib: Library, hint: Hint | undefined): void {
    const [first, second] = e.args;
    if (!first) return;
    if (this.ctx.spreads.has(first)) {
      if (lib !== 'other') this.unresolved(e, 'tool() called with spread arguments');
      return;
    }
    const firstObj = this.consts.resolve(first);
    if (firstObj.k === 'object') this.claimed.add(firstObj);
    if (second && (this.isFunction(first) || (lib === 'langchain' && this.mayBeFunction(first)))) {
      const options = this.consts.resolve(second);
      if (options.k === 'object') this.claimed.add(options);
      if (options.k !== 'object') {
        if (lib === 'langchain') this.unresolved(e, 'tool() options are not an object literal');
        return;
      }
      if (lib !== 'langchain' && !objectProp(options, 'name')) return;
      const reg = this.registration(
        'langchain',
        e,
        objectProp(options, 'name') ?? null,
        objectProp(options, 'description') ?? null,
        first,
      );
      const schema = objectProp(options, 'schema');
      if (schema) reg.schema = schema;
      if (!reg.name) reg.defaultName = this.handlerName(first) ?? hint?.name;
      this.push(reg);
      return;
    }
    if (firstObj.k !== 'object') {
      if (lib !== 'other') this.unresolved(e, 'tool() definition is not an object literal');
      return;
    }
    const execute = objectProp(firstObj, 'execute');
    const description = objectProp(firstObj, 'description');
    const schema = objectProp(firstObj, 'inputSchema') ?? objectProp(firstObj, 'parameters');
    const nameProp = objectProp(firstObj, 'name');
    let framework = TOOL_FACTORY_FRAMEWORK[lib];
    if (lib === 'other' || lib === 'mcp') {
      // Unknown origin: only the unmistakable shape counts.
      if (!execute || !(description || schema)) return;
      framework = nameProp ? 'openai-agents' : 'vercel-ai';
    }
    if (!framework) return;
    if (framework === 'langchain') {
      this.unresolved(e, 'LangChain tool() without a function argument');
      return;
    }
    const reg = this.registration(framework, e, null, description ?? null, execute);
    if (schema) reg.schema = schema;
    if (framework === 'openai-agents' && nameProp) reg.name = nameProp;
    else if (hint?.fromKey) reg.name = { k: 'str', value: hint.name };
    else if (hint) {
      reg.defaultName = hint.name;
      this.byVariable.set(hint.name, reg);
    } else if (nameProp) reg.name = nameProp;
    else {
      this.unresolved(e, 'tool() result is not bound to a name');
      return;
    }
    this.push(reg);
  }

  /** Members of an object given as `tools:` — AI SDK plain tool objects, and names of `tool()` variables. */
  private toolsObject(value: Expr): void {
    const obj = this.consts.resolve(value);
    if (obj.k !== 'object') return;
    for (const p of obj.props) {
      if (p.key === null) continue;
      if (p.value.k === 'name') {
        const reg = this.byVariable.get(p.value.name);
        if (reg && reg.name === null) reg.name = { k: 'str', value: p.key };
        continue;
      }
      const member = p.value;
      if (member.k !== 'object') continue;
      this.claimed.add(member);
      const execute = objectProp(member, 'execute');
      const schema = objectProp(member, 'inputSchema') ?? objectProp(member, 'parameters');
      if (!execute || !schema) continue;
      const at = this.ctx.starts.get(member);
      const line = at !== undefined ? this.ctx.lines.line(at) : 1;
      const column = at !== undefined ? this.ctx.lines.column(at) : 1;
      const reg: RegistrationFact = {
        framework: 'vercel-ai',
        line,
        column,
        name: { k: 'str', value: p.key },
        description: objectProp(member, 'description') ?? null,
        params: [],
        schema,
        handler: this.handler(execute),
      };
      this.push(reg);
    }
  }

  // ---- classes -------------------------------------------------------------------------------

  // ---- helpers -------------------------------------------------------------------------------

  private argKind(e: Expr): 'str' | 'obj' | 'fn' | 'unknown' {
    if (this.isFunction(e) && e.k !== 'attr') return 'fn';
    const r = this.consts.resolve(e);
    if (r.k === 'str' || r.k === 'concat') return 'str';
    if (r.k === 'object' || r.k === 'call') return 'obj';
    if (r.k === 'name' || r.k === 'attr') return kindByName(r.k === 'name' ? r.name : r.name);
    return 'unknown';
  }

  /** A name or member that does not resolve to a non-function value in this file (e.g. an import). */
  private mayBeFunction(e: Expr): boolean {
    if (e.k !== 'name' && e.k !== 'attr') return false;
    const r = this.consts.resolve(e);
    return r.k === 'name' || r.k === 'attr' || r.k === 'func';
  }

  private isAnnotations(e: Expr): boolean {
    const r = this.consts.resolve(e);
    return (
      r.k === 'object' &&
      r.props.length > 0 &&
      r.props.every((p) => p.key !== null && ANNOTATION_KEYS.has(p.key))
    );
  }

  private isFunction(e: Expr): boolean {
    if (e.k === 'func') return true;
    if (e.k === 'name') return this.functionIds.has(e.name) || this.consts.resolve(e).k === 'func';
    // `handler.bind(this)`, `wrap(async () => …)`, `this.handle` are functions too.
    if (e.k === 'call')
      return e.args.some((a) => a.k === 'func') || (e.callee.k === 'attr' && e.callee.name === 'bind');
    return e.k === 'attr';
  }

  private looksLikeName(e: Expr): boolean {
    return e.k === 'name' || e.k === 'attr' || e.k === 'index';
  }

  private handlerName(e: Expr): string | undefined {
    if (e.k === 'func') return this.ctx.facts.functions.find((f) => f.id === e.id)?.name;
    if (e.k === 'name') return e.name;
    return undefined;
  }

  handler(e: Expr | undefined): RegistrationFact['handler'] {
    if (!e) return null;
    if (e.k === 'func') return { kind: 'function', id: e.id };
    if (e.k === 'name' && this.functionIds.has(e.name)) return { kind: 'function', id: e.name };
    if (e.k === 'name') {
      const v = this.consts.resolve(e);
      if (v.k === 'func') return { kind: 'function', id: v.id };
    }
    // `this.handle` / `this.handle.bind(this)`: the enclosing class's method, when unambiguous.
    const target = e.k === 'call' && e.callee.k === 'attr' && e.callee.name === 'bind' ? e.callee.object : e;
    if (target.k === 'attr' && target.object.k === 'name' && target.object.name === 'this') {
      const suffix = `.${target.name}`;
      const methods = this.ctx.facts.functions.filter((f) => f.className && f.id.endsWith(suffix));
      if (methods.length === 1) return { kind: 'function', id: (methods[0] as FunctionFact).id };
    }
    return { kind: 'expr', expr: e };
  }

  registration(
    framework: Framework,
    e: Extract<Expr, { k: 'call' }>,
    name: Expr | null,
    description: Expr | null,
    handler: Expr | undefined,
  ): RegistrationFact {
    return {
      framework,
      line: e.line,
      column: e.column,
      name,
      description,
      params: [],
      handler: this.handler(handler),
    };
  }

  push(reg: RegistrationFact): void {
    // `server.tool(def.name, def.description, …)` with `def` written in this file: `def` is used.
    if (reg.name?.k === 'attr') {
      const owner = this.consts.resolve(reg.name.object);
      if (owner.k === 'object') this.claimed.add(owner);
    }
    this.ctx.facts.registrations.push(reg);
  }

  /** Why a name is not known: a definition handed in as a parameter is the common case. */
  private runTimeNameReason(method: string, name: Expr): string {
    const root = dottedName(name)?.[0];
    const fn = this.functionsById.get(this.currentFn);
    const param = fn?.params.find((p) => p.name === root || p.destructured?.includes(root ?? ''));
    if (root !== undefined && param) {
      return `${method}() with a tool name computed at run time: registers the definition passed in as parameter \`${root}\` (definitions are listed where they are written)`;
    }
    return `${method}() with a tool name computed at run time`;
  }

  /** A name (or member of one) imported from another file of the package: flow.ts folds it. */
  private importedValue(e: Expr): boolean {
    const path = dottedName(e);
    if (!path) return false;
    const imp = this.importOf.get(path[0] as string);
    return imp !== undefined && (imp.module.startsWith('.') || imp.module.startsWith('/'));
  }

  unresolved(e: Extract<Expr, { k: 'call' }>, reason: string): void {
    const snippet = this.ctx.snippet(e, this.ctx.lines.offset(e.line, e.column));
    this.ctx.facts.unresolved.push({ line: e.line, column: e.column, reason, snippet });
  }
}

/** Guess from an identifier: `FOO_DESCRIPTION` is text, `fooSchema` / `X.shape` is a schema. */
function kindByName(name: string): 'str' | 'obj' | 'unknown' {
  if (/desc|text|summary|prompt|title/i.test(name)) return 'str';
  if (/schema|shape|param|input|args|props/i.test(name)) return 'obj';
  return 'unknown';
}

function assignmentHint(target: Target): Hint | undefined {
  if (target.k === 'name') return { name: target.name, fromKey: false };
  if (target.k === 'member' && target.name !== null) {
    const path = dottedName(target.object);
    if (path) return { name: [...path, target.name].join('.'), fromKey: false };
  }
  return undefined;
}

export function findRegistrations(ctx: FileContext): void {
  new RegistrationFinder(ctx).run();
}

export type { FunctionFact };
