// Normalisation: one pass over the text that removes what a reader cannot see, decodes what invisible
// characters carry, applies NFKC and folds look-alike letters, and keeps a map back to the original so
// every later finding reports spans in the text the caller holds. Pure ASCII printable text takes a fast
// path (one regex test) and is returned unchanged.

import { isAsciiLetter, isCyrillicOrGreek, latinLookAlike } from './confusables.js';
import { describe, MAX_HIDDEN_FINDINGS, reportHtmlComments, reportPadding } from './hidden.js';
import { blankEscapes, matchChars } from './matching.js';
import { IdentityMap, OffsetMap } from './offset-map.js';
import type { HiddenFinding, HiddenKind } from './types.js';

export interface NormalizedText {
  original: string;
  /** NFKC, invisible characters removed, tag/variation-selector payloads decoded inline, homoglyphs folded. */
  text: string;
  hidden: HiddenFinding[];
  /** What the signal patterns run on: `text` lower-cased, diacritics folded, escapes blanked (see matchingText). */
  match: string;
  /** Maps spans of `text` (and `match`, which has the same length) to spans of `original`. */
  map: OffsetMap;
}

const SPECIAL_RUN = /[^\t\n\r\x20-\x7e]+/g;
const HAS_SPECIAL = /[^\t\n\r\x20-\x7e]/;

/** Zero-width and other invisible formatting characters that carry no meaning in tool output. */
function isZeroWidth(cp: number): boolean {
  return (
    cp === 0x200b ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x2060 ||
    cp === 0xfeff ||
    cp === 0x180e ||
    (cp >= 0x2061 && cp <= 0x2064) ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    cp === 0x17b4 ||
    cp === 0x17b5
  );
}

function isBidiOverride(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

function isCombiningMark(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  );
}

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Scripts where ZWJ/ZWNJ are part of ordinary spelling. */
function joinerIsOrthographic(cp: number): boolean {
  return (
    (cp >= 0x0600 && cp <= 0x08ff) ||
    (cp >= 0x0900 && cp <= 0x0dff) ||
    (cp >= 0xfb50 && cp <= 0xfeff) ||
    cp >= 0x1f000 ||
    (cp >= 0x2600 && cp <= 0x27bf) ||
    cp === 0xfe0f
  );
}

const LETTER = /\p{L}/u;

function codePointBefore(text: string, i: number): number {
  if (i <= 0) return 0;
  const lo = text.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = text.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  }
  return lo;
}

class Builder {
  readonly parts: string[] = [];
  readonly map = new OffsetMap();
  readonly hidden: HiddenFinding[] = [];

  readonly matchParts: string[] = [];

  /** Emits an ASCII stretch copied unchanged. */
  emitAscii(s: string, origStart: number): void {
    if (s.length === 0) return;
    this.parts.push(s);
    this.matchParts.push(s.toLowerCase());
    this.map.push(s.length, origStart, origStart + s.length, true);
  }

  emit(s: string, origStart: number, origEnd: number): void {
    if (s.length === 0) return;
    this.parts.push(s);
    this.matchParts.push(matchChars(s));
    this.map.push(s.length, origStart, origEnd, s.length === origEnd - origStart);
  }

  /** Emits a decoded payload as one block mapped to the characters that carried it. */
  emitBlock(s: string, origStart: number, origEnd: number): void {
    if (s.length === 0) return;
    this.parts.push(s);
    this.matchParts.push(matchChars(s));
    this.map.push(s.length, origStart, origEnd, false);
  }

  report(kind: HiddenKind, start: number, end: number, decoded?: string): void {
    const last = this.hidden[this.hidden.length - 1];
    // Merge runs of the same kind that are close together (one finding per obfuscated word, not per char).
    const gap = kind === 'ansi-escape' ? 200 : 8;
    if (last && last.kind === kind && start - last.end <= gap && decoded === undefined && !last.decoded) {
      last.end = end;
      return;
    }
    if (this.hidden.length >= MAX_HIDDEN_FINDINGS) return;
    const f: HiddenFinding = { kind, start, end, detail: '' };
    if (decoded !== undefined) f.decoded = decoded;
    this.hidden.push(f);
  }
}

