// Tool definitions written as data become registrations where they are defined: object literals
// (see tool-definitions.ts), objects built by a same-file template function
// (`createToolSchema(schema, 'name', 'desc')`), and classes whose fields are
// `name`/`description`/a schema with a handler method. A definition already used by another
// recogniser (a `server.tool(def.name, …)` call, a ListTools entry, a loop over a list) is claimed
// there and skipped here, so a tool is never counted twice within a file. The registration line
// is the definition's `name` line (the pipeline keys tools by file and name).

import type { Framework } from '../../core/types.js';
import type { ClassFact, Expr, FunctionFact, RegistrationFact } from '../facts.js';
import { exprChildren, forEachStmt, objectProp, stmtExprs } from './ir-util.js';
import type { RegistrationFinder } from './registrations.js';
import {
  HANDLER_KEYS,
  instantiateTemplate,
  nameKeyOffset,
  readToolDefinition,
  SCHEMA_KEYS,
  type ToolDefinitionShape,
} from './tool-definitions.js';

type Obj = Extract<Expr, { k: 'object' }>;
type Call = Extract<Expr, { k: 'call' }>;

/** Class methods that run a class-based tool, beyond the object handler keys. */
const CLASS_HANDLER_METHODS = [...HANDLER_KEYS, 'process', '_call', '_run', 'handleRequest', 'executeTool'];

const MAX_WALK = 200_000;

/** The framework a data definition belongs to, from what the file imports. */
export function definitionFramework(host: RegistrationFinder, schemaKey: string): Framework {
  if (host.libs.has('fastmcp')) return 'mcp-fastmcp';
  // A file with `setRequestHandler(ListTools…)` is a low-level server: its definitions are listed there.
  if (host.libs.has('mcp')) return host.requestHandlers.length > 0 ? 'mcp-lowlevel' : 'mcp-sdk';
  if (host.libs.has('ai') && (schemaKey === 'inputSchema' || schemaKey === 'parameters')) return 'vercel-ai';
  if (host.libs.has('openai-agents') && schemaKey === 'parameters') return 'openai-agents';
  if (host.libs.has('langchain') && schemaKey === 'schema') return 'langchain';
  return 'unknown';
}

export class DefinitionPass {
  private readonly byId = new Map<string, FunctionFact>();
  /** Definition objects handed to a class constructor (`super(schema, ToolDefinition)`): the class's handler. */
  private readonly classHandlers = new Map<Obj, string>();

  constructor(private readonly host: RegistrationFinder) {
    for (const f of host.ctx.facts.functions) this.byId.set(f.id, f);
  }

  /** Same-file CallTool dispatch, for definitions listed by a ListTools handler. */
  dispatch?: { handlerFor: (name: string) => RegistrationFact['handler'] };

  private dispatchHandler(name: Expr): RegistrationFact['handler'] {
    const folded = this.host.consts.resolve(name);
    if (!this.dispatch || folded.k !== 'str') return null;
    return this.dispatch.handlerFor(folded.value);
  }

  /** Lines of the definitions emitted, to tell whether an unreadable ListTools list was covered. */
  readonly emittedLines: number[] = [];

