// Low-level MCP servers: `setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...] }))`
// lists the tools; `setRequestHandler(CallToolRequestSchema, (request) => …)` dispatches on
// `request.params.name` (switch, if-chains, or a handler map). Each dispatch branch becomes a
// synthetic FunctionFact `CallTool#NAME` (the dispatcher's params, its prelude statements, then
// the branch body) so effects are attributed per tool.

import type { Expr, FunctionFact, RegistrationFact } from '../facts.js';
import type { FileContext } from './context.js';
import { type Constants, dottedName, exprChildren, forEachStmt, objectProp, stmtExprs } from './ir-util.js';
import { snippetAt } from './lines.js';
import {
  addDispatch,
  type Dispatch,
  dispatchFact,
  findDispatchFunctions,
  requestNameAccess,
  synthesiseBranches,
  toolNameVariables,
} from './name-dispatch.js';
import { unwrapSchema } from './tool-definitions.js';

export interface RequestHandlerCall {
  call: Extract<Expr, { k: 'call' }>;
  schema: Expr;
  handler: Expr;
}

type HandlerOf = (e: Expr | undefined) => RegistrationFact['handler'];

function schemaName(e: Expr): string | undefined {
  const path = dottedName(e);
  return path?.[path.length - 1];
}

/** What the definition pass needs from the low-level recogniser. */
export interface LowLevelResult {
  /** The handler a tool of this name gets from the file's CallTool dispatch, or null without one. */
  handlerFor: (name: string) => RegistrationFact['handler'];
  /**
   * ListTools handlers whose list could not be read: reported unless tool definitions were found
   * written inside them (then the list is understood through those definitions).
   */
  unreadableLists: { startLine: number; endLine: number; report: () => void }[];
  /** ListTools entries that are calls: reported unless the definition pass instantiated them. */
  unreadableEntries: { entry: Expr; report: () => void }[];
}

function dispatchHandler(
  dispatches: Dispatch[],
  key: string | undefined,
  handlerOf: HandlerOf,
): RegistrationFact['handler'] {
  let handler: RegistrationFact['handler'] = null;
  for (const d of dispatches) {
    const branch = key !== undefined ? d.branches.get(key) : undefined;
    const mapped = key !== undefined ? d.mapHandlers.get(key) : undefined;
    if (branch) return { kind: 'function', id: branch };
    if (mapped) return handlerOf(mapped);
    handler = { kind: 'function', id: d.dispatcherId };
  }
  return handler;
}

