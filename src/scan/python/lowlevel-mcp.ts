// Low-level MCP servers: `@server.list_tools()` returns `Tool(name=…, description=…, inputSchema=…)`
// objects and `@server.call_tool()` dispatches on the tool name. Each listed tool's handler is the
// dispatch branch for its name, synthesised as its own FunctionFact (`call_tool#name`) so that
// effects of other branches are not attributed to it.

import type { Expr, FunctionFact, RegistrationFact, Stmt } from '../facts.js';
import { DOTTED_PREFIX, type FileContext } from './context.js';
import { calleeName, type ImportTable } from './frameworks.js';
import { jsonSchemaParams, modelParams } from './tool-params.js';

type Call = Extract<Expr, { k: 'call' }>;

interface Dispatch {
  dispatcher: FunctionFact;
  /** Tool name → handler. */
  handlers: Map<string, RegistrationFact['handler']>;
}

function decoratedWith(fn: FunctionFact, method: string): boolean {
  return fn.decorators.some((d) => {
    const target = d.k === 'call' ? d.callee : d;
    return target.k === 'attr' && target.name === method;
  });
}

function kwarg(call: Call, ...names: string[]): Expr | undefined {
  for (const name of names) {
    const found = call.kwargs.find((kw) => kw.name === name);
    if (found) return found.value;
  }
  return undefined;
}

export function findLowLevelRegistrations(
  ctx: FileContext,
  imports: ImportTable,
  functionsById: Map<string, FunctionFact>,
): void {
  if (!imports.families.has('mcp')) return;
  const listFns = ctx.facts.functions.filter((fn) => decoratedWith(fn, 'list_tools'));
  const callFns = ctx.facts.functions.filter((fn) => decoratedWith(fn, 'call_tool'));
  const dispatches = callFns.map((fn) => readDispatch(ctx, fn, functionsById));
  const toolCalls = ctx.candidateCalls.filter((c) => isMcpToolConstructor(imports, c.expr));
  const unresolvedBefore = ctx.facts.unresolved.length;

  for (const candidate of toolCalls) {
    const call = candidate.expr;
    if (call.kwargs.some((kw) => kw.name === '**')) {
      ctx.unresolved(candidate.node, 'Tool(...) built from **kwargs: name and description unknown');
      continue;
    }
    const name = kwarg(call, 'name') ?? call.args[0];
    if (!name) {
      ctx.unresolved(candidate.node, 'Tool(...) without a name');
      continue;
    }
    if (candidate.inLoop && name.k !== 'str') {
      ctx.unresolved(candidate.node, 'Tool(...) built in a loop or comprehension from data');
      continue;
    }
    const schema = kwarg(call, 'inputSchema', 'input_schema');
    const key = toolKey(ctx, name);
    const reg: RegistrationFact = {
      framework: 'mcp-lowlevel',
      line: call.line,
      column: call.column,
      // `name=Tools.STATUS` with `STATUS = "git_status"` in an enum class here: fold it.
      name: key !== undefined && !key.startsWith(DOTTED_PREFIX) ? { k: 'str', value: key } : name,
      description: kwarg(call, 'description') ?? null,
      params: [],
      handler: null,
    };
    if (schema) {
      reg.schema = schema;
      reg.params = schemaParams(ctx, schema) ?? [];
    }
    reg.handler = handlerFor(key, dispatches);
    ctx.facts.registrations.push(reg);
  }

  if (toolCalls.length === 0 && ctx.facts.unresolved.length === unresolvedBefore) {
    for (const fn of listFns) {
      const node = ctx.functionNodes.get(fn.id);
      if (node) ctx.unresolved(node, 'list_tools handler whose Tool(...) definitions are not in this file');
    }
  }
  for (const dispatch of dispatches) {
    if (dispatch.handlers.size === 0) {
      const node = ctx.functionNodes.get(dispatch.dispatcher.id);
      if (node) ctx.unresolved(node, 'call_tool handler without an understandable dispatch on the tool name');
    }
  }
}

function handlerFor(key: string | undefined, dispatches: Dispatch[]): RegistrationFact['handler'] {
  if (key !== undefined) {
    for (const dispatch of dispatches) {
      const handler = dispatch.handlers.get(key);
      if (handler) return handler;
    }
  }
  const only = dispatches.length === 1 ? dispatches[0] : undefined;
  return only ? { kind: 'function', id: only.dispatcher.id } : null;
}

