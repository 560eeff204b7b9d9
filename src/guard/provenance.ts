// Argument provenance: values that entered the context through untrusted results (addresses, hosts,
// URLs, IBANs, account numbers, paths, and whole strings) are remembered per session, with the
// trusted input (the user's prompt, arguments sent before any untrusted content). A sink call whose
// arguments carry a value seen in untrusted content and not in trusted input is tainted.
// Extraction is a hand-written tokeniser plus two bounded regexes, linear in the text.

import { domainToASCII } from 'node:url';

/** Whole-string matches start at this length (shorter strings collide by chance). */
export const MIN_TAINT_LENGTH = 8;
/** A single word is only distinctive with a digit or an address-like character (`tomorrow` is not). */
const DISTINCTIVE_WORD = /[0-9@/:._-]/;
/** Several words are distinctive from this length on (a phrase, not a common pair). */
const MIN_PHRASE_LENGTH = 16;

/** Whether a normalised argument string is specific enough that finding it in a result means it came from there. */
function distinctive(n: string): boolean {
  if (n.length < MIN_TAINT_LENGTH || n.length > MAX_WHOLE_STRING) return false;
  return n.includes(' ') ? n.length >= MIN_PHRASE_LENGTH : DISTINCTIVE_WORD.test(n);
}
const MAX_WHOLE_STRING = 4096;
const MAX_CORPUS_CHARS = 8 * 1024 * 1024;
const MAX_ENTITIES = 200_000;
const MAX_ARG_STRINGS = 2000;
const MAX_ARG_DEPTH = 16;

const COLLAPSE = /(?:[^\S ]| {2})\s*/g;
const DELIMITER = new Uint8Array(128);
for (let c = 0; c <= 0x20; c++) DELIMITER[c] = 1;
for (const ch of '<>"\'`()[]{},;!|') DELIMITER[ch.charCodeAt(0)] = 1;

function isDelimiter(code: number): boolean {
  return code < 128
    ? DELIMITER[code] === 1
    : code === 0x85 || code === 0xa0 || code === 0x2028 || code === 0x2029;
}

/** Tokens that could be an entity: between delimiters, 4..2048 long, with `@`, `.`, `/` or a digit. */
function candidateTokens(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let interesting = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    if (isDelimiter(c)) {
      const len = i - start;
      if (interesting && len >= 4 && len <= 2048) out.push(text.slice(start, i));
      start = i + 1;
      interesting = false;
    } else if (c === 0x40 || c === 0x2f || (c >= 0x30 && c <= 0x39)) {
      interesting = true;
    } else if (c === 0x2e && i + 1 < text.length) {
      // A dot inside a token (a host), not the full stop that ends a sentence.
      const next = text.charCodeAt(i + 1);
      if (!isDelimiter(next) && next !== 0x2e) interesting = true;
    }
  }
  return out;
}
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower case, NFKC, whitespace collapsed: the form both corpora and arguments are compared in. */
export function normalizeForProvenance(text: string): string {
  // Only runs that are not already a single space are rewritten: cheap on long texts.
  return text.normalize('NFKC').toLowerCase().replace(COLLAPSE, ' ').trim();
}

function trimToken(t: string): string {
  let s = 0;
  let e = t.length;
  while (s < e && ':.?*#'.includes(t[s] as string)) s++;
  while (e > s && ':.?*#/'.includes(t[e - 1] as string)) e--;
  return t.slice(s, e);
}

function looksLikeDomain(t: string): boolean {
  if (t.length < 4 || t.length > 253 || !t.includes('.')) return false;
  const labels = t.split('.');
  const tld = labels[labels.length - 1] as string;
  if (!/^[a-z]{2,24}$/.test(tld) && !tld.startsWith('xn--')) return false;
  return labels.every((l) => DOMAIN_LABEL.test(l));
}

/**
 * Generic top-level domains a bare host (no scheme, no `@`) may end in. Without a scheme,
 * `math.floor` or `process.env` in source code would read as hosts and taint every edit of code an
 * untrusted file mentioned; two-letter country codes are always accepted. URLs and e-mail addresses
 * accept any TLD.
 */
