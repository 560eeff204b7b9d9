// Call semantics: package functions (through their summaries), classes, catalogued APIs (effects),
// value-level APIs (imports, decoders, path building, env reads), methods on constants, zod
// schema chains, and unknown calls (opaque results carrying the arguments' taint; callbacks
// handed to iterators, promises and timers are run).

import type { Location } from '../../core/types.js';
import type { Expr } from '../facts.js';
import { apiRuleFor, valueApiFor } from './apimatch.js';
import { allArgs, type CallArgs } from './call-args.js';
import { foldMethod } from './fold.js';
import type { FnInterp } from './interp.js';
import { callSchema, isZodPath, schemaMethod } from './schema.js';
import { applyRule, callDynamicMember, DYNAMIC_MEMBER } from './sinks.js';
import { valueApi } from './value-apis.js';
import { join, mergeTaints, opaque, stepTaints, TOP, taintOf, type V, withTaint } from './values.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** Names of methods/functions that run the callbacks they are given (soon or right away). */
const CALLBACK_RUNNERS = new Set([
  'map',
  'forEach',
  'filter',
  'reduce',
  'flatMap',
  'some',
  'every',
  'find',
  'findIndex',
  'sort',
  'then',
  'catch',
  'finally',
  'nextTick',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'Promise',
  'Thread',
  'Timer',
  'submit',
  'run_in_executor',
  'to_thread',
  'start_new_thread',
  'apply_async',
  'call_soon',
  'call_later',
  'run',
  'create_task',
  'ensure_future',
  'gather',
  'on',
  'once',
  'addListener',
  'addEventListener',
  'register',
  'atexit',
  'all',
  'allSettled',
  'race',
]);

/** Methods whose result is the same place as the receiver (`url.toString()`). */
const TARGET_KEEPING = new Set(['toString', 'toJSON', 'valueOf', 'href', 'geturl', 'expanduser', 'resolve']);

/** Methods that put their arguments into the receiver (`url.searchParams.set(k, v)`, `body.append`). */
const MUTATORS = new Set([
  'set',
  'append',
  'push',
  'add',
  'update',
  'extend',
  'insert',
  'unshift',
  'setdefault',
  'put',
  'setHeader',
  'assign',
]);

/** The variable a member chain starts from (`url` in `url.searchParams.set`). */
function rootName(e: Expr): string | undefined {
  let cur = e;
  for (let i = 0; i < 16; i++) {
    if (cur.k === 'name') return cur.name;
    if (cur.k === 'attr' || cur.k === 'index') cur = cur.object;
    else return undefined;
  }
  return undefined;
}

export function evalCall(ip: FnInterp, e: CallExpr, depth: number): V {
  const loc = ip.loc(e.line, e.column);
  // Method calls: `recv.name(...)`.
  if (e.callee.k === 'attr') {
    const recv = ip.eval(e.callee.object, depth + 1);
    const name = e.callee.name;
    const call = evalArgs(ip, e, depth, loc);
    if (e.callee.object.k === 'name') call.recvName = e.callee.object.name;
    const out = callMethod(ip, recv, name, call, depth, e.callee.line);
    if (MUTATORS.has(name)) absorbArguments(ip, e.callee.object, call, loc);
    return out;
  }
  // Compilers' module-interop helpers hand back the module they wrap (TypeScript's
  // `__importDefault(require('axios'))`, esbuild's `__toESM`, Babel's `_interopRequireDefault`).
  if (e.callee.k === 'name' && MODULE_INTEROP.has(e.callee.name) && e.args[0])
    return ip.eval(e.args[0], depth + 1);
  const callee = ip.eval(e.callee, depth + 1);
  const call = evalArgs(ip, e, depth, loc);
  return callValue(ip, callee, call, depth);
}

const MODULE_INTEROP = new Set([
  '__importDefault',
  '__importStar',
  '__toESM',
  '__toCommonJS',
  '_interopRequireDefault',
  '_interopRequireWildcard',
]);

/** Data handed to a mutating method now lives in the receiver's variable. */
function absorbArguments(ip: FnInterp, object: Expr, call: CallArgs, loc: Location): void {
  const root = rootName(object);
  if (!root) return;
  const cur = ip.scope.get(root);
  if (!cur || cur.k === 'fn' || cur.k === 'class' || cur.k === 'mod' || cur.k === 'imp') return;
  if (cur.k === 'ref' && !cur.path.includes('()')) return; // a module or API, not a value
  const taint = stepTaints(taintOf(opaque(...allArgs(call))), loc);
  if (taint?.length) ip.scope.set(root, withTaint(cur, taint));
}

function evalArgs(ip: FnInterp, e: CallExpr, depth: number, loc: Location): CallArgs {
  const args = e.args.map((a) => ip.eval(a, depth + 1));
  const kwargs = new Map<string, V>();
  for (const kw of e.kwargs) kwargs.set(kw.name, ip.eval(kw.value, depth + 1));
  return { args, kwargs, loc, isNew: e.isNew === true, raw: e };
}