  run(): void {
    // In tests, objects shaped like tools are usually expected outputs, not the server's tools.
    if (isTestFile(this.host.ctx.facts.file)) return;
    for (const cls of this.host.ctx.facts.classes) this.linkConstructorDefinitions(cls);
    let budget = MAX_WALK;
    for (const fn of [...this.host.ctx.facts.functions]) {
      const templateNames = paramNames(fn);
      const stack: Expr[] = [];
      forEachStmt(fn.body, (s) => {
        for (const e of stmtExprs(s)) stack.push(e);
      });
      stack.reverse();
      while (stack.length > 0 && budget-- > 0) {
        const e = stack.pop() as Expr;
        if (e.k === 'object') this.object(e, templateNames);
        else if (e.k === 'call') this.templateCall(e);
        const children = exprChildren(e);
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Expr);
      }
    }
    for (const cls of this.host.ctx.facts.classes) this.toolClass(cls);
  }

  private object(obj: Obj, templateNames: ReadonlySet<string>): void {
    if (this.host.claimed.has(obj)) return;
    const shape = readToolDefinition(this.host.consts, obj, {
      isFunction: (x) => this.host.isFunctionValue(x),
      templateNames,
      isImported: (n) => this.host.importOf.has(n),
    });
    if (!shape) return;
    this.host.claimed.add(obj);
    this.host.claimed.add(shape.def);
    const classMethod = this.classHandlers.get(shape.def) ?? this.classHandlers.get(obj);
    const handler: RegistrationFact['handler'] = shape.handler
      ? this.host.handler(shape.handler)
      : classMethod
        ? { kind: 'function', id: classMethod }
        : this.dispatchHandler(shape.name);
    this.emit(shape, handler, this.at(shape.def) ?? this.at(obj));
  }

  /** `makeTool('x', 'desc', schema, handler)`: a same-file function that returns a definition built from its parameters. */
  private templateCall(call: Call): void {
    if (call.callee.k !== 'name' || call.args.length === 0) return;
    const fn = this.functionNamed(call.callee.name);
    if (!fn) return;
    const returned = returnedObject(this.host, fn);
    if (!returned) return;
    const params = fn.params.map((p) => p.name);
    const instance = instantiateTemplate(call, params, returned);
    const shape = readToolDefinition(this.host.consts, instance, {
      isFunction: (x) => this.host.isFunctionValue(x),
    });
    if (!shape || !this.host.consts.isStaticString(shape.name)) return;
    this.host.claimed.add(returned);
    this.host.claimed.add(call);
    const handler = shape.handler ? this.host.handler(shape.handler) : this.dispatchHandler(shape.name);
    this.emit(shape, handler, { line: call.line, column: call.column });
  }

  /** `class X extends Base { name = '…'; description = '…'; inputSchema = …; execute() {} }`. */
  private toolClass(cls: ClassFact): void {
    if (this.host.claimedClasses.has(cls.name)) return;
    const field = (n: string) => cls.fields.find((f) => f.name === n);
    const name = field('name');
    const description = field('description');
    if (!name || !description) return;
    const schemaField = SCHEMA_KEYS.map((k) => field(k)).find((f) => f !== undefined);
    const method = CLASS_HANDLER_METHODS.map((m) => cls.methods.find((id) => id === `${cls.name}.${m}`)).find(
      (id) => id !== undefined,
    );
    if (!schemaField || !method) return;
    const obj: Obj = {
      k: 'object',
      props: [
        { key: 'name', value: name.value },
        { key: 'description', value: description.value },
        { key: schemaField.name, value: schemaField.value },
      ],
    };
    const shape = readToolDefinition(this.host.consts, obj, {
      isFunction: () => false,
      isImported: (n) => this.host.importOf.has(n),
    });
    // `schema` alone is accepted here: the class has its handler method.
    const accepted =
      shape ??
      (schemaField.name === 'schema'
        ? {
            def: obj,
            name: name.value,
            description: description.value,
            schema: schemaField.value,
            schemaKey: 'schema',
          }
        : undefined);
    if (!accepted) return;
    this.emit(accepted, { kind: 'function', id: method }, { line: name.line, column: 1 });
  }

  /** Definition objects passed to `super(…)` or stored on `this` in a constructor. */
  private linkConstructorDefinitions(cls: ClassFact): void {
    const ctor = this.byId.get(`${cls.name}.constructor`);
    if (!ctor) return;
    const method = CLASS_HANDLER_METHODS.map((m) => cls.methods.find((id) => id === `${cls.name}.${m}`)).find(
      (id) => id !== undefined,
    );
    if (!method) return;
    const link = (e: Expr): void => {
      const r = this.host.consts.resolve(e);
      if (r.k === 'object') this.classHandlers.set(r, method);
    };
    forEachStmt(ctor.body, (s) => {
      if (
        s.k === 'expr' &&
        s.value.k === 'call' &&
        s.value.callee.k === 'name' &&
        s.value.callee.name === 'super'
      ) {
        for (const a of s.value.args) link(a);
      }
      if (
        s.k === 'assign' &&
        s.target.k === 'member' &&
        s.target.object.k === 'name' &&
        s.target.object.name === 'this'
      )
        link(s.value);
    });
  }

  private functionNamed(name: string): FunctionFact | undefined {
    const direct = this.byId.get(name);
    if (direct && !direct.className) return direct;
    const v = this.host.consts.resolve({ k: 'name', name, line: 0 });
    return v.k === 'func' ? this.byId.get(v.id) : undefined;
  }

  private at(obj: Obj): { line: number; column: number } | undefined {
    const start = this.host.ctx.starts.get(obj);
    if (start === undefined) return undefined;
    const offset = nameKeyOffset(this.host.ctx.source, start) ?? start;
    return { line: this.host.ctx.lines.line(offset), column: this.host.ctx.lines.column(offset) };
  }

  private emit(
    shape: ToolDefinitionShape,
    handler: RegistrationFact['handler'],
    at: { line: number; column: number } | undefined,
  ): void {
    this.emittedLines.push(at?.line ?? 1);
    const reg: RegistrationFact = {
      framework: definitionFramework(this.host, shape.schemaKey),
      line: at?.line ?? 1,
      column: at?.column ?? 1,
      name: shape.name,
      description: shape.description,
      params: [],
      schema: shape.schema,
      handler,
    };
    this.host.push(reg);
  }
}

const TEST_PATH = /(^|\/)(__tests__|__mocks__|tests?|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

export function isTestFile(file: string): boolean {
  return TEST_PATH.test(file);
}

function paramNames(fn: FunctionFact): Set<string> {
  const out = new Set<string>();
  for (const p of fn.params) {
    out.add(p.name);
    for (const d of p.destructured ?? []) out.add(d);
  }
  return out;
}

/** The object literal a function returns (its only object-returning `return`), if any. */
export function returnedObject(host: RegistrationFinder, fn: FunctionFact): Obj | undefined {
  let found: Obj | undefined;
  let count = 0;
  forEachStmt(fn.body, (s) => {
    if (s.k !== 'return' || !s.value) return;
    const r = host.consts.resolve(s.value);
    if (r.k === 'object') {
      found = r;
      count++;
    }
  });
  return count === 1 && found && objectProp(found, 'name') ? found : undefined;
}
