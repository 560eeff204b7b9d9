// What a tool's description says it does and does not do: offline, rule-based, linear time.
//
// The text is tokenised into normalised words (NFKC, lowercase, format characters dropped,
// `n't` split off as `not`) that keep their offsets in the original, then matched against the
// phrase table in catalog/claims.ts with a word trie (longest phrase wins). A small state machine
// handles negation: a negator applies to the first capability phrase within a few words, a
// list ("does not read, write or delete") carries it on, a breaker ("and", "but") ends it, an
// exception after a denial ("never deletes without asking") turns it back into an affirmation,
// and a conditional sentence ("if dry_run is set, nothing is written") states a mode, not the
// tool's nature, so its denials are dropped.

import type { Claim, ToolDefinition } from '../core/types.js';
import {
  type ClaimCapability,
  CONCORD_NEGATORS,
  CONDITIONALS,
  EXCEPTION_PAIRS,
  EXCEPTION_WINDOW,
  EXCEPTIONS,
  LIST_CONTINUERS,
  NEGATION_WINDOW,
  NEGATORS,
  PHRASES,
  type PhraseEntry,
  POSTPOSED_NEGATORS,
  SCOPE_BREAKERS,
  SERVICES,
} from './catalog/claims.js';

/** Texts longer than this are cut: real descriptions are far shorter, hostile ones are not. */
export const MAX_CLAIM_TEXT = 20_000;

type TokenKind = 'word' | 'clause' | 'sentence';

interface Token {
  kind: TokenKind;
  /** Normalised word (empty for boundaries). */
  w: string;
  start: number;
  end: number;
}

// ---- tokeniser --------------------------------------------------------------------------

// `_` joins: `dry_run` and `read_only` in a description name a parameter, not a claim.
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const FORMAT_CHAR = /\p{Cf}/u;
// Chinese and Japanese write words without spaces: each ideograph is a word of its own, and
// phrases in those scripts are matched character by character.
const IDEOGRAPH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CONCORD = new Set(CONCORD_NEGATORS);
const POSTPOSED = new Set(POSTPOSED_NEGATORS);
const APOSTROPHES = new Set(["'", '\u2019', '\u02bc', '\u2018', '`']);
const SENTENCE_PUNCT = new Set(['.', '!', '?', ';', ':', '\n', '\r', '\u2022', '*', '#']);
const CLAUSE_PUNCT = new Set([',', '(', ')', '[', ']', '"', '\u201c', '\u201d', '\u2014', '\u2013', '|']);

function isAsciiWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The UTF-16 unit at `i` is a word character (false past the end). */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (Number.isNaN(c)) return false;
  return c < 128 ? isAsciiWordCode(c) : WORD_CHAR.test(text[i]!);
}