/** Length of the ANSI escape sequence at `i` (ESC or C1 CSI), at least 1. */
function ansiLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  let j = i + 1;
  if (c === 0x9b || (c === 0x1b && text.charCodeAt(j) === 0x5b)) {
    if (c === 0x1b) j++;
    const limit = Math.min(text.length, j + 64);
    while (j < limit) {
      const d = text.charCodeAt(j);
      j++;
      if (d >= 0x40 && d <= 0x7e) return j - i;
      if (d < 0x20 || d > 0x3f) return j - i - 1;
    }
    return j - i;
  }
  if (c === 0x1b && (text.charCodeAt(j) === 0x5d || text.charCodeAt(j) === 0x50)) {
    // OSC / DCS: up to BEL or ST (ESC \), bounded.
    const limit = Math.min(text.length, j + 4096);
    for (j++; j < limit; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x07) return j + 1 - i;
      if (d === 0x1b && text.charCodeAt(j + 1) === 0x5c) return j + 2 - i;
    }
    return j - i;
  }
  return c === 0x1b && j < text.length ? 2 : 1;
}

function decodeVariationSelectors(bytes: number[]): string {
  const s = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes));
  // Keep the decoded payload only when it is readable text.
  return /^[\p{L}\p{N}\p{P}\p{S}\s]*$/u.test(s) ? s : '';
}

interface WordDecision {
  end: number;
  fold: boolean;
}

/** Decides whether Cyrillic/Greek look-alikes in the word around `i` stand in for Latin letters. */
function homoglyphDecision(text: string, i: number): WordDecision {
  let s = i;
  while (s > 0 && i - s < 64 && LETTER.test(text[s - 1]!)) s--;
  let e = i;
  while (e < text.length && e - i < 64 && LETTER.test(text[e]!)) e++;
  let latin = 0;
  let lookAlike = 0;
  let other = 0;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (isAsciiLetter(c)) latin++;
    else if (latinLookAlike(text[k]!) !== undefined) lookAlike++;
    else other++;
  }
  if (other > 0 || lookAlike === 0) return { end: e, fold: false };
  if (latin > 0) return { end: e, fold: true };
  // A whole word of look-alikes counts when the text around it is Latin, and only then: a Russian
  // word ("все", "Не") beside a Latin identifier is a language, not a disguise, so another word in
  // the same script nearby keeps it as written.
  const before = text.slice(Math.max(0, s - 3), s);
  const after = text.slice(e, e + 3);
  const latinNeighbour = /[A-Za-z]/.test(before) || /[A-Za-z]/.test(after);
  if (!latinNeighbour || e - s < 2) return { end: e, fold: false };
  const around = `${text.slice(Math.max(0, s - 40), s)} ${text.slice(e, e + 40)}`;
  return { end: e, fold: !/[\u0370-\u03ff\u0400-\u052f]/.test(around) };
}

const NFKC_CACHE = new Map<number, string>();

/** NFKC of one code point, memoised (the call is costly and texts repeat the same few characters). */
function nfkcOf(cp: number, ch: string): string {
  let n = NFKC_CACHE.get(cp);
  if (n === undefined) {
    n = ch.normalize('NFKC');
    if (NFKC_CACHE.size < 65536) NFKC_CACHE.set(cp, n);
  }
  return n;
}

