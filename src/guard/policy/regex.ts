// Bounded regular expressions for policy constraints. JavaScript regexes backtrack, so a pattern like
// `(a+)+$` takes exponential time on a crafted argument. Policy patterns are checked once at load:
// no backreferences, no lookbehind, no quantified group that itself contains a quantifier or an
// alternation (the shapes behind catastrophic backtracking), and a length cap. At call time the input
// is capped too, so even a polynomial pattern has a bounded cost.

export const MAX_PATTERN_LENGTH = 256;
/** Inputs longer than this are refused rather than matched. */
export const MAX_MATCH_INPUT = 8192;

/** Returns why the pattern is unsafe, or undefined when it may be used. */
export function unsafePatternReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
  // Each open group: does it contain a quantifier or an alternation so far?
  const stack: { quantified: boolean; alternation: boolean }[] = [];
  let inClass = false;
  let lastAtomQuantifiable = false;
  let lastGroup: { quantified: boolean; alternation: boolean } | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(n) || n === 'k')) return 'backreferences are not allowed';
      i++;
      lastAtomQuantifiable = !inClass;
      lastGroup = undefined;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        lastAtomQuantifiable = true;
        lastGroup = undefined;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return 'lookbehind is not allowed';
      stack.push({ quantified: false, alternation: false });
      lastAtomQuantifiable = false;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (!g) return 'unbalanced parenthesis';
      lastGroup = g;
      lastAtomQuantifiable = true;
      // A group's inner quantifiers also count for the enclosing group.
      const parent = stack[stack.length - 1];
      if (parent && g.quantified) parent.quantified = true;
      continue;
    }
    if (c === '|') {
      const top = stack[stack.length - 1];
      if (top) top.alternation = true;
      lastAtomQuantifiable = false;
      lastGroup = undefined;
      continue;
    }
    const isQuant =
      c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i, i + 24)));
    if (isQuant) {
      if (!lastAtomQuantifiable) {
        // `??`, `*?`, `+?`: lazy modifiers after a quantifier; nothing new to check.
        continue;
      }
      // A small exact count like `(\d{3}-){2}` repeats a bounded number of times: no blow-up.
      const exact = c === '{' ? /^\{(\d+)\}/.exec(pattern.slice(i, i + 24)) : null;
      const bounded = exact !== null && Number(exact[1]) <= 16;
      if (lastGroup && (lastGroup.quantified || lastGroup.alternation) && c !== '?' && !bounded) {
        return 'nested quantifiers or a repeated alternation (catastrophic backtracking) are not allowed';
      }
      const top = stack[stack.length - 1];
      if (top && c !== '?') top.quantified = true;
      if (c === '{') i = pattern.indexOf('}', i);
      lastAtomQuantifiable = false;
      lastGroup = undefined;
      continue;
    }
    lastAtomQuantifiable = c !== '^' && c !== '$';
    lastGroup = undefined;
  }
  return undefined;
}

/** Compiles a pattern already accepted by unsafePatternReason. */
export function compileBoundedPattern(pattern: string): RegExp {
  return new RegExp(pattern, 'u');
}