/** Split text into words and boundaries. Linear in the text length. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let wordStart = -1;
  let wordEnd = -1;
  const flush = (): void => {
    if (word) pushWord(tokens, word, wordStart, wordEnd);
    word = '';
    wordStart = -1;
  };
  const boundary = (kind: TokenKind, at: number): void => {
    flush();
    const last = tokens[tokens.length - 1];
    // Collapse runs of boundaries; a sentence boundary outranks a clause boundary.
    if (last && last.kind !== 'word') {
      if (kind === 'sentence') last.kind = 'sentence';
      return;
    }
    tokens.push({ kind, w: '', start: at, end: at + 1 });
  };
  const limit = Math.min(text.length, MAX_CLAIM_TEXT);
  let i = 0;
  while (i < limit) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp < 128) {
      // ASCII, nearly all of a description: NFKC leaves it as is, no format character or ideograph is
      // ASCII, and a word character is [A-Za-z0-9_]. The same decisions as below, without the regexes.
      if (isAsciiWordCode(cp)) {
        if (!word) wordStart = i;
        word += String.fromCharCode(cp >= 65 && cp <= 90 ? cp + 32 : cp);
        wordEnd = i + 1;
      } else {
        const ch = text[i]!;
        if ((cp === 39 || cp === 96) && word) {
          word += "'";
          wordEnd = i + 1;
        } else if (cp === 46 && word && isWordChar(text, i + 1)) flush();
        else if (SENTENCE_PUNCT.has(ch)) boundary('sentence', i);
        else if (CLAUSE_PUNCT.has(ch)) boundary('clause', i);
        else flush();
      }
      i++;
      continue;
    }
    const raw = String.fromCodePoint(cp);
    const width = raw.length;
    if (FORMAT_CHAR.test(raw)) {
      // Zero-width and bidi characters: invisible to the reader, so invisible to us.
      i += width;
      continue;
    }
    const norm = raw.normalize('NFKC').toLowerCase();
    for (const ch of norm) {
      if (IDEOGRAPH.test(ch)) {
        flush();
        tokens.push({ kind: 'word', w: ch, start: i, end: i + width });
      } else if (WORD_CHAR.test(ch)) {
        if (!word) wordStart = i;
        word += ch;
        wordEnd = i + width;
      } else if (APOSTROPHES.has(ch) && word) {
        word += "'";
        wordEnd = i + width;
      } else if (ch === '.' && word && isWordChar(text, i + 1)) {
        // `api.github.com`, `v1.2`: a break, not the end of a sentence.
        flush();
      } else if (SENTENCE_PUNCT.has(ch)) {
        boundary('sentence', i);
      } else if (CLAUSE_PUNCT.has(ch)) {
        boundary('clause', i);
      } else {
        flush();
      }
    }
    i += width;
  }
  flush();
  return tokens;
}

function pushWord(tokens: Token[], raw: string, start: number, end: number): void {
  // Most words hold no apostrophe: nothing below would change them.
  if (!raw.includes("'")) {
    tokens.push({ kind: 'word', w: raw, start, end });
    return;
  }
  let w = raw;
  while (w.endsWith("'")) w = w.slice(0, -1);
  if (w.endsWith("n't")) {
    const base = w.slice(0, -3).replaceAll("'", '');
    if (base) tokens.push({ kind: 'word', w: base === 'ca' ? 'can' : base, start, end });
    tokens.push({ kind: 'word', w: 'not', start, end });
    return;
  }
  // French elision: "n'envoie" is the negator "ne" and "envoie"; "l'accès" is "accès".
  const elided = /^(n|l|d|j|s|c|m|t|qu)'(.+)$/.exec(w);
  if (elided) {
    if (elided[1] === 'n') tokens.push({ kind: 'word', w: 'ne', start, end });
    w = elided[2] as string;
  }
  w = w.replaceAll("'", '');
  if (w) tokens.push({ kind: 'word', w, start, end });
}

/** Words of an identifier: `getWeatherForecast`, `read_file`, `git-status` → lowercase words. */
export function identifierWords(name: string): Token[] {
  const tokens: Token[] = [];
  const limit = Math.min(name.length, 1000);
  let start = -1;
  const push = (end: number): void => {
    if (start >= 0 && end > start)
      tokens.push({ kind: 'word', w: name.slice(start, end).toLowerCase(), start, end });
    start = -1;
  };
  // Character codes, not one-character regexes: this runs for every parameter name, per rule.
  const isUpper = (c: number) => c >= 65 && c <= 90;
  const isLower = (c: number) => c >= 97 && c <= 122;
  const isDigit = (c: number) => c >= 48 && c <= 57;
  for (let i = 0; i < limit; i++) {
    const ch = name.charCodeAt(i);
    if (!isUpper(ch) && !isLower(ch) && !isDigit(ch)) {
      push(i);
      continue;
    }
    const prev = i > 0 ? name.charCodeAt(i - 1) : -1;
    const next = name.charCodeAt(i + 1);
    // camelCase boundary, and the last capital of an acronym run (`HTTPServer` → http, server).
    if (start >= 0 && isUpper(ch) && (isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(next))))
      push(i);
    if (start < 0) start = i;
  }
  push(limit);
  return tokens;
}

// ---- phrase trie ------------------------------------------------------------------------

interface TrieNode {
  next: Map<string, TrieNode>;
  entries: PhraseEntry[];
}

/** A phrase's words as the tokeniser makes them: ideographs one by one. */
function phraseWords(phrase: string): string[] {
  const out: string[] = [];
  for (const word of phrase.split(' ')) {
    if (!IDEOGRAPH.test(word)) {
      out.push(word);
      continue;
    }
    let run = '';
    for (const ch of word) {
      if (IDEOGRAPH.test(ch)) {
        if (run) out.push(run);
        run = '';
        out.push(ch);
      } else run += ch;
    }
    if (run) out.push(run);
  }
  return out;
}

function buildTrie(phrases: readonly PhraseEntry[]): TrieNode {
  const root: TrieNode = { next: new Map(), entries: [] };
  for (const entry of phrases) {
    let node = root;
    for (const word of phraseWords(entry.phrase)) {
      let child = node.next.get(word);
      if (!child) {
        child = { next: new Map(), entries: [] };
        node.next.set(word, child);
      }
      node = child;
    }
    node.entries.push(entry);
  }
  return root;
}

