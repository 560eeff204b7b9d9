// Dispatch on a tool's name, the other half of a tool list: the branches of a CallTool handler
// (`switch (request.params.name)`, if-chains, `HANDLERS[name](args)`) and of dispatch functions
// it calls (`handleToolCall(name, args)` with `switch (name)`), possibly in another file. Each
// branch becomes a synthetic FunctionFact `CallTool#NAME` (the dispatcher's params, its prelude
// statements, then the branch body) so effects are attributed per tool; each dispatch is also
// recorded as a DispatchFact for the package-level link (flow/dispatch.ts), with keys that do
// not fold here (`case TOOL.name:` over an import) kept as expressions.

import type { DispatchFact, Expr, FunctionFact, Stmt } from '../facts.js';
import type { FileContext } from './context.js';
import { type Constants, exprChildren, forEachStmt, stmtExprs } from './ir-util.js';

export interface Dispatch {
  /** The function the branches were read from. */
  sourceId: string;
  /** The dispatcher, or `CallTool#*` (the dispatcher without the per-tool branches) when it has branches. */
  dispatcherId: string;
  branches: Map<string, string>;
  mapHandlers: Map<string, Expr>;
  /** Branches whose key does not fold in this file (`case TOOL.name:` with TOOL imported). */
  openBranches: { key: Expr; id: string }[];
  /** Handler maps indexed by the name that are not same-file objects (imported maps). */
  openMaps: Expr[];
}

/** The package-level record of a dispatch (see DispatchFact). */
export function dispatchFact(d: Dispatch, line: number, withFallback: boolean): DispatchFact {
  const fact: DispatchFact = { line, branches: [], maps: [...d.openMaps] };
  for (const [key, id] of d.branches)
    fact.branches.push({ key: { k: 'str', value: key }, handler: { kind: 'function', id } });
  for (const b of d.openBranches) fact.branches.push({ key: b.key, handler: { kind: 'function', id: b.id } });
  for (const [key, expr] of d.mapHandlers)
    fact.branches.push({ key: { k: 'str', value: key }, handler: { kind: 'expr', expr } });
  if (withFallback) fact.fallback = { kind: 'function', id: d.dispatcherId };
  return fact;
}

export function addDispatch(ctx: FileContext, fact: DispatchFact): void {
  if (!ctx.facts.dispatches) ctx.facts.dispatches = [];
  ctx.facts.dispatches.push(fact);
}

type NameAccess = (e: Expr) => boolean;

/** `request.params.name` or a local bound to it. */
export function requestNameAccess(names: Set<string>): NameAccess {
  return (e) => {
    if (e.k === 'name') return names.has(e.name);
    return e.k === 'attr' && e.name === 'name' && e.object.k === 'attr' && e.object.name === 'params';
  };
}

/** Parameters that carry a tool's name into a dispatch function (`handleToolCall(name, args)`). */
const NAME_PARAM = /^(tool_?)?name$/i;
/** Parameters that carry the call (`handleToolCall(params)` → `params.name`). */
const CALL_PARAM = /^(params|request|req|call|toolCall|tool_call|message|msg)$/i;

/**
 * A dispatch function's name subject: a name parameter, `params.name` of a call parameter, or
 * `request.params.name` and the locals bound to it.
 */
function dispatchNameAccess(fn: FunctionFact): NameAccess {
  const names = toolNameVariables(fn);
  const calls = new Set<string>();
  for (const p of fn.params) {
    if (NAME_PARAM.test(p.name)) names.add(p.name);
    if (CALL_PARAM.test(p.name)) calls.add(p.name);
  }
  const request = requestNameAccess(names);
  return (e) =>
    request(e) || (e.k === 'attr' && e.name === 'name' && e.object.k === 'name' && calls.has(e.object.name));
}

/** Prelude statements (argument unpacking, validation) copied into each branch, at most. */
const MAX_PRELUDE = 64;

/** Fewer distinct branches than this is a check on a name, not a dispatch. */
const MIN_DISPATCH_BRANCHES = 2;

