// The text detectors: one entry point for the guard and the manifest checks, plus the parts.

import { analyzeInjection, type DetectOptions } from './injection.js';
import { findSecrets } from './secrets.js';
import type { EncodedFinding, HiddenFinding, InjectionResult, SecretFinding } from './types.js';

export { findEncodedPayloads } from './encoded.js';
export { analyzeInjection, type DetectOptions, detectInjection } from './injection.js';
export { matchingText, type NormalizedText, normalizeText, stripHidden } from './normalize.js';
export { OffsetMap } from './offset-map.js';
export { CLUSTER_WINDOW, clusterSignals, DEFAULT_THRESHOLD, scoreSignals } from './score.js';
export {
  encodedForms,
  findSecrets,
  type KnownRedaction,
  maskSecret,
  redactKnownSecrets,
  redactSecrets,
} from './secrets.js';
export type * from './types.js';

const REMOVED = new Set<HiddenFinding['kind']>([
  'zero-width',
  'bidi-control',
  'control-character',
  'ansi-escape',
  'homoglyph',
]);

export interface ScanTextOptions extends DetectOptions {
  /** Look for secrets (default true). */
  secrets?: boolean;
}

export interface TextScan {
  /** The normalised text the detectors matched on (NFKC, invisible characters removed, payloads decoded). */
  normalized: string;
  hidden: HiddenFinding[];
  injection: InjectionResult;
  secrets: SecretFinding[];
  encoded: EncodedFinding[];
}

/**
 * Scans a whole text, however long: every detector is linear in the text, and signals are scored in
 * local clusters, so a long result is judged passage by passage rather than truncated. All spans are
 * into `text`.
 */
export function scanText(text: string, options: ScanTextOptions = {}): TextScan {
  const { normalized, injection, encoded } = analyzeInjection(text, options);
  let secrets: SecretFinding[] = [];
  if (options.secrets !== false) {
    // The matching copy is the lower-cased text when normalisation changed nothing.
    secrets = findSecrets(text, normalized.text === text ? normalized.match : undefined);
    // Secrets split by invisible characters are found in the normalised text and mapped back.
    if (normalized.hidden.some((h) => REMOVED.has(h.kind))) {
      for (const f of findSecrets(normalized.text)) {
        const [start, end] = normalized.map.toOriginal(f.start, f.end);
        if (!secrets.some((s) => s.start < end && start < s.end)) secrets.push({ ...f, start, end });
      }
      secrets.sort((a, b) => a.start - b.start);
    }
  }
  return { normalized: normalized.text, hidden: normalized.hidden, injection, secrets, encoded };
}