const TRIE = buildTrie([
  ...PHRASES,
  ...SERVICES.map((phrase): PhraseEntry => ({ phrase, polarity: 'implies', capabilities: ['network'] })),
]);

interface Match {
  entries: PhraseEntry[];
  /** Index of the last word of the match. */
  last: number;
}

/** The longest phrase starting at word `i`; a phrase never spans a boundary. */
function longestMatch(tokens: readonly Token[], i: number): Match | null {
  let node: TrieNode | undefined = TRIE;
  let best: Match | null = null;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== 'word') break;
    node = node.next.get(t.w);
    if (!node) break;
    if (node.entries.length) best = { entries: node.entries, last: j };
  }
  return best;
}

/** The phrase ending at `last` closes its clause, or is followed by one of `allowed`. */
function endsClause(tokens: readonly Token[], last: number, allowed: readonly string[]): boolean {
  const next = tokens[last + 1];
  return next?.kind !== 'word' || allowed.includes(next.w);
}

/** A word follows the phrase ending at `last` in its clause, and it is not one of `not`. */
function hasObject(tokens: readonly Token[], last: number, not: readonly string[]): boolean {
  const next = tokens[last + 1];
  return next?.kind === 'word' && !not.includes(next.w);
}

/** Up to `n` words before index `i`, within the clause. */
function wordsBefore(tokens: readonly Token[], i: number, n: number): string[] {
  const out: string[] = [];
  for (let j = i - 1; j >= 0 && out.length < n; j--) {
    const t = tokens[j]!;
    if (t.kind !== 'word') break;
    out.push(t.w);
  }
  return out;
}

// ---- negation state machine ---------------------------------------------------------------

interface PendingClaim extends Claim {
  entry: PhraseEntry;
  /** Came from a negated affirmation (an exception turns it back into an affirmation). */
  negatedAffirmation: boolean;
  /** Token index of the phrase's last word. */
  at: number;
}

interface Negation {
  /** Token index and offset of the negator. */
  index: number;
  start: number;
  /** Odd = negated, even = a double negative ("cannot work without network"). */
  parity: number;
  /** Words left to find the first object. */
  window: number;
  /** An object was found: only a list continuer can carry the negation on. */
  matched: boolean;
  /** "Do not use this to delete files": an instruction to the reader, not a claim about the tool. */
  imperative: boolean;
}

/** First words of the two-word exceptions: the pair is only built when one of them is seen. */
const EXCEPTION_PAIR_FIRSTS = new Set([...EXCEPTION_PAIRS].map((p) => p.split(' ')[0]!));

const DETERMINERS = new Set(['the', 'a', 'an', 'its', 'their', 'your', 'this', 'that']);
const WHOLE = new Set(['full', 'entire', 'whole', 'complete']);

/** The verb's object is "the full/entire/whole X": negating it leaves a part of X affirmed. */
function partialObject(tokens: readonly Token[], last: number): boolean {
  let j = last + 1;
  if (tokens[j]?.kind === 'word' && DETERMINERS.has(tokens[j]!.w)) j++;
  const t = tokens[j];
  return t?.kind === 'word' && WHOLE.has(t.w);
}

function isSentenceStart(tokens: readonly Token[], i: number): boolean {
  let j = i - 1;
  if (j >= 0 && tokens[j]!.w === 'please') j--;
  return j < 0 || tokens[j]!.kind !== 'word';
}

/** `Do not …` / `Don't …` / `Never use …` opening a sentence: the imperative mood. */
function isImperative(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (t.w === 'not') return i > 0 && tokens[i - 1]!.w === 'do' && isSentenceStart(tokens, i - 1);
  if (t.w === 'never' && isSentenceStart(tokens, i)) {
    const next = tokens[i + 1];
    // "Never modifies files" describes; "Never modify files" instructs.
    return next?.kind === 'word' && !next.w.endsWith('s');
  }
  return false;
}