function callMethod(ip: FnInterp, recv: V, name: string, call: CallArgs, depth: number, line: number): V {
  if (recv.k === 'const' || recv.k === 'arr') {
    const folded = foldMethod(recv, name, call.args);
    if (folded) return folded;
  }
  if (recv.k === 'schema' || (recv.k === 'ref' && isZodPath(recv.path))) {
    const s =
      recv.k === 'schema'
        ? schemaMethod(recv, name, call.args)
        : callSchema(`${recv.path}.${name}`, call.args);
    if (s) return s;
  }
  // `promise.then(cb)`: the callback receives what the promise resolves to (await is transparent).
  const cb = call.args[0];
  if (name === 'then' && cb?.k === 'fn' && recv.k !== 'inst') {
    const out = ip.engine.invoke(ip, cb, { ...call, args: [recv], kwargs: new Map() });
    const onError = call.args[1];
    if (onError?.k === 'fn') ip.engine.invoke(ip, onError, { ...call, args: [TOP], kwargs: new Map() });
    return out;
  }
  if (recv.k === 'fn' && (name === 'call' || name === 'apply' || name === 'bind')) {
    if (name === 'bind') return recv;
    const rest = name === 'call' ? call.args.slice(1) : expandArray(call.args[1]);
    return callValue(ip, recv, { ...call, args: rest }, depth);
  }
  const callee = ip.attr(recv, name, false, line);
  if (callee.k === 'top' || callee.k === 'sym' || (callee.k === 'const' && recv.k !== 'ref')) {
    // An unknown method: its result carries the receiver's and the arguments' data.
    runCallbacks(ip, name, call, recv, depth);
    return opaque(recv, ...allArgs(call));
  }
  return callValue(ip, callee, call, depth, recv);
}

function expandArray(v: V | undefined): V[] {
  if (!v) return [];
  if (v.k === 'arr') return v.items;
  return [opaque(v)];
}

export function callValue(ip: FnInterp, callee: V, call: CallArgs, depth: number, recv?: V): V {
  switch (callee.k) {
    case 'fn':
      return ip.engine.invoke(ip, callee, call);
    case 'class':
      return ip.engine.construct(ip, callee, call);
    case 'imp':
      return callValue(ip, ip.engine.deref(callee), call, depth, recv);
    case 'ref':
      return callApi(ip, callee, call, depth);
    case 'union': {
      let out: V | undefined;
      for (const o of callee.options) out = join(out, callValue(ip, o, call, depth, recv));
      return out ?? TOP;
    }
    case 'inst': {
      const m = ip.engine.methodOf(callee.file, callee.cls, '__call__', 0);
      if (m) return ip.engine.invoke(ip, { k: 'fn', file: m.file, id: m.id, self: callee }, call);
      return opaque(callee, ...allArgs(call));
    }
    default:
      runCallbacks(ip, '', call, recv, depth);
      return opaque(callee, ...allArgs(call));
  }
}

/** Run function-valued arguments of a callback runner (`xs.map(f)`, `then(f)`, `Thread(target=f)`). */
function runCallbacks(ip: FnInterp, name: string, call: CallArgs, recv: V | undefined, depth: number): void {
  if (!CALLBACK_RUNNERS.has(name)) return;
  const input = recv ? elementData(recv) : opaque(...call.args.filter((a) => a.k !== 'fn'));
  for (const a of allArgs(call)) {
    if (a.k === 'fn') ip.engine.invoke(ip, a, { ...call, args: [input], kwargs: new Map() });
  }
  void depth;
}

function elementData(v: V): V {
  if (v.k === 'arr') {
    let out: V | undefined = v.rest;
    for (const i of v.items.slice(0, 16)) out = join(out, i);
    return out ?? TOP;
  }
  return opaque(v);
}

function lastSegment(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}

function callApi(ip: FnInterp, callee: V & { k: 'ref' }, call: CallArgs, depth: number): V {
  const path = callee.path;
  if (isZodPath(path)) {
    const s = callSchema(path, call.args);
    if (s) return s;
  }
  const kind = valueApiFor(path, ip.lang);
  if (kind) {
    const v = valueApi(ip, kind, callee, call, depth);
    if (v) return v;
  }
  if (path.endsWith(DYNAMIC_MEMBER)) {
    const v = callDynamicMember(ip, callee, call);
    if (v) return v;
  }
  const rule = apiRuleFor(path, ip.lang);
  if (rule) {
    const out = applyRule(ip, rule, callee, call);
    // `setTimeout(() => …)`, `fs.readFile(p, (err, data) => …)`, `exec(cmd, (err, out) => …)`:
    // the API runs the callback, node-style with what it produced as the second argument.
    for (const a of allArgs(call)) {
      if (a.k === 'fn') ip.engine.invoke(ip, a, { ...call, args: [opaque(), out], kwargs: new Map() });
    }
    return out;
  }
  runCallbacks(ip, lastSegment(path), call, undefined, depth);
  const out: V = { k: 'ref', path: `${path}()` };
  if (out.path.length > 240) return opaque(...allArgs(call));
  if (callee.target && TARGET_KEEPING.has(lastSegment(path))) out.target = callee.target;
  const taint = mergeTaints(callee.taint, taintOf(opaque(...allArgs(call))));
  if (taint?.length) out.taint = taint;
  if (callee.marks) out.marks = callee.marks;
  if (callee.obf) out.obf = true;
  return out;
}
