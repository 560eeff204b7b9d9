// The abstract values of the flow engine's interpreter, and the operations on them.
//
// A value says what is statically known about a runtime value: a constant, a partially known
// string, a reference to an API or module by canonical path, a function or class of the package, an
// object/array shape, a symbolic formal parameter (inside function summaries), or nothing (`top`).
// Every value also carries the data sources it holds (taint), gate marks (time, randomness,
// environment, counters) and whether it was built by decoding or string building (`built`).

import type { DataSource, Location } from '../../core/types.js';

/** Where tainted data came from. `formal` is a parameter of the function being summarised. */
export type TaintSource =
  | { kind: 'formal'; index: number; keys: string[] }
  /** The content of a file whose path is still symbolic; a secret once the path folds to a sensitive place. */
  | { kind: 'file'; target: V; location: Location }
  | DataSource;

export interface Taint {
  src: TaintSource;
  /** Identity of the source (computed once): one entry per source in a taint list. */
  key: string;
  /** Locations the value travelled through, source first; capped at MAX_PATH. */
  path: Location[];
}

/** Gate marks: what a value depends on, so a condition over it can be described. */
export const MARK_TIME = 1;
export const MARK_RANDOM = 2;
export const MARK_ENV = 4;
export const MARK_COUNTER = 8;
export const MARK_PARAM = 16;
/** An environment variable's value: a gate only when compared with a constant. */
export const MARK_ENVVAR = 32;

interface Common {
  taint?: Taint[];
  marks?: number;
  /** Produced by decoding or string building (used to mark API names reached that way). */
  built?: boolean;
  /** The API path was reached through getattr/computed indexing/decoding. */
  obf?: boolean;
  /** Text decoded from an encoding (base64, hex, rot13, char codes): unreadable in the source. */
  dec?: boolean;
}

export type V = Common &
  (
    | { k: 'top' }
    | { k: 'const'; v: string | number | boolean | null }
    /** A string with unknown parts; parts are consts and other values. */
    | { k: 'str'; parts: V[] }
    /**
     * A canonical API or module path (`os`, `os.system`, `requests.Session()`). `target` is what an
     * instance was constructed with (a host, URL or file path) and `mode` a file mode, so methods
     * on the instance know where they go.
     */
    | { k: 'ref'; path: string; target?: V; mode?: string }
    | { k: 'fn'; file: string; id: string; self?: V }
    | { k: 'class'; file: string; name: string }
    | { k: 'inst'; file: string; cls: string }
    /** A module of the package (a file), as an import namespace. */
    | { k: 'mod'; file: string }
    /** A binding imported from a package module, resolved when used (import cycles stay lazy). */
    | { k: 'imp'; file: string; name: string }
    | { k: 'obj'; props: Map<string, V>; rest?: V }
    | { k: 'arr'; items: V[]; rest?: V }
    /** Formal parameter `index` of the summarised function, accessed through `keys`. */
    | { k: 'sym'; index: number; keys: string[] }
    /** A zod schema under construction. */
    | { k: 'schema'; type: string; desc?: string; optional?: boolean; props?: Map<string, V>; items?: V }
    /** One of several values (kept when they are functions or references worth calling). */
    | { k: 'union'; options: V[] }
  );

export const MAX_PATH = 12;
export const MAX_TAINTS = 12;
export const MAX_STRING = 64 * 1024;
export const MAX_KEYS = 4;
const MAX_UNION = 4;
const MAX_SHAPE = 64;

export const TOP: V = { k: 'top' };

/** A constant; `built` when string building made it, `'decoded'` when decoding did. */
export function konst(v: string | number | boolean | null, built?: boolean | 'decoded'): V {
  if (typeof v === 'string' && v.length > MAX_STRING) return TOP;
  if (built === 'decoded') return { k: 'const', v, built: true, dec: true };
  return built ? { k: 'const', v, built: true } : { k: 'const', v };
}

