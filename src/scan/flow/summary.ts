// Function summaries and their instantiation at call sites.
//
// A summary is computed once per function with its parameters as symbolic values: the effects
// reachable from it (with the taint reaching each sink, possibly naming formal parameters) and
// its return value. At a call site the formals are replaced by the actual arguments, so targets
// fold (`get(url)` called with a constant) and taint paths extend across the call.

import type { Capability, Location } from '../../core/types.js';
import { sensitiveKindOfPath } from '../catalog/sensitive.js';
import {
  concatValues,
  konst,
  MAX_KEYS,
  MAX_PATH,
  mergeTaints,
  mkTaint,
  render,
  shapeProp,
  type Taint,
  TOP,
  taintOf,
  type V,
} from './values.js';

export interface EffectRec {
  capability: Capability;
  api: string;
  location: Location;
  /** Function names from the summarised function down to the sink's function. */
  callPath: string[];
  target?: V;
  obfuscated?: boolean;
  unresolved?: boolean;
  gate?: string;
  /** HTTP method of a network effect, when statically known. */
  method?: string;
  /** Taint reaching the sink's data-bearing arguments. */
  data?: Taint[];
}

export interface Summary {
  name: string;
  effects: EffectRec[];
  ret: V;
}

const MAX_EFFECTS = 400;
const MAX_CALL_PATH = 16;

/** A per-function effect list that merges repeats of the same sink and target. */
export class EffectList {
  readonly items: EffectRec[] = [];
  private readonly byKey = new Map<string, EffectRec>();

  add(e: EffectRec): void {
    const key = `${e.api}|${e.location.file}:${e.location.line}:${e.location.column ?? 0}|${render(e.target) ?? ''}|${e.capability}`;
    const prev = this.byKey.get(key);
    if (prev) {
      prev.data = mergeTaints(prev.data, e.data);
      if (!e.gate) delete prev.gate;
      return;
    }
    if (this.items.length >= MAX_EFFECTS) return;
    this.byKey.set(key, e);
    this.items.push(e);
  }
}

/** Follow `keys` into an argument value (`a.path` on `{ path: p }` is p). */
export function accessKeys(v: V, keys: string[]): V {
  let cur = v;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (cur.k === 'sym') {
      return { k: 'sym', index: cur.index, keys: [...cur.keys, ...keys.slice(i)].slice(0, MAX_KEYS) };
    }
    if (cur.k === 'obj' || cur.k === 'arr') {
      const p = shapeProp(cur, key);
      if (!p) return TOP;
      cur = p;
      continue;
    }
    return cur;
  }
  return cur;
}

function joinPaths(a: Location[], loc: Location | undefined, b: Location[]): Location[] {
  const out = loc ? [...a, loc, ...b] : [...a, ...b];
  return out.length > MAX_PATH ? out.slice(0, MAX_PATH) : out;
}

export class Substitution {
  constructor(
    readonly args: V[],
    readonly callLoc: Location,
  ) {}

  taints(ts: Taint[] | undefined): Taint[] | undefined {
    if (!ts || ts.length === 0) return ts;
    let out: Taint[] | undefined;
    for (const t of ts) {
      const src = t.src;
      if (src.kind === 'formal') {
        const actual = accessKeys(this.args[src.index] ?? TOP, src.keys);
        const at = taintOf(actual);
        if (!at) continue;
        out = mergeTaints(
          out,
          at.map((a) => ({ src: a.src, key: a.key, path: joinPaths(a.path, this.callLoc, t.path) })),
        );
      } else if (src.kind === 'file') {
        const target = this.value(src.target);
        const path = render(target);
        const sensitive = sensitiveKindOfPath(path);
        if (sensitive && path) {
          out = mergeTaints(out, [
            mkTaint({ kind: 'secret', detail: path, location: src.location, sensitive }, t.path),
          ]);
        } else if (hasSym(target)) {
          out = mergeTaints(out, [mkTaint({ kind: 'file', target, location: src.location }, t.path)]);
        }
      } else out = mergeTaints(out, [t]);
    }
    return out;
  }

  value(v: V | undefined, depth = 0): V {
    if (!v) return TOP;
    if (depth > 8) return v;
    let out: V;
    switch (v.k) {
      case 'sym': {
        const actual = accessKeys(this.args[v.index] ?? TOP, v.keys);
        out = actual;
        break;
      }
      case 'str':
        out = concatValues(v.parts.map((p) => this.value(p, depth + 1)));
        if (v.built) out = { ...out, built: true };
        if (v.dec) out = { ...out, dec: true };
        break;
      case 'obj': {
        const props = new Map<string, V>();
        for (const [k, p] of v.props) props.set(k, this.value(p, depth + 1));
        out = { k: 'obj', props };
        if (v.rest) out.rest = this.value(v.rest, depth + 1);
        break;
      }
      case 'arr':
        out = { k: 'arr', items: v.items.map((p) => this.value(p, depth + 1)) };
        if (v.rest) out.rest = this.value(v.rest, depth + 1);
        break;
      case 'union':
        out = { k: 'union', options: v.options.map((p) => this.value(p, depth + 1)) };
        break;
      case 'ref':
        out = v.target ? { ...v, target: this.value(v.target, depth + 1) } : { ...v };
        break;
      case 'fn':
        out = v.self ? { ...v, self: this.value(v.self, depth + 1) } : v;
        break;
      default:
        out = v;
    }
    if (v.k !== 'sym' || v.taint) {
      const taint = this.taints(v.taint);
      if (out === v) out = { ...v };
      if (v.k === 'sym') out = { ...out, taint: mergeTaints(taint, out.taint) };
      else if (taint?.length) out.taint = taint;
      else delete out.taint;
    }
    if (v.marks) out = { ...out, marks: (out.marks ?? 0) | v.marks };
    return out;
  }

  effect(e: EffectRec, callerName: string, gate: string | undefined): EffectRec {
    const out: EffectRec = {
      capability: e.capability,
      api: e.api,
      location: e.location,
      callPath: [callerName, ...e.callPath].slice(0, MAX_CALL_PATH),
    };
    if (e.target) out.target = this.value(e.target);
    if (e.obfuscated) out.obfuscated = true;
    if (e.unresolved) out.unresolved = true;
    if (e.method) out.method = e.method;
    const g = e.gate && gate ? `${gate}; ${e.gate}` : (e.gate ?? gate);
    if (g) out.gate = g;
    const data = this.taints(e.data);
    if (data?.length) out.data = data;
    return out;
  }
}

export function hasSym(v: V | undefined, depth = 0): boolean {
  if (!v || depth > 6) return false;
  switch (v.k) {
    case 'sym':
      return true;
    case 'str':
      return v.parts.some((p) => hasSym(p, depth + 1));
    case 'ref':
      return hasSym(v.target, depth + 1);
    case 'union':
      return v.options.some((p) => hasSym(p, depth + 1));
    default:
      return false;
  }
}

/** A target value as text for the report: arrays (argv, `(host, port)`) joined. */
export function renderTarget(v: V | undefined, capability: Capability): string | undefined {
  if (!v) return undefined;
  if (v.k === 'arr') {
    const parts = v.items.map((i) => render(i) ?? '*');
    if (parts.every((p) => p === '*')) return undefined;
    return parts.join(capability === 'network' ? ':' : ' ');
  }
  if (v.k === 'obj') return undefined;
  return render(v);
}

export const EMPTY_STRING: V = konst('');