function claimsFromText(text: string, source: Claim['source']): PendingClaim[] {
  const tokens = tokenize(text);
  const out: PendingClaim[] = [];
  let sentenceStart = 0; // index into `out` of the current sentence's first claim
  let conditional = false;
  let clauseStart = 0; // index into `out` of the current clause's first claim
  let neg: Negation | null = null;

  const endSentence = (): void => {
    if (conditional) {
      for (let k = out.length - 1; k >= sentenceStart; k--)
        if (out[k]!.polarity === 'denies') out.splice(k, 1);
    }
    sentenceStart = out.length;
    clauseStart = out.length;
    conditional = false;
    neg = null;
  };

  const emit = (
    entry: PhraseEntry,
    cap: ClaimCapability,
    polarity: Claim['polarity'],
    start: number,
    end: number,
    at: number,
    negatedAffirmation: boolean,
    weak: boolean,
  ): void => {
    const claim: PendingClaim = {
      polarity,
      capability: cap,
      text: text.slice(start, end),
      source,
      start,
      end,
      entry,
      negatedAffirmation,
      at,
    };
    if (weak) claim.weak = true;
    out.push(claim);
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'sentence') {
      endSentence();
      continue;
    }
    if (t.kind === 'clause') {
      clauseStart = out.length;
      // Before its object, a comma ends a negation's reach ("if it does not exist, creates it");
      // after one, the list may go on ("does not read, write, or delete").
      if (neg && !neg.matched) neg = null;
      continue;
    }
    if (CONDITIONALS.has(t.w)) conditional = true;

    const m = longestMatch(tokens, i);
    if (m) {
      const first = tokens[i]!;
      const lastTok = tokens[m.last]!;
      const negated = neg !== null && neg.parity % 2 === 1;
      const active = neg !== null;
      const before = wordsBefore(tokens, i, 4);
      let consumed = false;
      for (const entry of m.entries) {
        const claimStart = active && neg ? neg.start : first.start;
        switch (entry.polarity) {
          case 'neutral':
            consumed = true;
            break;
          case 'implies':
            // "no weather data" implies nothing; the negator keeps looking.
            if (!active) {
              for (const cap of entry.capabilities)
                emit(entry, cap, 'implies', first.start, lastTok.end, m.last, false, false);
            }
            break;
          case 'denies':
            consumed = true;
            if (entry.notAfter?.some((w) => before.includes(w))) break;
            if (entry.endsClause && !endsClause(tokens, m.last, entry.endsClause)) break;
            if (!active) {
              for (const cap of entry.capabilities)
                emit(entry, cap, 'denies', first.start, lastTok.end, m.last, false, entry.weak === true);
            } else if (negated && !entry.weak && !neg?.imperative) {
              // "is not read-only": the tool says it does mutate.
              for (const cap of entry.capabilities)
                emit(entry, cap, 'affirms', claimStart, lastTok.end, m.last, false, false);
            }
            break;
          case 'affirms': {
            if (entry.needsObject && !hasObject(tokens, m.last, entry.needsObject)) break;
            const mode = entry.negation ?? 'strong';
            if (!active) {
              for (const cap of entry.capabilities)
                emit(entry, cap, 'affirms', first.start, lastTok.end, m.last, false, false);
            } else if (!negated) {
              consumed = true;
              for (const cap of entry.capabilities)
                emit(entry, cap, 'affirms', claimStart, lastTok.end, m.last, false, false);
            } else if (mode !== 'none') {
              consumed = true;
              if (neg?.imperative) break;
              // "without sending the full description": only the whole is denied, a part still goes.
              if (partialObject(tokens, m.last)) {
                for (const cap of entry.capabilities)
                  emit(entry, cap, 'affirms', first.start, lastTok.end, m.last, false, false);
                break;
              }
              for (const cap of entry.negatedCapabilities ?? entry.capabilities)
                emit(entry, cap, 'denies', claimStart, lastTok.end, m.last, true, mode === 'weak');
            }
            break;
          }
        }
      }
      if (neg) {
        if (consumed) neg.matched = true;
        else if (--neg.window <= 0) neg = null;
      }
      i = m.last;
      continue;
    }

    // An exception after a denial in the same clause qualifies it.
    if (
      EXCEPTIONS.has(t.w) ||
      (EXCEPTION_PAIR_FIRSTS.has(t.w) && EXCEPTION_PAIRS.has(`${t.w} ${tokens[i + 1]?.w ?? ''}`))
    ) {
      let qualified = false;
      for (let k = out.length - 1; k >= clauseStart; k--) {
        const c = out[k]!;
        if (c.polarity !== 'denies' || i - c.at > EXCEPTION_WINDOW) continue;
        qualified = true;
        if (c.negatedAffirmation) {
          c.polarity = 'affirms';
          delete c.weak;
        } else out.splice(k, 1);
      }
      if (qualified) {
        neg = null;
        continue;
      }
    }

    // "Sendet keine Daten", "verändert nichts": a negator after the verb it negates.
    if (POSTPOSED.has(t.w) && negatePrevious(out, i - 1, clauseStart)) {
      neg = null;
      continue;
    }
    if (NEGATORS.has(t.w)) {
      // "ne … pas", "no … ningún": a second negator of these languages reinforces the first.
      if (neg && CONCORD.has(t.w)) {
        if (!neg.matched) neg.window = NEGATION_WINDOW;
        continue;
      }
      if (neg && !neg.matched) {
        neg.parity++;
        neg.window = NEGATION_WINDOW;
      } else {
        neg = {
          index: i,
          start: t.start,
          parity: 1,
          window: NEGATION_WINDOW,
          matched: false,
          imperative: isImperative(tokens, i),
        };
      }
      continue;
    }
    if (neg) {
      if (SCOPE_BREAKERS.has(t.w)) neg = null;
      else if (neg.matched) {
        if (LIST_CONTINUERS.has(t.w)) {
          neg.matched = false;
          neg.window = 3;
        } else neg = null;
      } else if (--neg.window <= 0) neg = null;
    }
  }
  endSentence();
  return out;
}