/** Whether any part of a (string) value was decoded from an encoding. */
export function isDecoded(v: V | undefined, depth = 0): boolean {
  if (!v || depth > 6) return false;
  if (v.dec) return true;
  if (v.k === 'str') return v.parts.some((p) => isDecoded(p, depth + 1));
  if (v.k === 'union') return v.options.some((p) => isDecoded(p, depth + 1));
  return false;
}

export function isStr(v: V): v is V & { k: 'const'; v: string } {
  return v.k === 'const' && typeof v.v === 'string';
}

export function constStr(v: V | undefined): string | undefined {
  if (v?.k !== 'const') return undefined;
  if (typeof v.v === 'string') return v.v;
  if (typeof v.v === 'number') return String(v.v);
  return undefined;
}

export function mkTaint(src: TaintSource, path: Location[]): Taint {
  return { src, key: sourceKey(src), path };
}

function sourceKey(s: TaintSource): string {
  switch (s.kind) {
    case 'formal':
      return `f${s.index}.${s.keys.join('.')}`;
    case 'param':
      return `p${s.name}`;
    case 'file':
      return `file@${s.location.file}:${s.location.line}`;
    default:
      return `${s.kind}:${s.detail}@${s.location.file}:${s.location.line}`;
  }
}

export function taintKey(t: Taint): string {
  return t.key;
}

/** Union of taint lists, first path kept per source, capped. */
export function mergeTaints(a: Taint[] | undefined, b: Taint[] | undefined): Taint[] | undefined {
  if (!b || b.length === 0) return a;
  if (!a || a.length === 0) return b;
  let out: Taint[] | undefined;
  for (const t of b) {
    const key = t.key;
    const list = out ?? a;
    if (list.some((x) => x.key === key)) continue;
    if (list.length >= MAX_TAINTS) break;
    if (!out) out = a.slice();
    out.push(t);
  }
  return out ?? a;
}

/** Append a step to every taint's path (kept when the cap is reached: the first path wins). */
export function stepTaints(ts: Taint[] | undefined, loc: Location): Taint[] | undefined {
  if (!ts || ts.length === 0) return ts;
  return ts.map((t) => {
    if (t.path.length >= MAX_PATH) return t;
    const last = t.path[t.path.length - 1];
    if (last && last.line === loc.line && last.file === loc.file) return t;
    return { src: t.src, key: t.key, path: [...t.path, loc] };
  });
}

/** All taint a value carries, including that of its parts. Bounded by value size. */
/** Composite values are immutable once built, so their total taint is computed once. */
const taintCache = new WeakMap<V, Taint[] | null>();

export function taintOf(v: V | undefined, depth = 0): Taint[] | undefined {
  if (!v) return undefined;
  if (v.k === 'top' || v.k === 'const') return v.taint;
  const cached = taintCache.get(v);
  if (cached !== undefined) return cached ?? undefined;
  const out = computeTaint(v, depth);
  if (depth === 0) taintCache.set(v, out ?? null);
  return out;
}

function computeTaint(v: V, depth: number): Taint[] | undefined {
  let out = v.taint;
  if (depth > 6) return out;
  switch (v.k) {
    case 'sym':
      out = mergeTaints(out, [mkTaint({ kind: 'formal', index: v.index, keys: v.keys }, [])]);
      break;
    case 'str':
      for (const p of v.parts) out = mergeTaints(out, taintOf(p, depth + 1));
      break;
    case 'obj':
      for (const p of v.props.values()) out = mergeTaints(out, taintOf(p, depth + 1));
      out = mergeTaints(out, taintOf(v.rest, depth + 1));
      break;
    case 'arr':
      for (const p of v.items) out = mergeTaints(out, taintOf(p, depth + 1));
      out = mergeTaints(out, taintOf(v.rest, depth + 1));
      break;
    case 'union':
      for (const p of v.options) out = mergeTaints(out, taintOf(p, depth + 1));
      break;
    case 'ref':
      out = mergeTaints(out, taintOf(v.target, depth + 1));
      break;
    default:
      break;
  }
  return out;
}