/**
 * Functions other than CallTool handlers that dispatch on a tool's name (`switch (name)` in a
 * `handleToolCall(name, args)` called by the CallTool handler, perhaps in another file). Their
 * branches only link tool definitions of the same name, so a switch on some other `name` links
 * nothing.
 */
export function findDispatchFunctions(ctx: FileContext, consts: Constants, skip: ReadonlySet<string>): void {
  for (const fn of [...ctx.facts.functions]) {
    if (skip.has(fn.id) || fn.params.length === 0 || !mayDispatch(fn)) continue;
    const d = synthesiseBranches(ctx, consts, fn, dispatchNameAccess(fn), MIN_DISPATCH_BRANCHES);
    if (d.branches.size + d.openBranches.length + d.mapHandlers.size + d.openMaps.length === 0) continue;
    addDispatch(ctx, dispatchFact(d, fn.line, false));
  }
}

/** Cheap pre-check: a parameter that can carry a tool's name or the call. */
function mayDispatch(fn: FunctionFact): boolean {
  return fn.params.some(
    (p) =>
      NAME_PARAM.test(p.name) ||
      CALL_PARAM.test(p.name) ||
      p.destructured?.includes('name') === true ||
      p.destructured?.includes('params') === true,
  );
}

/** Local names bound to `request.params.name`. */
export function toolNameVariables(fn: FunctionFact): Set<string> {
  const names = new Set<string>();
  const first = fn.params[0];
  if (first?.destructured?.includes('name')) names.add('name');
  forEachStmt(fn.body, (s) => {
    if (s.k !== 'assign') return;
    const v = s.value;
    if (s.target.k === 'name' && requestNameAccess(names)(v)) names.add(s.target.name);
    if (s.target.k !== 'pattern') return;
    const fromParams = v.k === 'attr' && v.name === 'params';
    for (const item of s.target.items) {
      if (fromParams && item.key === 'name' && item.target.k === 'name') names.add(item.target.name);
      if (item.key === 'params' && item.target.k === 'pattern') {
        for (const inner of item.target.items) {
          if (inner.key === 'name' && inner.target.k === 'name') names.add(inner.target.name);
        }
      }
    }
  });
  return names;
}

export function synthesiseBranches(
  ctx: FileContext,
  consts: Constants,
  fn: FunctionFact,
  isNameAccess: NameAccess,
  minBranches = 0,
): Dispatch {
  const dispatch: Dispatch = {
    sourceId: fn.id,
    dispatcherId: fn.id,
    branches: new Map(),
    mapHandlers: new Map(),
    openBranches: [],
    openMaps: [],
  };
  // Dispatch functions must show enough branches before any are synthesised.
  if (minBranches > 0 && countBranchKeys(ctx, fn, isNameAccess) < minBranches) {
    for (const top of fn.body)
      forEachStmt([top], (s) => {
        for (const e of stmtExprs(s)) collectHandlerMap(e, isNameAccess, consts, dispatch);
      });
    return dispatch;
  }
  const prelude: Stmt[] = [];
  const branchStmts = new Set<Stmt>();
  let preludeOpen = true;
  for (const top of fn.body) {
    let dispatched = false;
    forEachStmt([top], (s) => {
      if (s.k === 'if' && ctx.equalityTests.has(s.test) && s.test.k === 'other') {
        const [subject, ...cases] = s.test.parts;
        if (!subject) return;
        const keys = branchKeys(s.test, subject, cases, isNameAccess);
        for (const k of keys) {
          const r = consts.resolve(k);
          if (r.k === 'str' && dispatch.branches.has(r.value)) continue;
          if (r.k !== 'str' && !isKeyReference(r)) continue;
          const id = ctx.allocateId(r.k === 'str' ? `CallTool#${r.value}` : `CallTool#<${s.line}>`, 0);
          ctx.facts.functions.push({
            id,
            // A key that does not fold here is named after the tool when linked (`<…>` names are).
            name: r.k === 'str' ? r.value : `<branch@${s.line}>`,
            params: fn.params.map((p) => ({ ...p })),
            line: s.line,
            endLine: s.line,
            body: [...prelude, ...s.body],
            decorators: [],
          });
          if (r.k === 'str') dispatch.branches.set(r.value, id);
          else dispatch.openBranches.push({ key: k, id });
          branchStmts.add(s);
          dispatched = true;
        }
      }
      for (const e of stmtExprs(s))
        if (collectHandlerMap(e, isNameAccess, consts, dispatch)) dispatched = true;
    });
    if (dispatched) preludeOpen = false;
    // Bounded: every branch gets a copy, so a hostile prelude × many branches stays linear.
    if (preludeOpen && top.k === 'assign' && prelude.length < MAX_PRELUDE) prelude.push(top);
  }
  if (branchStmts.size > 0) {
    // A listed tool with no branch of its own runs what is left: the default path, not the
    // other tools' branches (which would attribute their effects to it).
    const id = ctx.allocateId('CallTool#*', 0);
    ctx.facts.functions.push({
      id,
      name: '*',
      params: fn.params.map((p) => ({ ...p })),
      line: fn.line,
      endLine: fn.endLine,
      body: withoutBranches(fn.body, branchStmts, 0),
      decorators: [],
    });
    dispatch.dispatcherId = id;
  }
  return dispatch;
}

