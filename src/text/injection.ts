// Prompt-injection detection over one text: normalise, collect phrasing signals, add hidden-content and
// decoded-payload signals, and score co-located signals together.

import { findEncodedPayloads } from './encoded.js';
import { type NormalizedText, normalizeText } from './normalize.js';
import { DEFAULT_THRESHOLD, scoreSignals } from './score.js';
import { collectSignals } from './signals.js';
import type { EncodedFinding, HiddenFinding, InjectionResult, Signal } from './types.js';

export interface DetectOptions {
  /** Score at or above which the verdict is `injection` (default 0.5). */
  threshold?: number;
  /** Decode base64/hex/URL/HTML-entity runs and rescan them (default true). */
  decode?: boolean;
  /** Decoding layers (default 2). */
  maxDecodeDepth?: number;
  /** Signal families to ignore (e.g. `['urgency']`), for tuning and ablation studies. */
  disabledSignals?: readonly string[];
}

/** How much each kind of hidden content suggests an attack by itself. */
const HIDDEN_WEIGHT: Record<HiddenFinding['kind'], number> = {
  'unicode-tags': 0.6,
  'variation-selectors': 0.5,
  homoglyph: 0.35,
  'bidi-control': 0.2,
  'zero-width': 0.15,
  'html-comment': 0.1,
  'whitespace-padding': 0.1,
  'ansi-escape': 0.1,
  'control-character': 0.1,
};

function hiddenSignals(original: string, hidden: readonly HiddenFinding[]): Signal[] {
  const out: Signal[] = [];
  for (const h of hidden) {
    let weight = HIDDEN_WEIGHT[h.kind];
    // Invisible characters that carry no text are formatting at worst.
    if ((h.kind === 'unicode-tags' || h.kind === 'variation-selectors') && !h.decoded?.trim()) weight = 0.2;
    // ANSI "conceal" (SGR 8) or cursor movement hides text on a terminal.
    if (
      h.kind === 'ansi-escape' &&
      /\x1b\[(?:[0-9;]*;)?8m|\x1b\[\d*[ABCDHJK]/.test(original.slice(h.start, h.end))
    )
      weight = 0.4;
    out.push({
      id: `hidden-${h.kind}`,
      weight,
      start: h.start,
      end: h.end,
      excerpt: h.decoded ?? original.slice(h.start, Math.min(h.end, h.start + 200)),
    });
  }
  return out;
}

function encodedSignals(found: readonly EncodedFinding[], norm: NormalizedText): Signal[] {
  const out: Signal[] = [];
  for (const e of found) {
    const s = e.injection.score;
    if (s < 0.25 && e.secretKinds.length === 0) continue;
    const [start, end] = norm.map.toOriginal(e.start, e.end);
    // Encoding an instruction is itself evasive: a decoded injection weighs a little more than in clear.
    const weight =
      e.injection.verdict === 'injection'
        ? Math.min(0.95, s + 0.1)
        : Math.max(s * 0.8, e.secretKinds.length ? 0.2 : 0);
    out.push({
      id: 'encoded-payload',
      weight: Math.round(weight * 1000) / 1000,
      start,
      end,
      excerpt: `${e.encoding}: ${e.decoded.slice(0, 180)}`,
    });
  }
  return out;
}

export interface InjectionAnalysis {
  normalized: NormalizedText;
  injection: InjectionResult;
  encoded: EncodedFinding[];
}

/** Full analysis: the normalisation, the verdict and the decoded payloads it used. */
export function analyzeInjection(text: string, options: DetectOptions = {}, depth = 0): InjectionAnalysis {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const normalized = normalizeText(text);
  const mt = normalized.match;
  const alphabetRuns: number[] = [];
  const signals = collectSignals(mt, text, normalized.map, alphabetRuns);
  signals.push(...hiddenSignals(text, normalized.hidden));
  let encoded: EncodedFinding[] = [];
  if (options.decode !== false) {
    const rescan = (decoded: string, d: number) => analyzeInjection(decoded, options, d).injection;
    encoded = findEncodedPayloads(normalized.text, rescan, depth, {
      maxDepth: options.maxDecodeDepth ?? 2,
      alphabetRuns,
    });
    signals.push(...encodedSignals(encoded, normalized));
    // Report encoded runs' spans in the original text.
    encoded = encoded.map((e) => {
      const [start, end] = normalized.map.toOriginal(e.start, e.end);
      return { ...e, start, end };
    });
  }
  if (options.disabledSignals?.length) {
    const off = new Set(options.disabledSignals);
    for (let i = signals.length - 1; i >= 0; i--) if (off.has(signals[i]!.id)) signals.splice(i, 1);
  }
  signals.sort((a, b) => a.start - b.start || b.weight - a.weight);
  const score = scoreSignals(signals);
  return {
    normalized,
    injection: { verdict: score >= threshold ? 'injection' : 'clean', score, signals },
    encoded,
  };
}

/** Verdict, score (0..1) and signals with spans into `text`. */
export function detectInjection(text: string, options?: DetectOptions): InjectionResult {
  return analyzeInjection(text, options).injection;
}