export function marksOf(v: V | undefined, depth = 0): number {
  if (!v) return 0;
  let m = v.marks ?? 0;
  if (depth > 6) return m;
  if (v.k === 'sym') m |= MARK_PARAM;
  else if (v.k === 'str') for (const p of v.parts) m |= marksOf(p, depth + 1);
  else if (v.k === 'union') for (const p of v.options) m |= marksOf(p, depth + 1);
  else if (v.k === 'arr') for (const p of v.items) m |= marksOf(p, depth + 1);
  return m;
}

/** An opaque value carrying the taint and marks of `from`. */
export function opaque(...from: (V | undefined)[]): V {
  let taint: Taint[] | undefined;
  let marks = 0;
  for (const f of from) {
    taint = mergeTaints(taint, taintOf(f));
    marks |= marksOf(f);
  }
  const out: V = { k: 'top' };
  if (taint?.length) out.taint = taint;
  if (marks) out.marks = marks;
  return out;
}

/** Copy `v` adding taint and marks. */
export function withTaint(v: V, taint: Taint[] | undefined, marks = 0): V {
  if ((!taint || taint.length === 0) && !marks) return v;
  const out = { ...v } as V;
  const merged = mergeTaints(v.taint, taint);
  if (merged?.length) out.taint = merged;
  if (marks | (v.marks ?? 0)) out.marks = marks | (v.marks ?? 0);
  return out;
}

/** Copy `v` with its taint replaced (e.g. by the same taint with one more path step). */
export function retaint(v: V, taint: Taint[] | undefined): V {
  if (!taint?.length) return v;
  return { ...v, taint } as V;
}

export function withMarks(v: V, marks: number): V {
  return marks ? withTaint(v, undefined, marks) : v;
}

/** String concatenation, folded where the parts are constant. */
export function concatValues(parts: V[]): V {
  const flat: V[] = [];
  let built = false;
  let dec = false;
  for (const p of parts) {
    if (p.k === 'str') {
      flat.push(...p.parts);
    } else flat.push(p);
    if (p.built) built = true;
    if (p.dec || (p.k === 'str' && p.parts.some((x) => x.dec))) dec = true;
  }
  const out = concatFlat(parts, flat, built);
  return dec && !out.dec && (out.k === 'const' || out.k === 'str') ? { ...out, dec: true } : out;
}

function concatFlat(parts: V[], flat: V[], built: boolean): V {
  const merged: V[] = [];
  let size = 0;
  for (const p of flat) {
    const s = p.k === 'const' && p.v !== null && typeof p.v !== 'boolean' ? String(p.v) : undefined;
    const prev = merged[merged.length - 1];
    if (s !== undefined && prev && prev.k === 'const' && !prev.taint && !p.taint) {
      size += s.length;
      if (size > MAX_STRING) return opaque(...parts);
      merged[merged.length - 1] = konst(String(prev.v) + s);
    } else {
      if (s !== undefined) size += s.length;
      merged.push(p.k === 'const' && typeof p.v === 'number' ? konst(String(p.v)) : p);
    }
    if (merged.length > 64) return opaque(...parts);
  }
  if (merged.length === 1 && merged[0]?.k === 'const') {
    const only = merged[0];
    return parts.length > 1 || built ? { ...only, built: true } : only;
  }
  if (merged.length === 0) return konst('', built);
  return { k: 'str', parts: merged, built: parts.length > 1 || built };
}

