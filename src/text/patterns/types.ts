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
  /**
   * Where a match can start: lower-case ASCII words (the first word of every alternative) or single
   * punctuation characters. The scanner tries the pattern only at those places, which keeps one pass
   * over the text regardless of the number of patterns. A test checks that no match is missed.
   */
  triggers?: readonly string[];
  /** Patterns in scripts without ASCII trigger words run over the whole text when it contains that script. */
  script?: 'cyrillic' | 'cjk';
  /** The match must begin a line (after indentation, quote marks or list bullets). */
  lineStart?: boolean;
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