function withoutBranches(body: Stmt[], branches: Set<Stmt>, depth: number): Stmt[] {
  if (depth > 250) return [];
  return body.map((s): Stmt => {
    switch (s.k) {
      case 'if':
        return {
          ...s,
          body: branches.has(s) ? [] : withoutBranches(s.body, branches, depth + 1),
          orelse: withoutBranches(s.orelse, branches, depth + 1),
        };
      case 'loop':
      case 'with':
      case 'block':
        return { ...s, body: withoutBranches(s.body, branches, depth + 1) };
      default:
        return s;
    }
  });
}

/** `handlers[name](args)` or `const h = handlers[name]`: the map's entries are the tools' handlers. */
function collectHandlerMap(
  e: Expr,
  isNameAccess: NameAccess,
  consts: Constants,
  dispatch: Dispatch,
): boolean {
  let found = false;
  const stack: Expr[] = [e];
  let budget = 5_000;
  while (stack.length > 0 && budget-- > 0) {
    const cur = stack.pop() as Expr;
    if (cur.k === 'index' && isNameAccess(cur.index)) {
      const map = consts.resolve(cur.object);
      if (map.k === 'object') {
        for (const p of map.props) {
          if (p.key !== null && !dispatch.mapHandlers.has(p.key)) dispatch.mapHandlers.set(p.key, p.value);
        }
        // `{ [TOOL.name]: handler }`: the engine folds the key across files.
        if (map.props.some((p) => p.computed)) dispatch.openMaps.push(map);
        found = true;
      } else if (isKeyReference(map) && !dispatch.openMaps.includes(map)) {
        dispatch.openMaps.push(map);
        found = true;
      }
    }
    for (const c of exprChildren(cur)) stack.push(c);
  }
  return found;
}

/** The keys an equality test compares the name with (`name === 'x'`, `case 'x': case 'y':`, `'x' === name`). */
function branchKeys(_test: Expr, subject: Expr, cases: Expr[], isNameAccess: NameAccess): Expr[] {
  if (isNameAccess(subject)) return cases;
  return cases.length === 1 && isNameAccess(cases[0] as Expr) ? [subject] : [];
}

/** A key or map written as a reference (`TOOL.name`, `TOOLS.GET`, `HANDLERS`) the engine may fold. */
function isKeyReference(e: Expr): boolean {
  return e.k === 'name' || e.k === 'attr' || (e.k === 'index' && e.index.k === 'str');
}

/** Distinct keys compared with the name at any depth of the function's statements. */
function countBranchKeys(ctx: FileContext, fn: FunctionFact, isNameAccess: NameAccess): number {
  let n = 0;
  forEachStmt(fn.body, (s) => {
    if (s.k === 'if' && ctx.equalityTests.has(s.test) && s.test.k === 'other') {
      const [subject, ...cases] = s.test.parts;
      if (subject) n += branchKeys(s.test, subject, cases, isNameAccess).length;
    }
  });
  return n;
}
