// Call semantics: package functions (through their summaries), classes, catalogued APIs (effects),
// value-level APIs (imports, decoders, path building, env reads), methods on constants, zod
// schema chains, and unknown calls (opaque results carrying the arguments' taint; callbacks
// handed to iterators, promises and timers are run).

import type { Capability, Location } from '../../core/types.js';
import { type ApiRule, type ArgSpec, NON_DATA_OPTIONS } from '../catalog/apis.js';
import type { Expr } from '../facts.js';
import { apiRuleFor, valueApiFor } from './apimatch.js';
import {
  b64decode,
  bufferFrom,
  charCodes,
  constItems,
  foldMethod,
  hexdecode,
  latin1ToUtf8,
  rot13,
} from './fold.js';
import type { FnInterp } from './interp.js';
import { canonicalModule } from './modules.js';
import { callSchema, isZodPath, schemaMethod } from './schema.js';
import type { EffectRec } from './summary.js';
import {
  concatValues,
  constStr,
  join,
  konst,
  MARK_ENV,
  MARK_RANDOM,
  MARK_TIME,
  mergeTaints,
  mkTaint,
  opaque,
  render,
  shapeProp,
  stepTaints,
  type Taint,
  TOP,
  taintOf,
  type V,
  withMarks,
  withTaint,
} from './values.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

export interface CallArgs {
  args: V[];
  kwargs: Map<string, V>;
  loc: Location;
  isNew: boolean;
  /** Raw argument expressions (for spreads). */
  raw: CallExpr;
  /** The variable a method was called on (`sock` in `sock.connect(…)`), to remember a target. */
  recvName?: string;
}

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
  const callee = ip.eval(e.callee, depth + 1);
  const call = evalArgs(ip, e, depth, loc);
  return callValue(ip, callee, call, depth);
}

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