function processRun(b: Builder, text: string, start: number, runEnd: number): number {
  let i = start;
  let word: WordDecision | undefined;
  let wordStart = -1;
  while (i < runEnd) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    if (cp === 0x1b || cp === 0x9b) {
      const n = ansiLength(text, i);
      b.report('ansi-escape', i, i + n);
      i += n;
      if (i > runEnd) return i;
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      b.report('control-character', i, i + 1);
      i++;
      continue;
    }
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      let j = i;
      let decoded = '';
      while (j < runEnd) {
        const t = text.codePointAt(j)!;
        if (t < 0xe0000 || t > 0xe007f) break;
        if (t >= 0xe0020 && t <= 0xe007e) decoded += String.fromCharCode(t - 0xe0000);
        j += 2;
      }
      const isFlag =
        text.codePointAt(i - 2) === 0x1f3f4 && text.codePointAt(j - 2) === 0xe007f && j - i <= 16;
      if (!isFlag) {
        b.report('unicode-tags', i, j, decoded);
        b.emitBlock(` ${decoded} `, i, j);
      }
      i = j;
      continue;
    }
    if (isVariationSelector(cp)) {
      let j = i;
      const bytes: number[] = [];
      while (j < runEnd) {
        const v = text.codePointAt(j)!;
        if (!isVariationSelector(v)) break;
        bytes.push(v <= 0xfe0f ? v - 0xfe00 : v - 0xe0100 + 16);
        j += v > 0xffff ? 2 : 1;
      }
      if (bytes.length >= 2) {
        const decoded = decodeVariationSelectors(bytes);
        b.report('variation-selectors', i, j, decoded);
        b.emitBlock(` ${decoded} `, i, j);
      }
      i = j;
      continue;
    }
    if (isZeroWidth(cp)) {
      const prev = codePointBefore(text, i);
      const next = text.codePointAt(i + 1) ?? 0;
      const joiner = cp === 0x200c || cp === 0x200d;
      if (joiner && (joinerIsOrthographic(prev) || joinerIsOrthographic(next))) {
        b.emit(text[i]!, i, i + 1);
      } else if (!(cp === 0xfeff && i === 0)) {
        b.report('zero-width', i, i + 1);
      }
      i++;
      continue;
    }
    if (isBidiOverride(cp)) {
      b.report('bidi-control', i, i + 1);
      i++;
      continue;
    }
    if (cp === 0x200e || cp === 0x200f || cp === 0x061c) {
      i++;
      continue;
    }
    if (isCombiningMark(cp) && i > 0 && isAsciiLetter(text.charCodeAt(i - 1))) {
      // A mark on an ASCII letter: drop it so "i\u0307gnore" matches like "ignore".
      i++;
      continue;
    }
    // A letter (or symbol) with any combining marks that follow it.
    let j = i + size;
    while (j < runEnd && j - i < 32 && isCombiningMark(text.charCodeAt(j))) j++;
    const cluster = text.slice(i, j);
    let out = j === i + size ? nfkcOf(cp, cluster) : cluster.normalize('NFKC');
    if (size === 1 && isCyrillicOrGreek(cp)) {
      const latin = latinLookAlike(cluster);
      if (latin !== undefined) {
        if (!word || i >= word.end) {
          word = homoglyphDecision(text, i);
          wordStart = -1;
        }
        if (word.fold) {
          out = latin;
          if (wordStart < 0) {
            wordStart = i;
            let ws = i;
            while (ws > 0 && i - ws < 64 && LETTER.test(text[ws - 1]!)) ws--;
            const folded = Array.from(text.slice(ws, word.end), (ch) => latinLookAlike(ch) ?? ch).join('');
            b.report('homoglyph', ws, word.end, folded);
          }
        }
      }
    }
    b.emit(out, i, j);
    i = j;
  }
  return i;
}

/** Normalises `text` for matching and reports hidden content with spans into `text`. */
export function normalizeText(text: string): NormalizedText {
  const hidden: HiddenFinding[] = [];
  let normalized = text;
  let match: string | undefined;
  let map: OffsetMap = new IdentityMap(text.length);
  if (HAS_SPECIAL.test(text)) {
    const b = new Builder();
    let last = 0;
    SPECIAL_RUN.lastIndex = 0;
    for (let m = SPECIAL_RUN.exec(text); m !== null; m = SPECIAL_RUN.exec(text)) {
      if (m.index > last) b.emitAscii(text.slice(last, m.index), last);
      last = processRun(b, text, m.index, m.index + m[0].length);
      SPECIAL_RUN.lastIndex = last;
    }
    if (last < text.length) b.emitAscii(text.slice(last), last);
    normalized = b.parts.join('');
    match = blankEscapes(b.matchParts.join(''));
    map = b.map;
    hidden.push(...b.hidden);
  }
  if (text.includes('<!--')) reportHtmlComments(text, hidden);
  reportPadding(text, hidden);
  hidden.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const f of hidden) f.detail = describe(f);
  match ??= blankEscapes(text.toLowerCase());
  return { original: text, text: normalized, match, hidden, map };
}

export { stripHidden } from './hidden.js';
export { matchingText } from './matching.js';
