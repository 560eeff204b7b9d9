// Registrations inside loops over lists of tool definitions:
//   for (const t of TOOLS) server.tool(t.name, t.description, t.inputSchema, handler)
//   TOOLS.forEach((t) => server.registerTool(t.name, { … }, HANDLERS[t.name]))
// When the list is written in this file, each element that is a tool definition becomes one
// registration (at the definition's `name` line), its handler the definition's own, else the
// entry of a same-file handler map indexed by the tool's name, else the loop's handler. A list
// imported from another file cannot be enumerated here: its definitions are registrations where
// they are written (definition-registrations.ts), and the loop is listed as not understood.

import type { Expr, FunctionFact, RegistrationFact } from '../facts.js';
import { definitionFramework } from './definition-registrations.js';
import { dottedName, exprChildren, forEachStmt, stmtExprs } from './ir-util.js';
import type { RegistrationFinder } from './registrations.js';
import { nameKeyOffset, readToolDefinition } from './tool-definitions.js';

type Call = Extract<Expr, { k: 'call' }>;

const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap']);
/** Calls that return (a subset of) their receiver's elements. */
const PASS_THROUGH_METHODS = new Set(['filter', 'slice', 'concat', 'sort', 'toSorted', 'reverse']);

export interface LoopBinding {
  /** The list iterated. */
  iter: Expr;
  /** The function whose body is the loop's body (a callback), or the function holding the `for`. */
  bodyOf: string;
}

/** Loop variables per function: `fnId\0name` → what it iterates. */
export function collectLoopBindings(functions: FunctionFact[]): Map<string, LoopBinding> {
  const out = new Map<string, LoopBinding>();
  const byId = new Map(functions.map((f) => [f.id, f]));
  for (const fn of functions) {
    forEachStmt(fn.body, (s) => {
      if (s.k === 'loop' && s.iter && s.target) {
        const t = s.target;
        // `for (const [key, tool] of Object.entries(X))` binds the value positionally.
        const bound =
          t.k === 'name'
            ? t.name
            : t.k === 'pattern' && t.items[1]?.target.k === 'name'
              ? t.items[1].target.name
              : undefined;
        if (bound) out.set(`${fn.id}\0${bound}`, { iter: s.iter, bodyOf: fn.id });
      }
      let budget = 2_000;
      const stack = [...stmtExprs(s)];
      while (stack.length > 0 && budget-- > 0) {
        const e = stack.pop() as Expr;
        if (e.k === 'call' && e.callee.k === 'attr' && ITERATING_METHODS.has(e.callee.name)) {
          const cb = e.args[0];
          const cbFn = cb?.k === 'func' ? byId.get(cb.id) : undefined;
          const param = cbFn?.params[0];
          if (cbFn && param && !param.destructured) {
            out.set(`${cbFn.id}\0${param.name}`, { iter: e.callee.object, bodyOf: cbFn.id });
          }
        }
        if (e.k !== 'func') stack.push(...exprChildren(e));
      }
    });
  }
  return out;
}

function rootOf(e: Expr): string | undefined {
  let cur = e;
  for (let i = 0; i < 16; i++) {
    if (cur.k === 'name') return cur.name;
    if (cur.k !== 'attr' && cur.k !== 'index') return undefined;
    cur = cur.object;
  }
  return undefined;
}

const OPENAPI_WORDS = new Set(['operationId', 'paths', 'openapi', 'swagger', 'operations', 'spec']);

function mentionsOpenApi(e: Expr): boolean {
  let budget = 200;
  const stack = [e];
  while (stack.length > 0 && budget-- > 0) {
    const cur = stack.pop() as Expr;
    if (cur.k === 'attr' && OPENAPI_WORDS.has(cur.name)) return true;
    if (cur.k === 'name' && /openapi|swagger/i.test(cur.name)) return true;
    stack.push(...exprChildren(cur));
  }
  return false;
}

function describeList(e: Expr): string {
  const path = dottedName(e);
  if (path) return path.join('.');
  if (e.k === 'call') {
    const callee = dottedName(e.callee);
    const arg = e.args[0] ? dottedName(e.args[0]) : null;
    if (callee) return `${callee.join('.')}(${arg ? arg.join('.') : '…'})`;
  }
  return 'a list';
}

/** `t.name` / `t['name']` → `t`. */
export function loopVariableOfName(name: Expr): string | undefined {
  if (name.k === 'attr' && name.name === 'name' && name.object.k === 'name') return name.object.name;
  if (name.k === 'index' && name.object.k === 'name' && name.index.k === 'str' && name.index.value === 'name')
    return name.object.name;
  return undefined;
}

type Elements = { kind: 'listed'; items: Expr[] } | { kind: 'imported'; name: string } | { kind: 'unknown' };

function elementsOf(host: RegistrationFinder, list: Expr, depth: number): Elements {
  if (depth > 6) return { kind: 'unknown' };
  const r = host.consts.resolve(list);
  if (r.k === 'name' && host.importOf.has(r.name)) return { kind: 'imported', name: r.name };
  if (r.k === 'call') {
    const path = dottedName(r.callee)?.join('.');
    if ((path === 'Object.values' || path === 'Object.entries') && r.args[0]) {
      const obj = host.consts.resolve(r.args[0]);
      if (obj.k === 'object') return { kind: 'listed', items: obj.props.map((p) => p.value) };
      return elementsOf(host, r.args[0], depth + 1);
    }
    if (r.callee.k === 'attr' && PASS_THROUGH_METHODS.has(r.callee.name))
      return elementsOf(host, r.callee.object, depth + 1);
    return { kind: 'unknown' };
  }
  if (r.k !== 'array') return { kind: 'unknown' };
  const items: Expr[] = [];
  for (const item of r.items) {
    if (host.ctx.spreads.has(item) && item.k === 'other' && item.parts[0]) {
      const inner = elementsOf(host, item.parts[0], depth + 1);
      if (inner.kind !== 'listed') return inner;
      items.push(...inner.items);
    } else items.push(item);
  }
  return { kind: 'listed', items };
}

