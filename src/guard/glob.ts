// Wildcard matching without regular expressions: policy globs are matched against model-chosen
// values on every call, so the matchers are written to run in O(pattern × input) at worst.

/**
 * Greedy `*` matching with one backtrack point, O(pattern × text) at worst. `*` in the pattern
 * matches any run of text; every other pattern character must satisfy `same` with the text's.
 */
function starMatch(pattern: string, text: string, same: (pc: string, tc: string) => boolean): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc !== undefined && pc !== '*' && same(pc, text[t] as string)) {
      p++;
      t++;
    } else if (pc === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

const wildcardChar = (pc: string, tc: string) => pc === '?' || pc === tc;
// For coverage, the inner pattern's `*`/`?` can only be absorbed by an outer `*`.
const literalChar = (pc: string, tc: string) => tc !== '*' && tc !== '?' && pc === tc;

/** `*` matches any run of characters (including none), `?` one character. Case-sensitive. */
export function wildcardMatch(pattern: string, text: string): boolean {
  return starMatch(pattern, text, wildcardChar);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * Path glob over `/`-separated segments: `**` as a whole segment matches zero or more segments,
 * `*` and `?` stay inside one segment. Both sides must be absolute canonical paths.
 */
export function pathGlobMatch(pattern: string, path: string): boolean {
  const ps = pattern.split('/');
  const ts = path.split('/');
  // reachable[j]: the pattern prefix matched so far can end just before path segment j.
  let reachable = new Uint8Array(ts.length + 1);
  reachable[0] = 1;
  for (const seg of ps) {
    const next = new Uint8Array(ts.length + 1);
    if (seg === '**') {
      let on = 0;
      for (let j = 0; j <= ts.length; j++) {
        if (reachable[j]) on = 1;
        next[j] = on;
      }
    } else {
      for (let j = 0; j < ts.length; j++) {
        if (reachable[j] && wildcardMatch(seg, ts[j] as string)) next[j + 1] = 1;
      }
    }
    reachable = next;
  }
  return reachable[ts.length] === 1;
}

/** True when every string `inner` matches is also matched by `outer` (conservative: may say false). */
export function wildcardCovers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (!hasWildcard(outer)) return false;
  // Treat the inner pattern's wildcards as literal characters the outer `*` can absorb; this is exact
  // when the outer pattern has only `*` (a `*` in inner is then covered only by an outer `*`).
  if (outer.includes('?')) return !hasWildcard(inner) && wildcardMatch(outer, inner);
  return starCovers(outer, inner);
}

function starCovers(outer: string, inner: string): boolean {
  return starMatch(outer, inner, literalChar);
}
