// Result shapes of the text detectors. Every span is [start, end) in UTF-16 code units of the ORIGINAL text.

/** Kinds of content a reader (human or UI) does not see but a model does. */
export type HiddenKind =
  | 'zero-width'
  | 'unicode-tags'
  | 'variation-selectors'
  | 'bidi-control'
  | 'ansi-escape'
  | 'control-character'
  | 'html-comment'
  | 'whitespace-padding'
  | 'homoglyph';

export interface HiddenFinding {
  kind: HiddenKind;
  start: number;
  end: number;
  /** Short human description, e.g. "3 zero-width characters". */
  detail: string;
  /** Text carried by the hidden characters (Unicode tags, variation selectors) or folded (homoglyphs). */
  decoded?: string;
}

/** ISO 639-1 code of the language a multilingual signal is written in. */
export type SignalLanguage = 'en' | 'es' | 'de' | 'fr' | 'it' | 'pt' | 'ru' | 'zh';

export interface Signal {
  /** Signal family, e.g. `override-instructions`, `secrecy`, `encoded-payload`. */
  id: string;
  /** Contribution 0..1 after counter-evidence. */
  weight: number;
  start: number;
  end: number;
  /** The matched original text (capped at 200 characters). */
  excerpt: string;
  language?: SignalLanguage;
  /** Why the weight was lowered (counter-evidence), when it was. */
  discount?: string;
}

export type Verdict = 'injection' | 'clean';

export interface InjectionResult {
  verdict: Verdict;
  /** 0..1: the strongest cluster of co-located signals. */
  score: number;
  signals: Signal[];
}

export interface SecretFinding {
  /** Provider or form, e.g. `aws-access-key-id`, `github-token`, `private-key`, `assignment`, `high-entropy`. */
  kind: string;
  start: number;
  end: number;
  /** The secret with all but its first 4 characters masked. */
  masked: string;
  confidence: 'high' | 'medium';
}

export type EncodingKind = 'base64' | 'hex' | 'url' | 'html-entities';

export interface EncodedFinding {
  encoding: EncodingKind;
  start: number;
  end: number;
  /** Decoded text (capped at 2,000 characters). */
  decoded: string;
  /** Decoding layers, 1 for a single encoding, 2 for base64 inside base64, ... */
  depth: number;
  /** The injection detector's result on the decoded text. */
  injection: InjectionResult;
  /** Secrets found in the decoded text (spans are into the decoded text). */
  secretKinds: string[];
}