/** Turn the affirmations ending at token `at` into denials; false when there are none. */
function negatePrevious(out: PendingClaim[], at: number, clauseStart: number): boolean {
  let found = false;
  for (let k = out.length - 1; k >= clauseStart; k--) {
    const c = out[k]!;
    if (c.at !== at) break;
    if (c.polarity !== 'affirms' || c.entry.polarity !== 'affirms') continue;
    const mode = c.entry.negation ?? 'strong';
    if (mode === 'none') continue;
    const narrowed = c.entry.negatedCapabilities;
    if (narrowed && !narrowed.includes(c.capability as ClaimCapability)) {
      out.splice(k, 1);
      found = true;
      continue;
    }
    c.polarity = 'denies';
    c.negatedAffirmation = true;
    if (mode === 'weak') c.weak = true;
    found = true;
  }
  return found;
}

function claimsFromName(name: string): PendingClaim[] {
  const tokens = identifierWords(name);
  const out: PendingClaim[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(tokens, i);
    if (!m) continue;
    const first = tokens[i]!;
    const last = tokens[m.last]!;
    for (const entry of m.entries) {
      // A name has no sentences to deny anything in; what it names is an implication.
      if (entry.polarity !== 'affirms' && entry.polarity !== 'implies') continue;
      for (const cap of entry.capabilities) {
        out.push({
          polarity: 'implies',
          capability: cap,
          text: name.slice(first.start, last.end),
          source: 'name',
          start: first.start,
          end: last.end,
          entry,
          negatedAffirmation: false,
          at: m.last,
        });
      }
    }
    i = m.last;
  }
  return out;
}

/** Drop implications the same text contradicts by context ("search files" is not the web). */
function applyContext(claims: PendingClaim[]): PendingClaim[] {
  const positive = new Set<ClaimCapability>();
  for (const c of claims) if (c.polarity !== 'denies' && !c.entry.unlessAlso) positive.add(c.capability);
  return claims.filter((c) => !(c.entry.unlessAlso && positive.has(c.entry.unlessAlso)));
}

function strip(c: PendingClaim): Claim {
  const { entry: _entry, negatedAffirmation: _n, at: _at, ...claim } = c;
  return claim;
}

/**
 * What the tool's description and parameter descriptions affirm, deny and imply, and what its
 * name implies. Each claim records the exact words and their offsets in the text they came from.
 */
export function extractClaims(tool: Pick<ToolDefinition, 'name' | 'description' | 'parameters'>): Claim[] {
  const out: Claim[] = [];
  const description = applyContext(claimsFromText(tool.description ?? '', 'description'));
  // An explicit denial beats a domain implication: "translate text, entirely offline" says
  // where the translation runs; "weather from the cached forecast, offline" likewise.
  const denied = new Set<ClaimCapability>();
  for (const c of description) if (c.polarity === 'denies' && !c.weak) denied.add(c.capability);
  const keep = (c: PendingClaim): boolean => !(c.polarity === 'implies' && denied.has(c.capability));
  out.push(...description.filter(keep).map(strip));
  out.push(
    ...applyContext(claimsFromName(tool.name ?? ''))
      .filter(keep)
      .map(strip),
  );
  for (const p of tool.parameters ?? []) {
    if (p.description)
      out.push(
        ...applyContext(claimsFromText(p.description, `param:${p.name}`))
          .filter(keep)
          .map(strip),
      );
  }
  // Two table entries for the same words (a phrase listed twice, a service that is also a
  // domain word) make one claim.
  const seen = new Set<string>();
  return out.filter((c) => {
    const key = `${c.source}\0${c.start}\0${c.end}\0${c.polarity}\0${c.capability}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
