import type { SignalLanguage } from '../types.js';

export interface Refined {
  weight: number;
  /** Overrides the family id (e.g. `exfiltration` vs `data-movement`). */
  id?: string;
  /** Extends the span (e.g. to the destination address). */
  end?: number;
}

/**
 * One phrasing family. Patterns run on the matching text (lower case, diacritics folded), so they are
 * written in lower case without accents. Each must be linear: bounded gaps, no nested quantifiers over
 * overlapping characters.
 */
export interface SignalPattern {
  id: string;
  weight: number;
  /** Global regex. */
  re: RegExp;
  language?: SignalLanguage;
  /** The pattern runs only if the matching text contains one of these literals (cheap pre-filter). */
  anchors: readonly string[];
  /** The match must start a clause (imperative mood), after softeners such as "please", "then", "you must". */
  imperative?: boolean;
  /** Skip when a negation ("do not", "never") directly precedes the match. */
  negatable?: boolean;
  /** Discount when the match is quoted as an example inside a discussion of attacks. */
  mention?: boolean;
  /** Context-dependent weight; null drops the match. */
  refine?: (mt: string, start: number, end: number) => Refined | null;
}

/** Joins regex source fragments; keeps the pattern tables readable. */
export function re(parts: readonly string[], flags = 'g'): RegExp {
  return new RegExp(parts.join(''), flags);
}
