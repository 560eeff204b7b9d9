// Compiles the catalogue's path patterns into a lookup indexed by segment count and last segment,
// so matching one canonical path costs a handful of set lookups.

import { API_RULES, type ApiRule, type LangFamily, VALUE_APIS, type ValueApi } from '../catalog/apis.js';

type Segment = ReadonlySet<string> | '*';

interface Compiled<T> {
  segments: Segment[];
  lang?: LangFamily;
  value: T;
}

class PathIndex<T> {
  private readonly byKey = new Map<string, Compiled<T>[]>();

  add(pattern: string, lang: LangFamily | undefined, value: T): void {
    // `Session|session()` reads as `Session()|session()`: a call suffix applies to every alternative.
    const segments: Segment[] = pattern.split('.').map((s) => {
      if (s === '*') return '*';
      const call = s.endsWith('()');
      const alts = (call ? s.slice(0, -2) : s).split('|');
      return new Set(call ? alts.map((a) => (a.endsWith('()') ? a : `${a}()`)) : alts);
    });
    const entry: Compiled<T> = { segments, value };
    if (lang) entry.lang = lang;
    const last = segments[segments.length - 1] as Segment;
    const keys = last === '*' ? ['*'] : [...last];
    for (const k of keys) {
      const key = `${segments.length}:${k}`;
      let list = this.byKey.get(key);
      if (!list) {
        list = [];
        this.byKey.set(key, list);
      }
      list.push(entry);
    }
  }

  lookup(path: string, lang: LangFamily): T | undefined {
    const segs = path.split('.');
    const n = segs.length;
    const lists = [this.byKey.get(`${n}:${segs[n - 1]}`), this.byKey.get(`${n}:*`)];
    for (const list of lists) {
      if (!list) continue;
      for (const c of list) {
        if (c.lang && c.lang !== lang) continue;
        let ok = true;
        for (let i = 0; i < n && ok; i++) {
          const s = c.segments[i] as Segment;
          if (s !== '*' && !s.has(segs[i] as string)) ok = false;
        }
        if (ok) return c.value;
      }
    }
    return undefined;
  }
}

const apiIndex = new PathIndex<ApiRule>();
for (const rule of API_RULES) for (const m of rule.match) apiIndex.add(m, rule.lang, rule);

const valueIndex = new PathIndex<ValueApi>();
for (const v of VALUE_APIS) for (const m of v.match) valueIndex.add(m, v.lang, v.kind);

/** The effect rule for a canonical API path, if it is a catalogued sink. */
export function apiRuleFor(path: string, lang: LangFamily): ApiRule | undefined {
  return apiIndex.lookup(path, lang);
}

/** The value semantics of a canonical API path (decoders, imports, path building…). */
export function valueApiFor(path: string, lang: LangFamily): ValueApi | undefined {
  return valueIndex.lookup(path, lang);
}
