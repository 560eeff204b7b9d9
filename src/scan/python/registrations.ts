// Tool registrations recognised by shape and attributed to a framework by the file's imports:
// decorators (`@mcp.tool()`, `@tool`, `@function_tool`), registration calls (`add_tool`,
// `StructuredTool.from_function`, `Tool(...)`) and tool classes (`BaseTool`, smolagents `Tool`).
// Low-level MCP servers are handled in lowlevel-mcp.ts.

import { type Expr, type FunctionFact, MODULE_FUNCTION_ID, type RegistrationFact } from '../facts.js';
import type { CandidateCall, FileContext } from './context.js';
import { calleeName, FAMILY_FRAMEWORK, ImportTable } from './frameworks.js';
import { findLowLevelRegistrations } from './lowlevel-mcp.js';
import type { PyNode } from './syntax-tree.js';
import { classRegistration } from './tool-classes.js';
import { applyArgsSchema, signatureParams } from './tool-params.js';
import { findToolTables, loopFunctions } from './tool-tables.js';

type Call = Extract<Expr, { k: 'call' }>;
type Framework = RegistrationFact['framework'];

export function findRegistrations(ctx: FileContext): void {
  const imports = new ImportTable(ctx.facts.imports);
  const decoratorExprs = new Set<Expr>();
  const functionsById = new Map<string, FunctionFact>();
  for (const fn of ctx.facts.functions) {
    functionsById.set(fn.id, fn);
    fn.decorators.forEach((decorator, index) => {
      decoratorExprs.add(decorator);
      decoratorRegistration(ctx, imports, fn, decorator, index);
    });
  }
  for (const call of ctx.candidateCalls) {
    if (!decoratorExprs.has(call.expr)) callRegistration(ctx, imports, call, functionsById);
  }
  for (const cls of ctx.facts.classes) classRegistration(ctx, imports, cls);
  findLowLevelRegistrations(ctx, imports, functionsById);
  findToolTables(ctx, imports);
  ctx.facts.registrations.sort((a, b) => a.line - b.line || a.column - b.column);
  ctx.facts.unresolved.sort((a, b) => a.line - b.line || a.column - b.column);
}

function kwarg(call: Call, ...names: string[]): Expr | undefined {
  for (const name of names) {
    const found = call.kwargs.find((kw) => kw.name === name);
    if (found) return found.value;
  }
  return undefined;
}

function hasSplat(ctx: FileContext, call: Call): boolean {
  return call.kwargs.some((kw) => kw.name === '**') || call.args.some((a) => ctx.starArgs.has(a));
}

/**
 * Which framework a `<server>.tool` registration belongs to. A module-level `server = X(...)`
 * decides by where `X` is imported from (`FastMCP` → MCP, pydantic-ai's `Agent` → unknown);
 * otherwise (a parameter, an object imported from a sibling module) the file's imports decide.
 */
function serverFramework(ctx: FileContext, imports: ImportTable, receiver: Expr): Framework {
  if (receiver.k === 'name') {
    const imported = imports.get(receiver.name);
    if (imported) return imported.family === 'mcp' ? 'mcp-fastmcp' : 'unknown';
    const value = ctx.moduleAssignments().get(receiver.name);
    if (value?.k === 'call') {
      const origin = imports.resolve(value.callee);
      if (origin) return origin.family === 'mcp' ? 'mcp-fastmcp' : 'unknown';
    }
  }
  return imports.families.has('mcp') ? 'mcp-fastmcp' : 'unknown';
}

/** Where a decorator starts (`@`), from the decorated definition's syntax. */
function decoratorNode(ctx: FileContext, fn: FunctionFact, index: number): PyNode | undefined {
  const outer = ctx.functionNodes.get(fn.id);
  if (outer?.type !== 'decorated_definition') return undefined;
  let seen = 0;
  for (const child of outer.children) {
    if (child.type === 'decorator') {
      if (seen === index) return child;
      seen++;
    }
  }
  return undefined;
}

function docDescription(fn: FunctionFact): Expr | null {
  return fn.doc ? { k: 'str', value: fn.doc } : null;
}