const GENERIC_TLDS = new Set(
  (
    'com net org info biz edu gov mil int name pro aero coop mobi asia tel travel jobs cat post xxx ' +
    'app dev io ai co me tv cc ws xyz top site online store shop tech cloud digital email link click ' +
    'club live life world today news blog page space website host network systems solutions services ' +
    'company agency center group media social zone tools support help download zip mov bank money ' +
    'finance capital pay cash fund loans credit market work works team chat one plus global ' +
    'icu buzz fun vip win bid loan date review party racing trade science stream gdn men rest ' +
    'cyou sbs cfd bond quest lol mom skin hair beauty monster uno best fyi wiki ninja rocks guru ' +
    'studio design art photo pics gallery video film music games game bet casino poker ' +
    'academy school university college education institute courses training ' +
    'health care clinic doctor dental hospital law legal lawyer attorney tax accountant ' +
    'london nyc paris berlin tokyo amsterdam wien ' +
    'google amazon microsoft apple github gitlab'
  ).split(' '),
);

function bareHostTld(host: string): boolean {
  const tld = host.slice(host.lastIndexOf('.') + 1);
  return tld.length === 2 || tld.startsWith('xn--') || GENERIC_TLDS.has(tld);
}

/** Entities in a (normalised, lower-cased) text. `original` is the same text before lower-casing, for IBANs. */
export function extractEntities(normalized: string, original?: string): Set<string> {
  const out = new Set<string>();
  for (const raw of candidateTokens(normalized)) {
    const tok = trimToken(raw);
    if (tok.length < 4) continue;
    if (tok.startsWith('http://') || tok.startsWith('https://')) {
      // Parsed by hand (new URL costs microseconds per token); arguments go through the same code.
      const rest = tok.slice(tok.indexOf('//') + 2);
      let end = rest.length;
      for (const stop of ['/', '?', '#']) {
        const k = rest.indexOf(stop);
        if (k >= 0 && k < end) end = k;
      }
      const authority = rest.slice(0, end);
      let host = authority.slice(authority.lastIndexOf('@') + 1);
      const colon = host.lastIndexOf(':');
      if (colon > 0 && !host.endsWith(']')) host = host.slice(0, colon);
      if (host.endsWith('.')) host = host.slice(0, -1);
      if (!/^[\x00-\x7f]*$/.test(host)) host = domainToASCII(host);
      if (host) out.add(`host:${host}`);
      out.add(`url:${tok}`);
      continue;
    }
    const at = tok.indexOf('@');
    if (at > 0 && at === tok.lastIndexOf('@') && looksLikeDomain(tok.slice(at + 1))) {
      out.add(`email:${tok.replace(/^mailto:/, '')}`);
      continue;
    }
    if (looksLikeDomain(tok) && bareHostTld(tok)) {
      out.add(`host:${tok}`);
      continue;
    }
    if (
      (tok.startsWith('/') || tok.startsWith('~/') || tok.startsWith('./')) &&
      tok.length >= 3 &&
      tok.indexOf('/', 1) > 0
    ) {
      out.add(`path:${tok}`);
      continue;
    }
    const digits = tok.replace(/[-\s]/g, '');
    if (digits.length >= 8 && digits.length <= 34 && /^\d+$/.test(digits)) out.add(`account:${digits}`);
  }
  const upper = (original ?? normalized).toUpperCase();
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(upper); m !== null; m = IBAN.exec(upper)) {
    out.add(`account:${m[0].replace(/ /g, '').toLowerCase()}`);
  }
  return out;
}

const ENTITY_NAMES: Record<string, string> = {
  email: 'the e-mail address',
  host: 'the host',
  url: 'the URL',
  path: 'the path',
  account: 'the account number',
};

function describeEntity(entity: string): string {
  const kind = entity.slice(0, entity.indexOf(':'));
  return `${ENTITY_NAMES[kind] ?? kind} ${entityValue(entity)}`;
}

function entityValue(entity: string): string {
  return entity.slice(entity.indexOf(':') + 1);
}

export interface TaintHit {
  /** What was found, in words: `the e-mail address x@y`, `the account number …`, `the text "…"`. */
  entity: string;
  /** The argument it was found in. */
  argument: string;
}

