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

const COORDINATORS = new Set(['and', 'then', 'also', 'y', 'und', 'et', 'e', 'и']);

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
    const word = mt.slice(k, j).replace(/'/g, '');
    // A coordinated imperative ("ignore X and send Y") starts a new clause.
    if (COORDINATORS.has(word)) return true;
    if (!SOFTENERS.has(word)) return false;
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

const OPEN_SINGLE = /(?:^|[\s:([])['\u2018](?=\S)/g;
const CLOSE_SINGLE = /[^\s']['\u2019](?=[\s.,;:!?)\]]|$)/g;

/** Whether `before` ends inside a single-quoted passage (apostrophes in words do not count). */
function insideSingleQuotes(before: string): boolean {
  let open = -1;
  let close = -1;
  OPEN_SINGLE.lastIndex = 0;
  for (let m = OPEN_SINGLE.exec(before); m !== null; m = OPEN_SINGLE.exec(before)) open = m.index;
  CLOSE_SINGLE.lastIndex = 0;
  for (let m = CLOSE_SINGLE.exec(before); m !== null; m = CLOSE_SINGLE.exec(before)) close = m.index;
  return open > close;
}

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
  const quoted = dq % 2 === 1 || bt % 2 === 1 || insideSingleQuotes(before) || before.includes('\u00ab');
  const introduced = INTRODUCED.test(before.slice(-48));
  if (!quoted && !introduced) return false;
  return META.test(mt.slice(Math.max(0, start - 400), Math.min(mt.length, end + 400)));
}

interface Compiled {
  p: SignalPattern;
  sticky: RegExp;
}

const WORD_TRIGGERS = new Map<number, { word: string; list: Compiled[] }[]>();
const CHAR_TRIGGERS: Compiled[][] = Array.from({ length: 128 }, () => []);
/** 1 where CHAR_TRIGGERS has patterns: a typed-array test is cheaper than a lookup per character. */
const CHAR_FLAGS = new Uint8Array(128);
/** Bloom-style filter over word hashes: most words fail here without a Map lookup. */
const WORD_FILTER = new Uint8Array(1 << 16);
const SCRIPT_PATTERNS: SignalPattern[] = [];
let MAX_TRIGGER = 0;

function wordHash(s: string, from: number, to: number): number {
  let h = 0;
  for (let k = from; k < to; k++) h = ((h << 5) + h + s.charCodeAt(k)) | 0;
  return h;
}

for (const p of PATTERNS) {
  if (p.script) {
    SCRIPT_PATTERNS.push(p);
    continue;
  }
  const c: Compiled = { p, sticky: new RegExp(p.re.source, `${p.re.flags.replace('g', '')}y`) };
  for (const t of p.triggers ?? []) {
    if (/^[a-z]+$/.test(t)) {
      const h = wordHash(t, 0, t.length);
      let bucket = WORD_TRIGGERS.get(h);
      if (!bucket) {
        bucket = [];
        WORD_TRIGGERS.set(h, bucket);
      }
      let entry = bucket.find((e) => e.word === t);
      if (!entry) {
        entry = { word: t, list: [] };
        bucket.push(entry);
      }
      entry.list.push(c);
      WORD_FILTER[h & 0xffff] = 1;
      MAX_TRIGGER = Math.max(MAX_TRIGGER, t.length);
    } else if (t.length === 1 && t.charCodeAt(0) < 128) {
      CHAR_TRIGGERS[t.charCodeAt(0)]!.push(c);
      CHAR_FLAGS[t.charCodeAt(0)] = 1;
    } else {
      throw new Error(`pattern ${p.id}: trigger "${t}" is neither a lower-case word nor one ASCII character`);
    }
  }
}

function isLineStart(mt: string, idx: number): boolean {
  let j = idx;
  while (j > 0 && ' \t>*#[-'.includes(mt[j - 1]!)) j--;
  return j === 0 || mt[j - 1] === '\n' || mt[j - 1] === '\r';
}

class Collector {
  readonly out: Signal[] = [];
  /**
   * Matches kept per pattern and per resulting (family, weight): a flood of weak or quoted matches of
   * a pattern cannot use up the room a full-weight match later in the text needs.
   */
  private readonly counts = new Map<string, number>();
  private readonly patternIndex = new Map<SignalPattern, number>();
  private readonly lastEnd = new Map<SignalPattern, number>();

  constructor(
    private readonly mt: string,
    private readonly original: string,
    private readonly map: OffsetMap,
  ) {}

  /** Tries `p` on a match found at `m`; records a signal when every structural check passes. */
  accept(p: SignalPattern, m: RegExpExecArray): void {
    const mt = this.mt;
    // Patterns anchored on a line start include the newline: report from the first visible char.
    let start = m.index;
    while (start < m.index + m[0].length && (mt[start] === '\n' || mt[start] === ' ')) start++;
    let end = m.index + m[0].length;
    if (p.lineStart && !isLineStart(mt, start)) return;
    if (p.imperative && (!isClauseStart(mt, start) || FIELD_NAME.test(mt.slice(end, end + 8)))) return;
    if (p.negatable && isNegated(mt, start)) return;
    let weight = p.weight;
    let id = p.id;
    if (p.refine) {
      const r = p.refine(mt, start, end);
      if (!r) return;
      weight = r.weight;
      if (r.id) id = r.id;
      if (r.end !== undefined) end = Math.max(end, r.end);
    }
    this.lastEnd.set(p, m.index + m[0].length);
    const signal: Signal = { id, weight, start: 0, end: 0, excerpt: '' };
    if (p.mention && isMention(mt, start, end)) {
      signal.weight = Math.round(weight * 0.3 * 100) / 100;
      signal.discount = 'quoted as an example in text about attacks';
    }
    let pi = this.patternIndex.get(p);
    if (pi === undefined) {
      pi = this.patternIndex.size;
      this.patternIndex.set(p, pi);
    }
    const key = `${pi}:${id}:${signal.weight}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= MAX_MATCHES_PER_PATTERN) return;
    this.counts.set(key, count + 1);
    const [os, oe] = this.map.toOriginal(start, end);
    signal.start = os;
    signal.end = oe;
    signal.excerpt = this.original.slice(os, Math.min(oe, os + MAX_EXCERPT));
    if (p.language) signal.language = p.language;
    this.out.push(signal);
  }

  tryWord(h: number, i: number, j: number): void {
    const bucket = WORD_TRIGGERS.get(h);
    if (!bucket) return;
    for (const e of bucket)
      if (e.word.length === j - i && this.mt.startsWith(e.word, i)) this.tryAt(e.list, i);
  }

  tryAt(list: readonly Compiled[], i: number): void {
    for (const c of list) {
      if (i < (this.lastEnd.get(c.p) ?? 0)) continue;
      c.sticky.lastIndex = i;
      const m = c.sticky.exec(this.mt);
      if (m && m[0].length > 0) this.accept(c.p, m);
    }
  }
}

/** Shortest encoded run worth decoding. */
const MIN_RUN = 20;

function closeRun(mt: string, start: number, end: number, runs: number[]): void {
  let e = end;
  while (e < mt.length && e - end < 2 && mt.charCodeAt(e) === 61) e++;
  runs.push(start, e);
}

/** The hot loop: finds trigger words and characters, and base64-alphabet runs. Kept small so V8 optimises it. */
function scanTriggers(mt: string, col: Collector, runs: number[] | undefined): number {
  const n = mt.length;
  let i = 0;
  let runStart = -1;
  // Scripts seen (SCRIPT_CYRILLIC | SCRIPT_CJK), so script-specific patterns run only when they can match.
  let scripts = 0;
  while (i < n) {
    const c = mt.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      if (runStart < 0) runStart = i;
      let j = i + 1;
      let h = c;
      while (j < n) {
        const d = mt.charCodeAt(j);
        if (d < 97 || d > 122) break;
        h = ((h << 5) + h + d) | 0;
        j++;
      }
      if (WORD_FILTER[h & 0xffff] === 1 && j - i <= MAX_TRIGGER) col.tryWord(h, i, j);
      i = j;
      continue;
    }
    if (c < 128) {
      if (B64_EXTRA[c] === 1) {
        if (runStart < 0) runStart = i;
      } else {
        if (runStart >= 0 && i - runStart >= MIN_RUN && runs) closeRun(mt, runStart, i, runs);
        runStart = -1;
        if (CHAR_FLAGS[c] === 1) col.tryAt(CHAR_TRIGGERS[c]!, i);
      }
    } else {
      if (runStart >= 0 && i - runStart >= MIN_RUN && runs) closeRun(mt, runStart, i, runs);
      runStart = -1;
      if (c >= 0x400 && c <= 0x4ff) scripts |= SCRIPT_CYRILLIC;
      else if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) scripts |= SCRIPT_CJK;
    }
    i++;
  }
  if (runStart >= 0 && n - runStart >= MIN_RUN && runs) closeRun(mt, runStart, n, runs);
  return scripts;
}

const SCRIPT_CYRILLIC = 1;
const SCRIPT_CJK = 2;

/** Digits and + / _ - (with the letters, the base64 and base64url alphabets). */
const B64_EXTRA = new Uint8Array(128);
for (const ch of '0123456789+/_-') B64_EXTRA[ch.charCodeAt(0)] = 1;

/**
 * Signals in `mt` (the matching text), with spans mapped to the original through `map`.
 * `original` supplies excerpts. One pass over the text finds trigger words; each pattern runs only
 * where one of its triggers starts. `runs`, when given, receives the base64-alphabet runs.
 */
export function collectSignals(mt: string, original: string, map: OffsetMap, runs?: number[]): Signal[] {
  const col = new Collector(mt, original, map);
  const scripts = scanTriggers(mt, col, runs);
  if (SCRIPT_PATTERNS.length > 0) {
    const cyr = (scripts & SCRIPT_CYRILLIC) !== 0;
    const cjk = (scripts & SCRIPT_CJK) !== 0;
    for (const p of SCRIPT_PATTERNS) {
      if ((p.script === 'cyrillic' && !cyr) || (p.script === 'cjk' && !cjk)) continue;
      p.re.lastIndex = 0;
      let m: RegExpExecArray | null = p.re.exec(mt);
      while (m !== null) {
        if (m[0].length === 0) p.re.lastIndex++;
        else col.accept(p, m);
        m = p.re.exec(mt);
      }
    }
  }
  return col.out;
}

/** Reference implementation: every pattern over the whole text. Slow; used by tests to check the triggers. */
export function collectSignalsExhaustive(mt: string, original: string, map: OffsetMap): Signal[] {
  const col = new Collector(mt, original, map);
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null = p.re.exec(mt);
    while (m !== null) {
      if (m[0].length === 0) p.re.lastIndex++;
      else col.accept(p, m);
      m = p.re.exec(mt);
    }
  }
  return col.out;
}