/** `MAP[t.name]` anywhere in the loop body with `MAP` a same-file object: the handler map. */
function handlerMap(
  host: RegistrationFinder,
  body: FunctionFact | undefined,
  variable: string,
): Extract<Expr, { k: 'object' }> | undefined {
  if (!body) return undefined;
  let found: Extract<Expr, { k: 'object' }> | undefined;
  let budget = 5_000;
  forEachStmt(body.body, (s) => {
    const stack = [...stmtExprs(s)];
    while (stack.length > 0 && budget-- > 0 && !found) {
      const e = stack.pop() as Expr;
      if (e.k === 'index' && loopVariableOfName(e.index) === variable) {
        const map = host.consts.resolve(e.object);
        if (map.k === 'object') found = map;
      }
      stack.push(...exprChildren(e));
    }
  });
  return found;
}

/** `MAP[t.name]` in the loop body with `MAP` not a same-file object (imported): for the engine. */
function openHandlerMaps(host: RegistrationFinder, body: FunctionFact | undefined, variable: string): Expr[] {
  const out: Expr[] = [];
  if (!body) return out;
  let budget = 5_000;
  forEachStmt(body.body, (s) => {
    const stack = [...stmtExprs(s)];
    while (stack.length > 0 && budget-- > 0) {
      const e = stack.pop() as Expr;
      if (e.k === 'index' && loopVariableOfName(e.index) === variable) {
        const map = host.consts.resolve(e.object);
        if (map.k !== 'object' && dottedName(map) && !out.includes(map)) out.push(map);
      }
      stack.push(...exprChildren(e));
    }
  });
  return out;
}

/**
 * Handles a registration call whose tool name is `v.name` for a loop variable `v`. Returns false
 * when the name is not a loop variable's (the caller then reports it as usual).
 */
export function registerLoop(
  host: RegistrationFinder,
  call: Call,
  nameArg: Expr,
  handlerArg: Expr | undefined,
  currentFn: string,
): boolean {
  const variable = loopVariableOfName(nameArg);
  const root = variable ?? rootOf(nameArg);
  const binding = root === undefined ? undefined : host.loopBindings.get(`${currentFn}\0${root}`);
  if (!binding) return false;
  const what = describeList(binding.iter);
  if (!variable) {
    // `server.tool(op.operationId, …)` per element of data: nothing to enumerate statically.
    const source = mentionsOpenApi(nameArg) || mentionsOpenApi(binding.iter) ? 'an OpenAPI document' : 'data';
    host.unresolved(
      call,
      `tools are built at run time from ${source}: one registration per element of \`${what}\``,
    );
    return true;
  }
  const elements = elementsOf(host, binding.iter, 0);
  if (elements.kind === 'imported') {
    // `HANDLERS[t.name]` over a map from another file: the package-level step links each
    // definition to the map's entry of its name (flow/dispatch.ts).
    const maps = openHandlerMaps(host, host.functionById(binding.bodyOf), variable);
    if (maps.length > 0) {
      if (!host.ctx.facts.dispatches) host.ctx.facts.dispatches = [];
      host.ctx.facts.dispatches.push({ line: call.line, branches: [], maps });
    }
    const linked =
      maps.length > 0
        ? `linked through \`${dottedName(maps[0] as Expr)?.join('.') ?? 'a handler map'}\``
        : 'without this handler';
    host.unresolved(
      call,
      `registers each tool of \`${elements.name}\`, a list from another file: its definitions are listed where they are written, ${linked}`,
    );
    return true;
  }
  if (elements.kind === 'unknown') {
    host.unresolved(call, `registers each tool of \`${what}\`, a list built at run time`);
    return true;
  }
  const body = host.functionById(binding.bodyOf);
  const map = handlerMap(host, body, variable);
  let missed = 0;
  for (const item of elements.items) {
    const obj = host.consts.resolve(item);
    const shape =
      obj.k === 'object'
        ? readToolDefinition(host.consts, obj, {
            isFunction: (x) => host.isFunctionValue(x),
            isImported: (n) => host.importOf.has(n),
          })
        : undefined;
    if (!shape || obj.k !== 'object') {
      missed++;
      continue;
    }
    host.claimed.add(obj);
    host.claimed.add(shape.def);
    const folded = host.consts.resolve(shape.name);
    const mapped =
      map && folded.k === 'str' ? map.props.find((p) => p.key === folded.value)?.value : undefined;
    const start = host.ctx.starts.get(shape.def) ?? host.ctx.starts.get(obj);
    const offset = start === undefined ? undefined : (nameKeyOffset(host.ctx.source, start) ?? start);
    const reg: RegistrationFact = {
      framework: host.libs.has('mcp') ? 'mcp-sdk' : definitionFramework(host, shape.schemaKey),
      line: offset === undefined ? call.line : host.ctx.lines.line(offset),
      column: offset === undefined ? call.column : host.ctx.lines.column(offset),
      name: shape.name,
      description: shape.description,
      params: [],
      schema: shape.schema,
      handler: host.handler(shape.handler ?? mapped ?? handlerArg),
    };
    host.push(reg);
  }
  if (missed > 0) {
    host.unresolved(
      call,
      `tool name computed at run time: ${missed} element(s) of \`${what}\` are not tool definitions written in this file`,
    );
  }
  return true;
}
