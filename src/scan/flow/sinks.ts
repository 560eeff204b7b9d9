// Catalogued APIs as effects: the target (URL, host, path, command) and the data-bearing
// arguments of a call, file modes, instances that remember what they were made for, and members
// of a known API chosen at run time.

import type { Capability, Location } from '../../core/types.js';
import { type ApiRule, type ArgSpec, NON_DATA_OPTIONS } from '../catalog/apis.js';
import { apiRuleFor } from './apimatch.js';
import { allArgs, type CallArgs } from './call-args.js';
import type { FnInterp } from './interp.js';
import type { EffectRec } from './summary.js';
import {
  concatValues,
  constStr,
  isDecoded,
  konst,
  mergeTaints,
  mkTaint,
  opaque,
  render,
  shapeProp,
  type Taint,
  taintOf,
  type V,
} from './values.js';

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

export function callDynamicMember(ip: FnInterp, callee: V & { k: 'ref' }, call: CallArgs): V | undefined {
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

export function applyRule(
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
    if (capability === 'network') {
      const method = httpMethodOf(callee.path, call);
      if (method) effect.method = method;
    }
    if (callee.obf) effect.obfuscated = true;
    // Code decoded from a constant (`exec(b64decode(…))`) hides what runs, however harmless it reads.
    if (capability === 'dynamic-code' && isDecoded(target)) effect.obfuscated = true;
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

const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
]);

function asMethod(v: V | undefined): string | undefined {
  const s = constStr(v)?.trim().toUpperCase();
  return s && HTTP_METHODS.has(s) ? s : undefined;
}

/**
 * The HTTP method of a network call when the code fixes it: a `method` option or keyword
 * (`fetch(u, { method: 'DELETE' })`, `axios({ method })`, `Request(u, method=…)`), the verb of a
 * generic `request('PUT', u)`, or the API's own name (`requests.delete`, `axios.put`).
 */
export function httpMethodOf(api: string, call: CallArgs): string | undefined {
  const kw = asMethod(call.kwargs.get('method'));
  if (kw) return kw;
  for (const a of call.args) {
    if (a.k !== 'obj') continue;
    const m = asMethod(a.props.get('method'));
    if (m) return m;
  }
  const last = api.slice(api.lastIndexOf('.') + 1).toLowerCase();
  if (last === 'request' || last === 'request()' || last === 'urlopen') {
    const first = asMethod(call.args[0]);
    if (first) return first;
  }
  if (last === 'del') return 'DELETE';
  const verb = last.toUpperCase();
  return HTTP_METHODS.has(verb) ? verb : undefined;
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
  return ip.engine.fileSource(target, loc, ip.isModule);
}