function decoratorRegistration(
  ctx: FileContext,
  imports: ImportTable,
  fn: FunctionFact,
  decorator: Expr,
  index: number,
): void {
  const target = decorator.k === 'call' ? decorator.callee : decorator;
  const name = calleeName(decorator);
  if (!name || (target.k !== 'name' && target.k !== 'attr')) return;
  const resolved = imports.resolve(target);
  const node = decoratorNode(ctx, fn, index);
  const line = node ? ctx.line(node) : fn.line;
  const column = node ? ctx.column(node) : 1;
  const call = decorator.k === 'call' ? decorator : undefined;
  const base = (framework: Framework): RegistrationFact => ({
    framework,
    line,
    column,
    name: null,
    defaultName: fn.name,
    description: docDescription(fn),
    params: signatureParams(fn),
    handler: { kind: 'function', id: fn.id },
  });
  const reject = (reason: string): void => {
    if (node) ctx.unresolved(node, reason);
    else ctx.facts.unresolved.push({ line, column, reason, snippet: fn.name });
  };

  // Framework decorator functions imported by name: `@tool`, `@tool("x")`, `@function_tool(...)`.
  if (resolved?.family && resolved.family !== 'mcp') {
    const family = resolved.family;
    if (resolved.name === 'function_tool' && family === 'openai-agents') {
      if (call && hasSplat(ctx, call)) {
        reject('function_tool options passed as **kwargs');
        return;
      }
      const reg = base('openai-agents');
      if (call) {
        const nameExpr = kwarg(call, 'name_override');
        if (nameExpr) reg.name = nameExpr;
        const description = kwarg(call, 'description_override');
        if (description) reg.description = description;
      }
      ctx.facts.registrations.push(reg);
      return;
    }
    if (resolved.name !== 'tool' || family === 'openai-agents') return;
    if (call && hasSplat(ctx, call)) {
      reject(`@${name}(...) options passed as **kwargs`);
      return;
    }
    const reg = base(FAMILY_FRAMEWORK[family]);
    if (call) {
      const first = call.args[0];
      const nameExpr = kwarg(call, 'name', 'name_or_callable') ?? first;
      if (nameExpr) reg.name = nameExpr;
      const description = kwarg(call, 'description');
      if (description) reg.description = description;
      applyArgsSchema(ctx, reg, kwarg(call, 'args_schema'));
    }
    ctx.facts.registrations.push(reg);
    return;
  }

  if (target.k === 'attr' && name === 'tool') {
    // `@<server>.tool` on any object: the FastMCP shape (also fastmcp 2.x). Attributed to MCP
    // when the file imports it; a server object imported from a sibling module stays `unknown`.
    const framework = serverFramework(ctx, imports, target.object);
    if (call && hasSplat(ctx, call)) {
      reject('@<server>.tool(...) options passed as **kwargs');
      return;
    }
    const reg = base(framework);
    if (call) {
      const nameExpr = kwarg(call, 'name') ?? call.args[0];
      if (nameExpr) reg.name = nameExpr;
      const description = kwarg(call, 'description');
      if (description) reg.description = description;
    }
    ctx.facts.registrations.push(reg);
    return;
  }

  // `@tool` neither defined here nor imported from a known framework (`from .registry import tool`,
  // `from helpers import *`): it looks like a registration we cannot attribute.
  const definedHere = ctx.functionNodes.has(name);
  if (
    target.k === 'name' &&
    (name === 'tool' || name === 'function_tool') &&
    !resolved?.family &&
    !definedHere
  ) {
    reject(`@${name} is not imported from a known agent framework`);
  }
}

function handlerFor(
  expr: Expr | undefined,
  functionsById: Map<string, FunctionFact>,
  scope: string,
): RegistrationFact['handler'] {
  if (!expr) return null;
  if (expr.k === 'name') {
    // A function defined in the registering function (`build.helper`), else at module level.
    const local = scope === MODULE_FUNCTION_ID ? undefined : `${scope}.${expr.name}`;
    if (local && functionsById.has(local)) return { kind: 'function', id: local };
    if (functionsById.has(expr.name)) return { kind: 'function', id: expr.name };
  }
  if (expr.k === 'func') return { kind: 'function', id: expr.id };
  return { kind: 'expr', expr };
}

function handlerFunction(
  handler: RegistrationFact['handler'],
  functionsById: Map<string, FunctionFact>,
): FunctionFact | undefined {
  return handler?.kind === 'function' ? functionsById.get(handler.id) : undefined;
}

