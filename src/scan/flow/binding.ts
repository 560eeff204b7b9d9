// How a call binds to a function: arguments to parameters (Python `self`, keywords, `**kw`,
// rest parameters), which arguments make a specialised summary, and which module globals
// functions keep updating (counters).

import type { LangFamily } from '../catalog/apis.js';
import { type Expr, type FileFacts, type FunctionFact, MODULE_FUNCTION_ID, type Stmt } from '../facts.js';
import type { CallArgs } from './call-args.js';
import { arrValue, shapeProp, TOP, type V } from './values.js';

export interface Specialisation {
  key: string;
  /** Parameter index → the concrete value it is bound to. */
  args: Map<number, V>;
  /** JS `this` when the method runs on an instance of a subclass. */
  self?: V;
}

function specKey(v: V): string | undefined {
  switch (v.k) {
    case 'ref':
      return `r:${v.path}`;
    case 'fn':
      return `f:${v.file}#${v.id}`;
    case 'class':
      return `c:${v.file}#${v.name}`;
    case 'inst':
      return `i:${v.file}#${v.cls}`;
    case 'mod':
      return `m:${v.file}`;
    default:
      return undefined;
  }
}

export function specialisation(
  fn: FunctionFact,
  args: V[],
  self: V | undefined,
  lang: LangFamily,
): Specialisation | undefined {
  const parts: string[] = [];
  const bound = new Map<number, V>();
  args.forEach((a, i) => {
    const k = specKey(a);
    if (!k) return;
    // The default binding of a method's own `self` needs no specialisation.
    if (a.k === 'inst' && i === 0 && lang === 'py' && fn.className === a.cls) return;
    bound.set(i, a);
    parts.push(`${i}=${k}`);
  });
  let thisV: V | undefined;
  if (lang === 'js' && self?.k === 'inst' && self.cls !== fn.className) {
    thisV = self;
    parts.push(`this=${specKey(self)}`);
  }
  if (!parts.length) return undefined;
  const out: Specialisation = { key: parts.join(','), args: bound };
  if (thisV) out.self = thisV;
  return out;
}

export function bindArgs(fn: FunctionFact, call: CallArgs, self: V | undefined, lang: LangFamily): V[] {
  const out: V[] = [];
  let ai = 0;
  let i = 0;
  const first = fn.params[0];
  if (lang === 'py' && fn.className && first && (first.name === 'self' || first.name === 'cls')) {
    out.push(self ?? call.args[ai++] ?? TOP);
    i = 1;
  }
  const spread = call.kwargs.get('**');
  for (; i < fn.params.length; i++) {
    const p = fn.params[i];
    if (!p) break;
    if (p.rest) {
      out.push(arrValue(call.args.slice(ai)));
      ai = call.args.length;
      continue;
    }
    const v = call.args[ai] ?? call.kwargs.get(p.name) ?? (spread ? shapeProp(spread, p.name) : undefined);
    if (call.args[ai] !== undefined) ai++;
    out.push(v ?? TOP);
  }
  return out;
}

/** Names assigned at module level that functions also assign (counters kept across calls). */
export function mutableGlobals(facts: FileFacts, moduleFn: FunctionFact): Set<string> {
  const moduleNames = new Set<string>();
  for (const s of moduleFn.body)
    if (s.k === 'assign' && s.target.k === 'name') moduleNames.add(s.target.name);
  const out = new Set<string>();
  if (moduleNames.size === 0) return out;
  for (const fn of facts.functions) {
    if (fn.id === MODULE_FUNCTION_ID) continue;
    collectAssigned(fn.body, moduleNames, out, 0);
  }
  return out;
}

function collectAssigned(stmts: Stmt[], names: Set<string>, out: Set<string>, depth: number): void {
  if (depth > 100) return;
  for (const s of stmts) {
    switch (s.k) {
      case 'assign':
        if (s.target.k === 'name' && names.has(s.target.name) && isSelfUpdate(s.value, s.target.name))
          out.add(s.target.name);
        break;
      case 'expr': {
        // `counter++` arrives as an expression statement over the name.
        const p = s.value.k === 'other' && s.value.parts.length === 1 ? s.value.parts[0] : undefined;
        if (p?.k === 'name' && names.has(p.name)) out.add(p.name);
        break;
      }
      case 'if':
        collectAssigned(s.body, names, out, depth + 1);
        collectAssigned(s.orelse, names, out, depth + 1);
        break;
      case 'loop':
      case 'with':
      case 'block':
        collectAssigned(s.body, names, out, depth + 1);
        break;
      default:
        break;
    }
  }
}

/** `n = n + 1` / `n += 1` (emitted as concat of the target and the rhs) / `n = other(n…)`. */
function isSelfUpdate(e: Expr, name: string): boolean {
  if (e.k === 'concat' || e.k === 'other') return e.parts.some((p) => p.k === 'name' && p.name === name);
  return false;
}
