// Runs the phrasing families over the matching text and applies the structural checks that decide
// whether a phrase is an instruction to the reader: imperative position, negation, and whether it is
// quoted as an example in a discussion of attacks.

import type { OffsetMap } from './offset-map.js';
import { ENGLISH } from './patterns/english.js';
import { MULTILINGUAL } from './patterns/multilingual.js';
import type { SignalPattern } from './patterns/types.js';
import type { Signal } from './types.js';

export const PATTERNS: readonly SignalPattern[] = [...ENGLISH, ...MULTILINGUAL];

/** Per-pattern cap: a text repeating one phrase thousands of times needs only a few reported. */
const MAX_MATCHES_PER_PATTERN = 64;
const MAX_EXCERPT = 200;

/** Words that may stand between a clause boundary and an imperative verb. */
const SOFTENERS = new Set([
  'please',
  'kindly',
  'then',
  'and',
  'now',
  'also',
  'first',
  'immediately',
  'just',
  'simply',
  'quickly',
  'finally',
  'next',
  'afterwards',
  'todo',
  'so',
  'you',
  'must',
  'should',
  'need',
  'to',
  'can',
  'could',
  'will',
  'would',
  'pls',
  'plz',
  'do',
  'go',
  'ahead',
  'make',
  'sure',
  'be',
  'remember',
  'always',
  'secretly',
  'silently',
  'quietly',
  'additionally',
  'further',
  'furthermore',
  'moreover',
  'still',
  'instead',
  'urgently',
  'asap',
  'step',
  'required',
  'important',
  'note',
  'action',
  'task',
  'reminder',
  'ps',
  'p',
  's',
  'assistant',
  'ai',
  'agent',
  'model',
  'bot',
  'por',
  'favor',
  'bitte',
  'sil',
  'vous',
  'plait',
  'te',
  'prego',
  'пожалуйста',
  'срочно',
  'сейчас',
  'затем',
  'потом',
]);

const BOUNDARY = new Set([...'.!?:;\n\r([{>"\'*•|,`#-—–'.split(''), '\u201c', '\u2018', '\u00ab']);

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || c === "'" || c > '\u00bf';
}

/** True when the match at `idx` begins a clause, possibly after softeners ("please", "then", "you must"). */
export function isClauseStart(mt: string, idx: number): boolean {
  let j = idx;
  for (let words = 0; words < 6; words++) {
    while (j > 0 && (mt[j - 1] === ' ' || mt[j - 1] === '\t')) j--;
    if (j === 0) return true;
    const c = mt[j - 1]!;
    if (BOUNDARY.has(c)) return true;
    if (!isLetter(c)) return false;
    let k = j;
    while (k > 0 && j - k < 24 && isLetter(mt[k - 1]!)) k--;
    if (!SOFTENERS.has(mt.slice(k, j).replace(/'/g, ''))) return false;
    j = k;
  }
  return false;
}

/** A verb followed by a colon is a field name (`email: ...`, `"bcc": []`), not an imperative. */
const FIELD_NAME = /^\s*['"\\]*\s*[:=](?!\/\/)/;

const NEGATION =
  /(?:\bnot|\bnever|n't|\bdont|\bno\s+longer|\bwithout|\bnunca|\bnicht|\bnie|\bjamais|\bnon|\bnao)\s+(?:\w+\s+)?$/;

function isNegated(mt: string, idx: number): boolean {
  return NEGATION.test(mt.slice(Math.max(0, idx - 24), idx));
}

const META =
  /prompt[\s-]?injection|injection\s+attack|jailbreak|attacker|\battacks?\b|malicious|adversarial|payload|red[\s-]team|exploit|phishing|classifier|guardrail|examples?\s+of|security\s+(?:research|training|awareness)|\bdetect/;
const INTRODUCED =
  /(?:such\s+as|like|e\.g\.,?|for\s+example,?|for\s+instance,?|phrases?|strings?|wording|text|saying|says|said|writes?|wrote|containing|contains|includes?|reads?)\s*:?\s*["\u201c'\u2018`]?\s*$/;

/** A phrase quoted or introduced as an example, in text that discusses attacks: mentioned, not used. */
function isMention(mt: string, start: number, end: number): boolean {
  const lineStart = mt.lastIndexOf('\n', start - 1) + 1;
  const before = mt.slice(Math.max(lineStart, start - 300), start);
  let dq = 0;
  let bt = 0;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (c === '"') dq++;
    else if (c === '`') bt++;
    else if (c === '\u201c') dq++;
    else if (c === '\u201d') dq--;
  }
  const prev = before.trimEnd().slice(-1);
  const quoted = dq % 2 === 1 || bt % 2 === 1 || prev === "'" || prev === '\u2018' || prev === '\u00ab';
  const introduced = INTRODUCED.test(before.slice(-48));
  if (!quoted && !introduced) return false;
  return META.test(mt.slice(Math.max(0, start - 400), Math.min(mt.length, end + 400)));
}

function hasAnchor(mt: string, anchors: readonly string[]): boolean {
  for (const a of anchors) if (mt.includes(a)) return true;
  return false;
}

/**
 * Signals in `mt` (the matching text), with spans mapped to the original through `map`.
 * `original` supplies excerpts.
 */
export function collectSignals(mt: string, original: string, map: OffsetMap): Signal[] {
  const out: Signal[] = [];
  for (const p of PATTERNS) {
    if (!hasAnchor(mt, p.anchors)) continue;
    p.re.lastIndex = 0;
    let count = 0;
    let m: RegExpExecArray | null;
    while (count < MAX_MATCHES_PER_PATTERN && (m = p.re.exec(mt)) !== null) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      // Patterns anchored on a line start include the newline: report from the first visible char.
      let start = m.index;
      while (start < m.index + m[0].length && (mt[start] === '\n' || mt[start] === ' ')) start++;
      let end = m.index + m[0].length;
      if (p.imperative && (!isClauseStart(mt, start) || FIELD_NAME.test(mt.slice(end, end + 8)))) continue;
      if (p.negatable && isNegated(mt, start)) continue;
      let weight = p.weight;
      let id = p.id;
      if (p.refine) {
        const r = p.refine(mt, start, end);
        if (!r) continue;
        weight = r.weight;
        if (r.id) id = r.id;
        if (r.end !== undefined) end = Math.max(end, r.end);
      }
      count++;
      const signal: Signal = { id, weight, start: 0, end: 0, excerpt: '' };
      if (p.mention && isMention(mt, start, end)) {
        signal.weight = Math.round(weight * 0.3 * 100) / 100;
        signal.discount = 'quoted as an example in text about attacks';
      }
      const [os, oe] = map.toOriginal(start, end);
      signal.start = os;
      signal.end = oe;
      signal.excerpt = original.slice(os, Math.min(oe, os + MAX_EXCERPT));
      if (p.language) signal.language = p.language;
      out.push(signal);
    }
  }
  return out;
}