export function findLowLevelRegistrations(
  ctx: FileContext,
  consts: Constants,
  calls: RequestHandlerCall[],
  handlerOf: HandlerOf,
  claimed: WeakSet<Expr>,
): LowLevelResult {
  const result: LowLevelResult = { handlerFor: () => null, unreadableLists: [], unreadableEntries: [] };
  const byId = new Map<string, FunctionFact>();
  for (const f of ctx.facts.functions) byId.set(f.id, f);
  const fnOf = (handler: Expr): FunctionFact | undefined => {
    let e = unwrapHandlerWrappers(handler);
    // `this.handleList.bind(this)` / `this.handleList`: a method of the enclosing class.
    if (e.k === 'call' && e.callee.k === 'attr' && e.callee.name === 'bind') e = e.callee.object;
    if (e.k === 'attr' && e.object.k === 'name' && e.object.name === 'this') {
      const suffix = `.${e.name}`;
      const methods = ctx.facts.functions.filter((f) => f.className && f.id.endsWith(suffix));
      return methods.length === 1 ? methods[0] : undefined;
    }
    const r = e.k === 'name' ? consts.resolve(e) : e;
    if (r.k === 'func') return byId.get(r.id);
    if (e.k === 'name') return byId.get(e.name);
    return undefined;
  };
  const unresolved = (call: RequestHandlerCall['call'], reason: string, at?: number): void => {
    const offset = at ?? ctx.starts.get(call) ?? ctx.lines.offset(call.line, call.column);
    ctx.facts.unresolved.push({
      line: ctx.lines.line(offset),
      column: ctx.lines.column(offset),
      reason,
      snippet: at === undefined ? ctx.snippet(call, offset) : snippetAt(ctx.source, offset),
    });
  };

  const dispatches: Dispatch[] = [];
  for (const h of calls) {
    if (!schemaName(h.schema)?.endsWith('CallToolRequestSchema')) continue;
    const fn = fnOf(h.handler);
    if (!fn) continue;
    const d = synthesiseBranches(ctx, consts, fn, requestNameAccess(toolNameVariables(fn)));
    dispatches.push(d);
    addDispatch(ctx, dispatchFact(d, h.call.line, true));
  }
  findDispatchFunctions(ctx, consts, new Set(dispatches.map((d) => d.sourceId)));
  let listed = false;
  for (const h of calls) {
    if (!schemaName(h.schema)?.endsWith('ListToolsRequestSchema')) continue;
    listed = true;
    const fn = fnOf(h.handler);
    if (!fn) {
      unresolved(h.call, 'ListTools handler is not a function defined in this file');
      continue;
    }
    const builtReason = listBuiltAtRunTime(fn, byId);
    const tools = builtReason ? null : listedTools(ctx, consts, fn);
    if (tools === null) {
      const call = h.call;
      const reason = builtReason ?? 'ListTools handler returns a tool list that cannot be read statically';
      result.unreadableLists.push({
        startLine: fn.line,
        endLine: fn.endLine,
        report: () => unresolved(call, reason),
      });
      continue;
    }
    if (tools.length === 1 && tools[0]?.imported) {
      unresolved(h.call, `ListTools tool list \`${tools[0].imported}\` is defined in another file`);
      continue;
    }
    for (const item of tools) {
      const at = ctx.starts.get(item.expr);
      if (item.expr.k !== 'object') {
        const call = h.call;
        const reason = item.reason ?? 'ListTools entry is not an object literal';
        // A call may build a definition from a same-file template: the definition pass decides.
        if (item.expr.k === 'call')
          result.unreadableEntries.push({ entry: item.expr, report: () => unresolved(call, reason, at) });
        else unresolved(call, reason, at);
        continue;
      }
      claimed.add(item.expr);
      const name = objectProp(item.expr, 'name');
      if (!name) {
        unresolved(h.call, 'ListTools entry without a name', at);
        continue;
      }
      const offset = at ?? ctx.lines.offset(h.call.line, h.call.column);
      const reg: RegistrationFact = {
        framework: 'mcp-lowlevel',
        line: ctx.lines.line(offset),
        column: ctx.lines.column(offset),
        name,
        description: objectProp(item.expr, 'description') ?? null,
        params: [],
        handler: null,
      };
      const schema = objectProp(item.expr, 'inputSchema');
      if (schema) reg.schema = unwrapSchema(schema);
      const folded = consts.resolve(name);
      reg.handler = dispatchHandler(dispatches, folded.k === 'str' ? folded.value : undefined, handlerOf);
      ctx.facts.registrations.push(reg);
    }
  }
  if (listed) result.handlerFor = (name) => dispatchHandler(dispatches, name, handlerOf);
  if (!listed) {
    for (const h of calls) {
      if (schemaName(h.schema)?.endsWith('CallToolRequestSchema')) {
        unresolved(h.call, 'CallTool handler without a ListTools handler in this file');
      }
    }
  }
  return result;
}

const GROWING_METHODS = new Set(['push', 'unshift', 'splice']);

/**
 * `const tools = []; …forEach(… tools.push({ … }))…; return { tools }`: the list is filled at run
 * time (the empty literal would otherwise read as "no tools"). Names the source when the handler
 * reads an OpenAPI document.
 */