/** The dispatch key of a tool name: its literal value, an enum member's value, or the dotted name. */
function toolKey(ctx: FileContext, name: Expr): string | undefined {
  if (name.k === 'str') return name.value;
  const parts: string[] = [];
  let current: Expr = name;
  while (current.k === 'attr' && parts.length < 20) {
    parts.unshift(current.name);
    current = current.object;
  }
  if (current.k !== 'name' || parts.length === 0) return undefined;
  parts.unshift(current.name);
  return resolveKey(ctx, DOTTED_PREFIX + parts.join('.'));
}

/** DOTTED_PREFIX + `Cls.NAME` → the string assigned to NAME in class Cls of this file, if any. */
function resolveKey(ctx: FileContext, value: string): string {
  if (!value.startsWith(DOTTED_PREFIX)) return value;
  const dotted = value.slice(DOTTED_PREFIX.length);
  const dot = dotted.lastIndexOf('.');
  const cls = ctx.classesByName.get(dotted.slice(0, dot));
  const field = cls?.fields.find((f) => f.name === dotted.slice(dot + 1))?.value;
  return field?.k === 'str' ? field.value : value;
}

/** `Tool`, `types.Tool`, `mcp.types.Tool` imported from an MCP module (not `Tool.from_function`). */
function isMcpToolConstructor(imports: ImportTable, call: Call): boolean {
  const resolved = imports.resolve(call.callee);
  return resolved?.family === 'mcp' && resolved.name === 'Tool' && calleeName(call) !== 'from_function';
}

/** A JSON Schema literal, or `Model.model_json_schema()` for a pydantic class in this file. */
function schemaParams(ctx: FileContext, schema: Expr): RegistrationFact['params'] | undefined {
  const direct = jsonSchemaParams(schema);
  if (direct) return direct;
  if (schema.k === 'call' && schema.callee.k === 'attr' && schema.callee.object.k === 'name') {
    if (schema.callee.name === 'model_json_schema' || schema.callee.name === 'schema') {
      return modelParams(ctx, schema.callee.object.name);
    }
  }
  if (schema.k === 'name') {
    const assigned = ctx.moduleAssignments().get(schema.name);
    if (assigned) return jsonSchemaParams(assigned);
  }
  return undefined;
}

function readDispatch(
  ctx: FileContext,
  dispatcher: FunctionFact,
  functionsById: Map<string, FunctionFact>,
): Dispatch {
  const handlers = new Map<string, RegistrationFact['handler']>();
  const subjects = new Set<string>();
  const first = dispatcher.params.find((p) => p.name !== 'self' && p.name !== 'cls');
  if (first) subjects.add(first.name);
  // `tool_name = name` style aliases at the top of the dispatcher.
  for (const stmt of dispatcher.body) {
    if (
      stmt.k === 'assign' &&
      stmt.target.k === 'name' &&
      stmt.value.k === 'name' &&
      subjects.has(stmt.value.name)
    ) {
      subjects.add(stmt.target.name);
    }
  }
  const branches = new Map<string, { body: Stmt[]; line: number }>();
  collectBranches(ctx, dispatcher.body, subjects, [], branches, 0);
  for (const [tool, branch] of branches) {
    const label = tool.startsWith(DOTTED_PREFIX) ? tool.slice(DOTTED_PREFIX.length) : tool;
    const id = ctx.uniqueId(`${dispatcher.id}#${label}`, branch.line);
    const fn: FunctionFact = {
      id,
      name: `${dispatcher.name}#${label}`,
      params: dispatcher.params.map((p) => ({ ...p })),
      line: branch.line,
      endLine: dispatcher.endLine,
      body: branch.body,
      decorators: [],
    };
    if (dispatcher.className) fn.className = dispatcher.className;
    ctx.facts.functions.push(fn);
    functionsById.set(id, fn);
    handlers.set(tool, { kind: 'function', id });
  }
  for (const [tool, handler] of dictDispatch(ctx, dispatcher, subjects, functionsById)) {
    if (!handlers.has(tool)) handlers.set(tool, handler);
  }
  return { dispatcher, handlers };
}