function allArgs(call: CallArgs): V[] {
  return [...call.args, ...call.kwargs.values()];
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
  if (rule) return applyRule(ip, rule, callee, call);
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

function isRelativeUrl(v: V): boolean {
  const first = v.k === 'str' ? v.parts[0] : v;
  const s = constStr(first);
  return (
    s !== undefined &&
    !s.includes('://') &&
    (s.startsWith('/') || /^[\w.-]+(\/|$)/.test(s)) &&
    !s.includes(' ')
  );
}

export const DYNAMIC_MEMBER = '.<member>';

/** `getattr(requests, method)` / `axios[method]`: some member of a known API, chosen at run time. */
export function dynamicMember(obj: V & { k: 'ref' }, name: V | undefined): V {
  if (obj.path === 'globalThis') return opaque(obj, name);
  const out: V = { k: 'ref', path: `${obj.path}${DYNAMIC_MEMBER}` };
  if (obj.target) out.target = obj.target;
  const taint = taintOf(name);
  if (taint?.length) out.taint = taint;
  return out;
}

/** Members tried for a run-time-chosen one: the effect is what the API's members can do. */
const PROBE_MEMBERS = [
  'request',
  'get',
  'post',
  'system',
  'run',
  'exec',
  'spawn',
  'open',
  'readFile',
  'writeFile',
  'remove',
  'unlink',
  'eval',
  'loads',
];

function callDynamicMember(ip: FnInterp, callee: V & { k: 'ref' }, call: CallArgs): V | undefined {
  const base = callee.path.slice(0, -DYNAMIC_MEMBER.length);
  for (const m of PROBE_MEMBERS) {
    const rule = apiRuleFor(`${base}.${m}`, ip.lang);
    if (!rule || rule.construct) continue;
    const probe: V = { ...callee, path: `${base}.${m}` };
    // The member is not known, only the API it belongs to.
    applyRule(ip, rule, probe, call, callee.path);
    return opaque(...allArgs(call), callee);
  }
  return undefined;
}

function argAt(call: CallArgs, spec: ArgSpec): V | undefined {
  let v: V | undefined;
  if (spec.kw !== undefined) v = call.kwargs.get(spec.kw);
  if (v === undefined && spec.pos !== undefined) {
    v = call.args[spec.pos];
    if (v && spec.prop !== undefined) v = v.k === 'obj' ? shapeProp(v, spec.prop) : undefined;
    else if (v && spec.prop === undefined && v.k === 'obj') return undefined;
  }
  return v;
}

function firstArg(call: CallArgs, specs: ArgSpec[] | undefined): V | undefined {
  if (!specs) return undefined;
  for (const s of specs) {
    const v = argAt(call, s);
    if (v !== undefined && !(v.k === 'const' && v.v === null)) return v;
  }
  return undefined;
}

/** The taint of the data-bearing arguments: everything except configuration options. */
function dataTaint(call: CallArgs): Taint[] | undefined {
  let out: Taint[] | undefined;
  for (const a of call.args) {
    if (a.k === 'obj') {
      for (const [k, v] of a.props) if (!NON_DATA_OPTIONS.has(k)) out = mergeTaints(out, taintOf(v));
      if (a.rest) out = mergeTaints(out, taintOf(a.rest));
      out = mergeTaints(out, a.taint);
    } else out = mergeTaints(out, taintOf(a));
  }
  for (const [k, v] of call.kwargs) if (!NON_DATA_OPTIONS.has(k)) out = mergeTaints(out, taintOf(v));
  return out;
}

const SINK_CAPABILITIES = new Set<Capability>([
  'network',
  'process',
  'file.write',
  'file.delete',
  'dynamic-code',
]);

function applyRule(
  ip: FnInterp,
  rule: ApiRule,
  callee: V & { k: 'ref' },
  call: CallArgs,
  dynamicApi?: string,
): V {
  let target = firstArg(call, rule.target);
  if (target && target.k === 'ref' && target.target) target = target.target;
  if (!target && rule.fromInstance && callee.target) target = callee.target;
  else if (target && rule.capability === 'network' && callee.target && isRelativeUrl(target)) {
    // A client made with a base URL (`axios.create({ baseURL })`) sends relative paths there.
    const base = render(callee.target) ?? '';
    const rel = constStr(target.k === 'str' ? target.parts[0] : target) ?? '';
    target = concatValues(
      base.endsWith('/') || rel.startsWith('/')
        ? [callee.target, target]
        : [callee.target, konst('/'), target],
    );
  }
  // `spawn('git', ['status'])`: the command line is the program and its argument list.
  const argv = call.args[1];
  if (rule.capability === 'process' && target && target.k !== 'arr' && argv?.k === 'arr') {
    target = concatValues([target, ...argv.items.flatMap((a) => [konst(' '), a])]);
  }
  let mode: string | undefined;
  if (rule.mode)
    mode =
      constStr(firstArg(call, rule.mode.spec)) ??
      (firstArg(call, rule.mode.spec) ? undefined : rule.mode.default);
  if (rule.unlessSafe) {
    const s = firstArg(call, rule.unlessSafe);
    const text = s?.k === 'ref' ? s.path : constStr(s);
    if (text && /safe/i.test(text)) return opaque(...allArgs(call));
  }
  let capability: Capability = rule.capability;
  if (rule.mode) {
    const m = mode ?? (callee.mode || '');
    capability = mode === undefined ? 'file.write' : /[wax+]/.test(m) ? 'file.write' : 'file.read';
    if (mode === undefined && callee.mode === undefined && !firstArg(call, rule.mode.spec))
      capability = 'file.read';
  }
  // `setTimeout(fn)` schedules code it was given, it does not compile a string.
  const isString = target?.k === 'str' || (target?.k === 'const' && typeof target.v === 'string');
  if (
    capability === 'dynamic-code' &&
    (target?.k === 'fn' || target?.k === 'ref' || (rule.codeMustBeString && !isString))
  ) {
    return opaque(...allArgs(call));
  }
  const effectTarget = target && target.k !== 'top' ? target : undefined;
  if (!rule.construct) {
    const effect: Omit<EffectRec, 'callPath'> = {
      capability,
      api: dynamicApi ?? callee.path,
      location: call.loc,
    };
    if (dynamicApi) effect.unresolved = true;
    if (effectTarget) effect.target = effectTarget;
    if (callee.obf) effect.obfuscated = true;
    if (SINK_CAPABILITIES.has(capability)) {
      const data = dataTaint(call);
      if (data?.length) effect.data = data;
    }
    ip.addEffect(effect);
    if (rule.setsInstanceTarget && effectTarget && call.recvName) {
      const recvPath = callee.path.slice(0, callee.path.lastIndexOf('.'));
      ip.scope.set(call.recvName, { k: 'ref', path: recvPath, target: effectTarget });
    }
    if (rule.alsoReads) {
      const src = firstArg(call, rule.alsoReads);
      const read: Omit<EffectRec, 'callPath'> = {
        capability: 'file.read',
        api: callee.path,
        location: call.loc,
      };
      if (src && src.k !== 'top') read.target = src.k === 'ref' && src.target ? src.target : src;
      ip.addEffect(read);
    }
  }
  let out: V;
  if (rule.instance || rule.construct) {
    out = { k: 'ref', path: `${callee.path}()` };
    if (effectTarget) out.target = effectTarget;
    if (mode) out.mode = mode;
  } else out = { k: 'ref', path: `${callee.path}()` };
  let taint = taintOf(opaque(...allArgs(call)));
  if (capability === 'file.read' || rule.returnsSecret) {
    const src = contentSource(ip, rule, call.loc, effectTarget, callee.path);
    if (src) taint = mergeTaints(taint, [src]);
  }
  if (taint?.length) out.taint = taint;
  return out;
}

/** What reading this file (or secret store) yields as a data source. */
function contentSource(
  ip: FnInterp,
  rule: ApiRule,
  loc: Location,
  target: V | undefined,
  api: string,
): Taint | undefined {
  if (rule.returnsSecret) {
    return mkTaint({ kind: 'secret', detail: render(target) ?? api, location: loc }, []);
  }
  if (!target) return undefined;
  return ip.engine.fileSource(target, loc);
}

function valueApi(
  ip: FnInterp,
  kind: string,
  callee: V & { k: 'ref' },
  call: CallArgs,
  depth: number,
): V | undefined {
  const a0 = call.args[0];
  const s0 = constStr(a0);
  switch (kind) {
    case 'import':
      return importCall(ip, callee, call);
    case 'getattr': {
      if (!a0) return TOP;
      const nameV = call.args[1];
      const name = constStr(nameV);
      if (name !== undefined) return ip.attr(a0, name, true, call.loc.line, nameV?.built === true);
      if (a0.k === 'ref') return dynamicMember(a0, nameV);
      return opaque(a0, nameV);
    }
    case 'identity':
      return a0 ?? TOP;
    case 'home':
      return ip.lang === 'py' ? { k: 'ref', path: 'pathlib.Path()', target: konst('~') } : konst('~');
    case 'expanduser':
      return a0 ?? TOP;
    case 'path-join':
    case 'path-new': {
      const parts: V[] = [];
      for (const a of call.args) {
        const seg = a.k === 'ref' && a.target ? a.target : a;
        const s = constStr(seg);
        if (s !== undefined && (s.startsWith('/') || s.startsWith('~')) && parts.length) parts.length = 0;
        if (parts.length) parts.push(konst('/'));
        parts.push(seg);
      }
      const joined = parts.length ? concatValues(parts) : konst('.');
      const v = joined.k === 'const' ? { ...joined, built: false } : joined;
      return kind === 'path-new' ? { k: 'ref', path: 'pathlib.Path()', target: v } : v;
    }
    case 'url-new': {
      // `new URL(path, base)` / `urljoin(base, path)`: the base first unless the path is absolute.
      const [first, second] = ip.lang === 'js' ? [call.args[1], a0] : [a0, call.args[1]];
      const rel = second ?? TOP;
      const absolute = /^[a-z][\w+.-]*:/i.test(constStr(rel.k === 'str' ? rel.parts[0] : rel) ?? '');
      const target = first && !absolute ? concatValues([first, rel]) : rel;
      return ip.lang === 'js' ? { k: 'ref', path: 'URL()', target } : target;
    }
    case 'path-self':
      return callee.target ? { k: 'ref', path: 'pathlib.Path()', target: callee.target } : undefined;
    case 'path-joinpath': {
      if (!callee.target) return undefined;
      const parts: V[] = [callee.target];
      for (const a of call.args) parts.push(konst('/'), a.k === 'ref' && a.target ? a.target : a);
      return { k: 'ref', path: 'pathlib.Path()', target: concatValues(parts) };
    }
    case 'env-get': {
      const mapping = callee.path.startsWith('os.environ') ? 'os.environ' : callee.path;
      const v = ip.envRead(a0 ?? TOP, mapping, call.loc);
      const dflt = call.args[1] ?? call.kwargs.get('default');
      return dflt ? withTaint(join(v, dflt), v.taint, v.marks) : v;
    }
    case 'env-dump': {
      const envArg = callee.path.startsWith('os.environ.') ? { k: 'ref' as const, path: 'os.environ' } : a0;
      if (envArg?.k === 'ref' && (envArg.path === 'os.environ' || envArg.path === 'process.env')) {
        ip.addEffect({
          capability: 'secret',
          api: callee.path,
          location: call.loc,
          target: konst(envArg.path),
        });
        return {
          k: 'top',
          taint: [mkTaint({ kind: 'secret', detail: 'entire environment', location: call.loc }, [])],
        };
      }
      return undefined;
    }
    case 'time':
      return withMarks({ k: 'ref', path: `${callee.path}()` }, MARK_TIME);
    case 'random':
      return withMarks({ k: 'top' }, MARK_RANDOM);
    case 'platform':
      return withMarks({ k: 'ref', path: `${callee.path}()` }, MARK_ENV);
    case 'b64decode':
      return decoded(s0 === undefined ? undefined : b64decode(s0), a0);
    case 'hexdecode':
      return decoded(s0 === undefined ? undefined : hexdecode(s0), a0);
    case 'rot13': {
      const enc = constStr(call.args[1] ?? call.kwargs.get('encoding'))
        ?.toLowerCase()
        .replace(/[-_]/g, '');
      if (s0 === undefined || !enc) return undefined;
      if (enc === 'rot13') return decoded(rot13(s0), a0);
      if (enc === 'hex') return decoded(hexdecode(s0), a0);
      if (enc === 'base64') return decoded(b64decode(s0), a0);
      return undefined;
    }
    case 'atob':
      return decoded(s0 === undefined ? undefined : b64decode(s0), a0);
    case 'buffer-from': {
      if (a0?.k === 'arr') return decoded(charCodes(a0.items), a0);
      const enc = constStr(call.args[1]);
      if (s0 === undefined) return opaque(a0);
      const out = bufferFrom(s0, enc);
      if (out === undefined) return opaque(a0);
      return enc && !/^utf-?8$/i.test(enc) ? konst(out, true) : konst(out, a0?.built);
    }
    case 'from-char-code': {
      let items = call.args;
      const first = call.raw.args[0];
      if (call.args.length === 1 && first?.k === 'other' && first.parts.length === 1) {
        const inner = ip.eval(first.parts[0] as Expr, depth + 1);
        const ci = constItems(inner);
        if (ci) items = ci;
      }
      return decoded(charCodes(items), opaque(...items));
    }
    case 'chr': {
      const n = a0?.k === 'const' && typeof a0.v === 'number' ? a0.v : undefined;
      if (n === undefined || n < 0 || n > 0x10ffff || !Number.isInteger(n)) return opaque(a0);
      return konst(String.fromCodePoint(n), true);
    }
    case 'uri-decode': {
      if (s0 === undefined) return opaque(a0);
      try {
        return konst(decodeURIComponent(s0), true);
      } catch {
        return opaque(a0);
      }
    }
    case 'schema-identity':
      return a0 ?? TOP;
    default:
      return undefined;
  }
}

function decoded(text: string | undefined, from: V | undefined): V {
  if (text === undefined) return opaque(from);
  return withTaint(konst(latin1ToUtf8(text) === text ? text : text, true), from?.taint);
}

function importCall(ip: FnInterp, callee: V & { k: 'ref' }, call: CallArgs): V {
  const a0 = call.args[0] ?? call.kwargs.get('name');
  const spec = constStr(a0);
  if (spec === undefined) {
    const effect: Omit<EffectRec, 'callPath'> = {
      capability: 'dynamic-code',
      api: callee.path,
      location: call.loc,
      unresolved: true,
    };
    if (a0 && a0.k !== 'top') effect.target = a0;
    const data = taintOf(a0);
    if (data?.length) effect.data = data;
    ip.addEffect(effect);
    return opaque(a0);
  }
  const file = ip.engine.index.resolve(ip.file, spec);
  if (file) return { k: 'mod', file };
  const out: V = { k: 'ref', path: canonicalModule(spec) };
  if (a0?.built || callee.path === '__import__' || callee.path === 'builtins.__import__' || callee.obf)
    out.obf = true;
  return out;
}
