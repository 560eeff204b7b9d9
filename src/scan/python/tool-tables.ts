// Tool definitions written as dicts — `TOOLS = [{"name": …, "description": …, "input_schema": …}]`,
// with a `handler`/`func`/`fn` entry naming the function when there is one — and `add_tool(fn)`
// called in a loop over a literal list of functions. Shapes are those of the JS front end
// (../js/tool-definitions.ts, same keys and hard negatives); only the constant lookup differs.

import type { Expr, FunctionFact, RegistrationFact, Stmt } from '../facts.js';
import { exprChildren, forEachStmt, stmtExprs } from '../js/ir-util.js';
import { type ConstantLookup, readToolDefinition } from '../js/tool-definitions.js';
import type { FileContext } from './context.js';
import type { ImportTable } from './frameworks.js';

const MAX_WALK = 200_000;
const TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;

function moduleLookup(ctx: FileContext): ConstantLookup {
  const assignments = ctx.moduleAssignments();
  return {
    resolve(e: Expr): Expr {
      let cur = e;
      for (let i = 0; i < 8 && cur.k === 'name'; i++) {
        const next = assignments.get(cur.name);
        if (!next || next === cur) break;
        cur = next;
      }
      return cur;
    },
  };
}

/** Dict tool definitions anywhere in the file become registrations (framework `unknown`, or MCP by import). */
export function findToolTables(ctx: FileContext, imports: ImportTable): void {
  if (TEST_PATH.test(ctx.facts.file)) return;
  const lookup = moduleLookup(ctx);
  const isFunction = (e: Expr): boolean =>
    e.k === 'func' || (e.k === 'name' && ctx.functionsById.has(e.name));
  let budget = MAX_WALK;
  for (const fn of ctx.facts.functions) {
    const templateNames = new Set(fn.params.map((p) => p.name));
    forEachStmt(fn.body, (s: Stmt) => {
      const stack = [...stmtExprs(s)];
      while (stack.length > 0 && budget-- > 0) {
        const e = stack.pop() as Expr;
        if (e.k === 'object') {
          const shape = readToolDefinition(lookup, e, {
            isFunction,
            templateNames,
            isImported: (n) => imports.get(n) !== undefined,
          });
          if (shape) {
            const reg: RegistrationFact = {
              framework: 'unknown',
              line: s.line,
              column: 1,
              name: shape.name,
              description: shape.description,
              params: [],
              schema: shape.schema,
              handler: shape.handler ? handlerOf(shape.handler) : null,
            };
            ctx.facts.registrations.push(reg);
            continue;
          }
        }
        stack.push(...exprChildren(e));
      }
    });
  }
}

function handlerOf(e: Expr): RegistrationFact['handler'] {
  if (e.k === 'func') return { kind: 'function', id: e.id };
  if (e.k === 'name') return { kind: 'function', id: e.name };
  return { kind: 'expr', expr: e };
}

/**
 * `for fn in (a, b, c): mcp.add_tool(fn)`: the functions of a literal list, one registration
 * each. Undefined when `fnExpr` is not the variable of such a loop in `owner`.
 */
export function loopFunctions(
  ctx: FileContext,
  owner: FunctionFact | undefined,
  fnExpr: Expr,
  callLine: number,
): Expr[] | 'unknown' | undefined {
  if (fnExpr.k !== 'name' || !owner) return undefined;
  // The nearest loop over that variable that starts at or before the call.
  let loop: Extract<Stmt, { k: 'loop' }> | undefined;
  forEachStmt(owner.body, (s) => {
    if (s.k !== 'loop' || s.target?.k !== 'name' || s.target.name !== fnExpr.name) return;
    if (s.line <= callLine && (!loop || s.line > loop.line)) loop = s;
  });
  if (!loop) return undefined;
  const iter = loop.iter ? moduleLookup(ctx).resolve(loop.iter) : undefined;
  return iter?.k === 'array' ? iter.items : 'unknown';
}