function listBuiltAtRunTime(fn: FunctionFact, byId: Map<string, FunctionFact>): string | undefined {
  let listName: string | undefined;
  forEachStmt(fn.body, (s) => {
    if (listName || s.k !== 'return' || !s.value) return;
    const tools = objectProp(s.value, 'tools');
    if (tools?.k === 'name') listName = tools.name;
  });
  if (!listName) return undefined;
  let grown = false;
  let openApi = false;
  let budget = 20_000;
  const stack: Expr[] = [];
  const pushBody = (f: FunctionFact): void =>
    forEachStmt(f.body, (s) => {
      for (const e of stmtExprs(s)) stack.push(e);
    });
  pushBody(fn);
  // Callbacks (`forEach((x) => tools.push(…))`) are functions of their own: walk their bodies too.
  const seen = new Set<string>([fn.id]);
  while (stack.length > 0 && budget-- > 0) {
    const e = stack.pop() as Expr;
    if (
      e.k === 'call' &&
      e.callee.k === 'attr' &&
      GROWING_METHODS.has(e.callee.name) &&
      e.callee.object.k === 'name' &&
      e.callee.object.name === listName
    )
      grown = true;
    if ((e.k === 'attr' || e.k === 'name') && /openapi|swagger/i.test(e.k === 'attr' ? e.name : e.name))
      openApi = true;
    if (e.k === 'func' && !seen.has(e.id) && seen.size < 50) {
      seen.add(e.id);
      const inner = byId.get(e.id);
      if (inner) pushBody(inner);
    }
    stack.push(...exprChildren(e));
  }
  if (!grown) return undefined;
  return openApi
    ? 'ListTools handler builds its tool list at run time from an OpenAPI document'
    : `ListTools handler builds its tool list at run time (\`${listName}.push(…)\`)`;
}

interface ListedTool {
  expr: Expr;
  reason?: string;
  /** Set when the whole list is a name imported from another module. */
  imported?: string;
}

/** The entries of `{ tools: [...] }` returned by a ListTools handler, or null when unreadable. */
function listedTools(ctx: FileContext, consts: Constants, fn: FunctionFact): ListedTool[] | null {
  let list: Expr | undefined;
  forEachStmt(fn.body, (s) => {
    if (list || s.k !== 'return' || !s.value) return;
    const value = consts.resolve(s.value);
    const tools = objectProp(value, 'tools');
    if (tools) list = tools;
  });
  if (!list) return null;
  const whole = consts.resolve(list);
  if (whole.k === 'name' && ctx.facts.imports.some((i) => i.local === whole.name)) {
    return [{ expr: whole, imported: whole.name }];
  }
  const out: ListedTool[] = [];
  let budget = 10_000;
  // Entries in order; `...OTHER` spreads are expanded in place (bounded depth for cycles).
  const expand = (e: Expr, depth: number): boolean => {
    let r = consts.resolve(e);
    // `Object.values(TOOLS)` over a same-file object of tool definitions.
    if (r.k === 'call' && r.args[0] && dottedName(r.callee)?.join('.') === 'Object.values') {
      const obj = consts.resolve(r.args[0]);
      if (obj.k === 'object') r = { k: 'array', items: obj.props.map((p) => p.value) };
    }
    if (r.k !== 'array') return false;
    for (const item of r.items) {
      if (budget-- <= 0) return true;
      if (ctx.spreads.has(item) && item.k === 'other' && item.parts[0]) {
        if (depth >= 8 || !expand(item.parts[0], depth + 1)) {
          out.push({ expr: item.parts[0], reason: 'ListTools entries spread from a list defined elsewhere' });
        }
        continue;
      }
      const entry = consts.resolve(item);
      out.push(
        entry.k === 'object'
          ? { expr: entry }
          : { expr: entry, reason: 'ListTools entry defined elsewhere or built at run time' },
      );
    }
    return true;
  };
  if (!expand(list, 0)) return null;
  return out;
}

/**
 * `withTelemetry(async (request) => …)`, `wrap('CallTool', inner(async (r) => …, 'CallTool'))`:
 * a wrapper call around the handler function. The one function argument is the handler.
 */
function unwrapHandlerWrappers(handler: Expr): Expr {
  let e = handler;
  for (let i = 0; i < 4 && e.k === 'call'; i++) {
    if (e.callee.k === 'attr' && e.callee.name === 'bind') return e;
    const candidates = e.args.filter((a) => a.k === 'func' || a.k === 'call');
    if (candidates.length !== 1) return e;
    e = candidates[0] as Expr;
  }
  return e;
}