function callRegistration(
  ctx: FileContext,
  imports: ImportTable,
  candidate: CandidateCall,
  functionsById: Map<string, FunctionFact>,
): void {
  const call = candidate.expr;
  const callee = call.callee;
  const name = calleeName(call);
  const line = call.line;
  const column = call.column;
  const make = (
    framework: Framework,
    nameExpr: Expr | undefined,
    description: Expr | undefined,
    handlerExpr: Expr | undefined,
  ): RegistrationFact => {
    const handler = handlerFor(handlerExpr, functionsById, candidate.functionId);
    const fn = handlerFunction(handler, functionsById);
    const reg: RegistrationFact = {
      framework,
      line,
      column,
      name: nameExpr ?? null,
      description: description ?? (fn ? docDescription(fn) : null),
      params: fn ? signatureParams(fn) : [],
      handler,
    };
    if (!nameExpr && fn) reg.defaultName = fn.name;
    else if (!nameExpr && handlerExpr?.k === 'name') reg.defaultName = handlerExpr.name;
    return reg;
  };

  // Decorators applied by hand: `mcp.tool(name=...)(fn)`, `tool("name")(fn)`, `function_tool()(fn)`.
  if (callee.k === 'call') {
    const factory = callee;
    const fnExpr = call.args[0];
    const target = factory.callee;
    if (!fnExpr || (target.k !== 'attr' && target.k !== 'name')) return;
    const origin = imports.resolve(target);
    if (hasSplat(ctx, factory) || ctx.starArgs.has(fnExpr)) {
      ctx.unresolved(candidate.node, 'tool registration arguments passed as *args/**kwargs');
      return;
    }
    if (target.k === 'attr' && target.name === 'tool' && !origin?.family) {
      const framework = serverFramework(ctx, imports, target.object);
      const nameExpr = kwarg(factory, 'name') ?? factory.args[0];
      ctx.facts.registrations.push(make(framework, nameExpr, kwarg(factory, 'description'), fnExpr));
    } else if (origin?.family === 'openai-agents' && origin.name === 'function_tool') {
      const reg = make(
        'openai-agents',
        kwarg(factory, 'name_override'),
        kwarg(factory, 'description_override'),
        fnExpr,
      );
      ctx.facts.registrations.push(reg);
    } else if (
      origin?.family &&
      origin.family !== 'mcp' &&
      origin.family !== 'openai-agents' &&
      origin.name === 'tool'
    ) {
      const nameExpr = kwarg(factory, 'name') ?? factory.args[0];
      const reg = make(FAMILY_FRAMEWORK[origin.family], nameExpr, kwarg(factory, 'description'), fnExpr);
      applyArgsSchema(ctx, reg, kwarg(factory, 'args_schema'));
      ctx.facts.registrations.push(reg);
    }
    return;
  }

  // FastMCP `mcp.add_tool(fn, name=..., description=...)` / `mcp.add_tool(Tool.from_function(fn, ...))`.
  if (name === 'add_tool' && callee.k === 'attr' && imports.families.has('mcp')) {
    if (hasSplat(ctx, call)) {
      ctx.unresolved(candidate.node, 'add_tool(...) arguments passed as *args/**kwargs');
      return;
    }
    let inner: Call = call;
    const first = call.args[0];
    if (first?.k === 'call' && calleeName(first) === 'from_function') inner = first;
    const fnExpr = inner.args[0] ?? kwarg(inner, 'fn', 'func');
    if (!fnExpr) {
      ctx.unresolved(candidate.node, 'add_tool(...) without a function');
      return;
    }
    if (candidate.inLoop) {
      const listed = loopFunctions(ctx, functionsById.get(candidate.functionId), fnExpr, call.line);
      if (listed === 'unknown') {
        ctx.unresolved(candidate.node, 'add_tool(...) in a loop over a list built at run time');
        return;
      }
      if (listed) {
        for (const item of listed) {
          ctx.facts.registrations.push(
            make('mcp-fastmcp', kwarg(inner, 'name'), kwarg(inner, 'description'), item),
          );
        }
        return;
      }
    }
    ctx.facts.registrations.push(
      make('mcp-fastmcp', kwarg(inner, 'name'), kwarg(inner, 'description'), fnExpr),
    );
    return;
  }

  const resolved = imports.resolve(callee.k === 'attr' && name === 'from_function' ? callee.object : callee);
  if (!resolved?.family) return;

  if (resolved.family === 'langchain' && (resolved.name === 'StructuredTool' || resolved.name === 'Tool')) {
    const isFromFunction = name === 'from_function';
    if (hasSplat(ctx, call)) {
      ctx.unresolved(candidate.node, `${resolved.name}(...) arguments passed as *args/**kwargs`);
      return;
    }
    // Positional order: Tool(name, func, description); from_function(func, name, description).
    const positional = isFromFunction ? ['func', 'name', 'description'] : ['name', 'func', 'description'];
    const arg = (key: string): Expr | undefined => {
      const at = positional.indexOf(key);
      return kwarg(call, key) ?? (at >= 0 ? call.args[at] : undefined);
    };
    const handlerExpr = arg('func') ?? kwarg(call, 'coroutine');
    if (!handlerExpr) {
      ctx.unresolved(candidate.node, `${resolved.name}(...) without a function`);
      return;
    }
    if (candidate.inLoop && arg('name')?.k !== 'str') {
      ctx.unresolved(candidate.node, `${resolved.name}(...) built in a loop from data`);
      return;
    }
    const reg = make('langchain', arg('name'), arg('description'), handlerExpr);
    applyArgsSchema(ctx, reg, kwarg(call, 'args_schema'));
    ctx.facts.registrations.push(reg);
    return;
  }

  // Call forms of the decorators: `tool(fn)`, `function_tool(fn)`.
  if (name === 'tool' || name === 'function_tool') {
    const fnExpr = call.args[0];
    if (!fnExpr || fnExpr.k === 'str') return; // `tool("name")` alone is a decorator factory
    if (resolved.name === 'function_tool' && resolved.family === 'openai-agents') {
      const reg = make(
        'openai-agents',
        kwarg(call, 'name_override'),
        kwarg(call, 'description_override'),
        fnExpr,
      );
      ctx.facts.registrations.push(reg);
    } else if (resolved.name === 'tool' && resolved.family !== 'mcp' && resolved.family !== 'openai-agents') {
      const reg = make(
        FAMILY_FRAMEWORK[resolved.family],
        kwarg(call, 'name'),
        kwarg(call, 'description'),
        fnExpr,
      );
      applyArgsSchema(ctx, reg, kwarg(call, 'args_schema'));
      ctx.facts.registrations.push(reg);
    }
  }
}