/** `if name == "x":` / `elif` / `case "x":` branches, each with the statements that run before it. */
function collectBranches(
  ctx: FileContext,
  stmts: Stmt[],
  subjects: Set<string>,
  prefix: Stmt[],
  out: Map<string, { body: Stmt[]; line: number }>,
  depth: number,
): void {
  if (depth > 50) return;
  for (let i = 0; i < stmts.length; i++) {
    const stmt = stmts[i] as Stmt;
    const before = i === 0 ? prefix : [...prefix, ...stmts.slice(0, i)];
    if (stmt.k === 'if') {
      const test = ctx.dispatchTests.get(stmt);
      if (test && subjects.has(test.subject)) {
        for (const value of test.values) {
          const key = resolveKey(ctx, value);
          if (!out.has(key)) out.set(key, { body: [...before, ...stmt.body], line: stmt.line });
        }
      } else {
        collectBranches(ctx, stmt.body, subjects, before, out, depth + 1);
      }
      collectBranches(ctx, stmt.orelse, subjects, before, out, depth + 1);
    } else if (stmt.k === 'block' || stmt.k === 'with') {
      collectBranches(ctx, stmt.body, subjects, before, out, depth + 1);
    }
  }
}

/** `HANDLERS[name](arguments)` / `HANDLERS.get(name)` with `HANDLERS = {"x": fn, …}` in this file. */
function dictDispatch(
  ctx: FileContext,
  dispatcher: FunctionFact,
  subjects: Set<string>,
  functionsById: Map<string, FunctionFact>,
): Map<string, RegistrationFact['handler']> {
  const out = new Map<string, RegistrationFact['handler']>();
  const tables = new Set<string>();
  visitExprs(dispatcher.body, (expr) => {
    if (
      expr.k === 'index' &&
      expr.object.k === 'name' &&
      expr.index.k === 'name' &&
      subjects.has(expr.index.name)
    ) {
      tables.add(expr.object.name);
    } else if (
      expr.k === 'call' &&
      expr.callee.k === 'attr' &&
      expr.callee.name === 'get' &&
      expr.callee.object.k === 'name' &&
      expr.args[0]?.k === 'name' &&
      subjects.has(expr.args[0].name)
    ) {
      tables.add(expr.callee.object.name);
    }
  });
  for (const table of tables) {
    let value: Expr | undefined;
    for (const stmt of dispatcher.body) {
      if (stmt.k === 'assign' && stmt.target.k === 'name' && stmt.target.name === table) value = stmt.value;
    }
    value ??= ctx.moduleAssignments().get(table);
    if (value?.k !== 'object') continue;
    for (const prop of value.props) {
      if (prop.key === null) continue;
      const handler = prop.value;
      if (handler.k === 'name' && functionsById.has(handler.name))
        out.set(prop.key, { kind: 'function', id: handler.name });
      else if (handler.k === 'func') out.set(prop.key, { kind: 'function', id: handler.id });
      else out.set(prop.key, { kind: 'expr', expr: handler });
    }
  }
  return out;
}

/** Every expression under the statements, iteratively (the IR is depth-capped, but stay safe). */
function visitExprs(stmts: Stmt[], visit: (expr: Expr) => void): void {
  const stmtStack: Stmt[] = [...stmts];
  const exprStack: Expr[] = [];
  while (stmtStack.length > 0 || exprStack.length > 0) {
    const expr = exprStack.pop();
    if (expr) {
      visit(expr);
      switch (expr.k) {
        case 'attr':
          exprStack.push(expr.object);
          break;
        case 'index':
          exprStack.push(expr.object, expr.index);
          break;
        case 'call':
          exprStack.push(expr.callee, ...expr.args, ...expr.kwargs.map((kw) => kw.value));
          break;
        case 'concat':
        case 'other':
          exprStack.push(...expr.parts);
          break;
        case 'object':
          exprStack.push(...expr.props.map((p) => p.value));
          break;
        case 'array':
          exprStack.push(...expr.items);
          break;
        case 'choice':
          exprStack.push(...expr.options);
          if (expr.test) exprStack.push(expr.test);
          break;
        default:
          break;
      }
      continue;
    }
    const stmt = stmtStack.pop() as Stmt;
    switch (stmt.k) {
      case 'assign':
      case 'expr':
        exprStack.push(stmt.value);
        break;
      case 'return':
      case 'throw':
        if (stmt.value) exprStack.push(stmt.value);
        break;
      case 'if':
        exprStack.push(stmt.test);
        stmtStack.push(...stmt.body, ...stmt.orelse);
        break;
      case 'loop':
        if (stmt.iter) exprStack.push(stmt.iter);
        stmtStack.push(...stmt.body);
        break;
      case 'with':
        exprStack.push(...stmt.items.map((item) => item.value));
        stmtStack.push(...stmt.body);
        break;
      case 'block':
        stmtStack.push(...stmt.body);
        break;
    }
  }
}