/** The value as a display string: constants as is, unknown parts as `*`. Undefined when nothing is known. */
export function render(v: V | undefined, depth = 0): string | undefined {
  if (!v || depth > 8) return undefined;
  switch (v.k) {
    case 'const':
      return v.v === null ? undefined : String(v.v);
    case 'str': {
      let s = '';
      let known = false;
      for (const p of v.parts) {
        const r = p.k === 'const' ? render(p, depth + 1) : undefined;
        if (r !== undefined) {
          s += r;
          known = true;
        } else s += '*';
      }
      return known ? s : undefined;
    }
    case 'ref':
      return v.target ? render(v.target, depth + 1) : undefined;
    case 'union': {
      const r = v.options.map((o) => render(o, depth + 1)).filter((x): x is string => x !== undefined);
      return r.length ? [...new Set(r)].join(' | ') : undefined;
    }
    default:
      return undefined;
  }
}

function sameValue(a: V, b: V): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'const':
      return a.v === (b as typeof a).v;
    case 'ref':
      return a.path === (b as typeof a).path;
    case 'fn':
      return a.file === (b as typeof a).file && a.id === (b as typeof a).id;
    case 'class':
    case 'inst':
      return a.file === (b as typeof a).file;
    case 'mod':
      return a.file === (b as typeof a).file;
    case 'sym':
      return a.index === (b as typeof a).index && a.keys.join('.') === (b as typeof a).keys.join('.');
    case 'top':
      return true;
    default:
      return false;
  }
}

/** Join of two branches' values: equal constants stay, shapes merge, callables form a union. */
export function join(a: V | undefined, b: V | undefined, depth = 0): V {
  if (!a) return b ?? TOP;
  if (!b) return a;
  if (a === b) return a;
  const taint = mergeTaints(taintOf(a), taintOf(b));
  const marks = marksOf(a) | marksOf(b);
  if (sameValue(a, b)) {
    const out = withTaint(a, taint, marks);
    if (b.obf) out.obf = true;
    return out;
  }
  if (a.k === 'obj' && b.k === 'obj' && depth < 4) {
    const props = new Map(a.props);
    for (const [key, v] of b.props) {
      if (props.size >= MAX_SHAPE && !props.has(key)) break;
      props.set(key, join(props.get(key), v, depth + 1));
    }
    const out: V = { k: 'obj', props };
    if (a.rest || b.rest) out.rest = join(a.rest, b.rest, depth + 1);
    return out;
  }
  const callable = (v: V) =>
    v.k === 'fn' || v.k === 'ref' || v.k === 'class' || v.k === 'mod' || v.k === 'inst';
  const options: V[] = [];
  for (const v of [a, b]) {
    if (v.k === 'union') options.push(...v.options);
    else options.push(v);
  }
  const keep = options.filter((o) => callable(o) || o.k === 'const' || o.k === 'str');
  if (keep.length > 0 && keep.length <= MAX_UNION && keep.length === options.length) {
    const uniq: V[] = [];
    for (const o of keep) if (!uniq.some((u) => sameValue(u, o))) uniq.push(o);
    if (uniq.length === 1) return withTaint(uniq[0] as V, taint, marks);
    return withTaint({ k: 'union', options: uniq }, taint, marks);
  }
  const out: V = { k: 'top' };
  if (taint?.length) out.taint = taint;
  if (marks) out.marks = marks;
  return out;
}

/** Property of an object/array shape, or undefined when the shape does not say. */
export function shapeProp(v: V, key: string): V | undefined {
  if (v.k === 'obj') return v.props.get(key) ?? v.rest;
  if (v.k === 'arr') {
    const i = Number(key);
    if (Number.isInteger(i) && i >= 0) return v.items[i] ?? v.rest;
    if (key === 'length') return konst(v.items.length);
  }
  return undefined;
}

export function objValue(entries: [string, V][], rest?: V): V {
  const props = new Map<string, V>();
  for (const [k, v] of entries) if (props.size < MAX_SHAPE || props.has(k)) props.set(k, v);
  const out: V = { k: 'obj', props };
  if (rest) out.rest = rest;
  return out;
}

export function arrValue(items: V[]): V {
  if (items.length <= MAX_SHAPE) return { k: 'arr', items };
  return { k: 'arr', items: items.slice(0, MAX_SHAPE), rest: opaque(...items.slice(MAX_SHAPE)) };
}