/**
 * Normalised texts kept newest-last with a total cap. Kept as separate pieces (one per result or
 * input), not one growing string, so appending is cheap; a value copied from a result lies inside
 * that result's piece.
 */
class Corpus {
  private pieces: string[] = [];
  private readonly seen = new Set<string>();
  private chars = 0;

  get size(): number {
    return this.chars;
  }

  /** Adds a piece; false when the same text is already there (a result read again). */
  add(text: string): boolean {
    if (this.seen.has(text)) return false;
    this.seen.add(text);
    this.pieces.push(text);
    this.chars += text.length;
    while (this.chars > MAX_CORPUS_CHARS && this.pieces.length > 1) {
      const dropped = this.pieces.shift() as string;
      this.seen.delete(dropped);
      this.chars -= dropped.length;
    }
    return true;
  }

  includes(value: string): boolean {
    for (let i = this.pieces.length - 1; i >= 0; i--)
      if ((this.pieces[i] as string).includes(value)) return true;
    return false;
  }
}

/** The provenance state of one session. */
export class ProvenanceLedger {
  private readonly untrusted = new Corpus();
  private readonly trusted = new Corpus();
  private readonly trustedCompact = new Corpus();
  private readonly tainted = new Set<string>();

  get hasUntrusted(): boolean {
    return this.untrusted.size > 0 || this.tainted.size > 0;
  }

  addTrusted(text: string): void {
    const n = normalizeForProvenance(text);
    if (!n) return;
    this.trusted.add(n);
    this.trustedCompact.add(n.replace(/[\s-]/g, ''));
  }

  addUntrusted(text: string): void {
    const n = normalizeForProvenance(text);
    if (!n) return;
    if (!this.untrusted.add(n) || this.tainted.size >= MAX_ENTITIES) return;
    for (const e of extractEntities(n, text)) {
      if (this.isTrusted(e)) continue;
      this.tainted.add(e);
      if (this.tainted.size >= MAX_ENTITIES) break;
    }
  }

  private isTrusted(entity: string): boolean {
    const v = entityValue(entity);
    if (entity.startsWith('account:')) return this.trustedCompact.includes(v);
    return this.trusted.includes(v);
  }

  /** The first tainted value in the arguments, if any. */
  findTaint(args: Record<string, unknown>): TaintHit | undefined {
    if (!this.hasUntrusted) return undefined;
    const strings: [string, string][] = [];
    // Arguments too large or deep to check whole are treated as carrying untrusted content.
    if (!collectStrings(args, '', 0, strings)) {
      return { entity: 'arguments too large or deeply nested to check', argument: 'arguments' };
    }
    for (const [argument, value] of strings) {
      const n = normalizeForProvenance(value);
      if (this.tainted.size > 0) {
        for (const e of extractEntities(n, value)) {
          if (this.tainted.has(e) && !this.isTrusted(e)) return { entity: describeEntity(e), argument };
        }
      }
      if (distinctive(n)) {
        if (this.untrusted.includes(n) && !this.trusted.includes(n)) {
          return { entity: `the text "${n.length > 60 ? `${n.slice(0, 57)}...` : n}"`, argument };
        }
      }
    }
    return undefined;
  }
}

/**
 * String and number leaves of an argument object with their dotted paths (object keys too, since a
 * model can smuggle a value in a key). Returns false when the caps stopped the walk.
 */
export function collectStrings(
  value: unknown,
  path: string,
  depth: number,
  out: [string, string][],
): boolean {
  if (out.length >= MAX_ARG_STRINGS || depth > MAX_ARG_DEPTH) return false;
  if (typeof value === 'string') {
    out.push([path || 'arguments', value]);
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    out.push([path || 'arguments', String(value)]);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (!collectStrings(value[i], `${path}[${i}]`, depth + 1, out)) return false;
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = path ? `${path}.${k}` : k;
      if (k.length >= MIN_TAINT_LENGTH) out.push([child, k]);
      if (!collectStrings(v, child, depth + 1, out)) return false;
    }
  }
  return true;
}
