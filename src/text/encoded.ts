// Encoded runs (base64, hex, URL-encoding, HTML entities): decoded within bounds and rescanned, so an
// instruction hidden as `aWdub3JlIGFsbCBwcmV2aW91cy4uLg==` is judged by what it says.

import { findSecrets } from './secrets.js';
import type { EncodedFinding, EncodingKind, InjectionResult } from './types.js';

/** Rescans decoded text; `depth` is the number of decoding layers already applied. */
export type Rescan = (decoded: string, depth: number) => InjectionResult;

export interface EncodedOptions {
  /** Maximum decoding layers (default 2). */
  maxDepth?: number;
  /** Maximum runs decoded per text (default 200). */
  maxRuns?: number;
  /**
   * Base64-alphabet runs already located by the signal scanner, as flat [start, end, ...] pairs into
   * `text`; saves a pass. When absent the runs are found here.
   */
  alphabetRuns?: readonly number[];
}

const MAX_RUN = 256 * 1024;
const MAX_DECODED_EXCERPT = 2000;

const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}/g;
const HEX_RUN = /^(?:[0-9a-fA-F]{2}){16,}$/;
const HEX_ESCAPES = /(?:\\x[0-9a-fA-F]{2}){8,}/g;
const ENTITY_RUN = /(?:&#(?:x[0-9a-fA-F]{1,6}|[0-9]{1,7});[^&<\n]{0,3}|&[a-zA-Z]{2,8};[^&<\n]{0,3}){6,}/g;
const PERCENT = /%[0-9a-fA-F]{2}/g;
/** Separate from PERCENT: String.match resets the lastIndex of the regex it is given. */
const PERCENT_COUNT = /%[0-9a-fA-F]{2}/g;
const URL_STOP = new Set([' ', '\t', '\n', '\r', '"', "'", '<', '>']);

interface Run {
  encoding: EncodingKind;
  start: number;
  end: number;
  decoded: string;
}

/** Readable text: valid UTF-8 already decoded, mostly letters, digits, punctuation and spaces. */
function isReadable(s: string): boolean {
  if (s.length < 8) return false;
  let good = 0;
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c >= 0xa0) good++;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x400) letters++;
    if (c === 0xfffd) return false;
  }
  return good / s.length >= 0.95 && letters / s.length >= 0.4;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function bytesToText(bytes: Uint8Array): string | undefined {
  try {
    const s = UTF8.decode(bytes);
    return isReadable(s) ? s : undefined;
  } catch {
    return undefined;
  }
}

function decodeBase64(run: string): string | undefined {
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  // Random identifiers are letters and digits in one case; base64 of text mixes cases.
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body)) return undefined;
  const urlSafe = /[-_]/.test(body);
  if (urlSafe && /[+/]/.test(body)) return undefined;
  return bytesToText(Buffer.from(body, urlSafe ? 'base64url' : 'base64'));
}

function decodeHex(run: string): string | undefined {
  const hex = run.startsWith('\\x') ? run.replace(/\\x/g, '') : run;
  if (!/[a-fA-F]/.test(hex) || !/[0-9]/.test(hex)) return undefined;
  return bytesToText(Buffer.from(hex, 'hex'));
}

function decodeEntities(run: string): string | undefined {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };
  const s = run.replace(
    /&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});|&([a-zA-Z]{2,8});/g,
    (m, num: string | undefined, name: string | undefined) => {
      if (num) {
        const cp = num[0] === 'x' ? Number.parseInt(num.slice(1), 16) : Number.parseInt(num, 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      }
      return named[name!.toLowerCase()] ?? m;
    },
  );
  return s !== run && isReadable(s) ? s : undefined;
}

/** Expands around a %XX escape to the whole URL-encoded token. */
function urlRuns(text: string, maxRuns: number): Run[] {
  const runs: Run[] = [];
  PERCENT.lastIndex = 0;
  for (let m = PERCENT.exec(text); m !== null && runs.length < maxRuns; m = PERCENT.exec(text)) {
    let s = m.index;
    while (s > 0 && m.index - s < MAX_RUN && !URL_STOP.has(text[s - 1]!)) s--;
    let e = m.index + 3;
    while (e < text.length && e - s < MAX_RUN && !URL_STOP.has(text[e]!)) e++;
    PERCENT.lastIndex = e;
    const token = text.slice(s, e);
    const escapes = token.match(PERCENT_COUNT)?.length ?? 0;
    if (escapes < 6) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(token.replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (isReadable(decoded)) runs.push({ encoding: 'url', start: s, end: e, decoded });
  }
  return runs;
}

function regexRuns(
  text: string,
  re: RegExp,
  encoding: EncodingKind,
  decode: (s: string) => string | undefined,
  maxRuns: number,
  into: Run[],
): void {
  re.lastIndex = 0;
  let tried = 0;
  for (let m = re.exec(text); m !== null && tried < maxRuns * 4 && into.length < maxRuns; m = re.exec(text)) {
    if (m[0].length > MAX_RUN) continue;
    tried++;
    const decoded = decode(m[0]);
    if (decoded !== undefined) into.push({ encoding, start: m.index, end: m.index + m[0].length, decoded });
  }
}

/** Decodes the encoded runs of `text` and rescans each; spans are into `text`. */
export function findEncodedPayloads(
  text: string,
  rescan: Rescan,
  depth = 0,
  options: EncodedOptions = {},
): EncodedFinding[] {
  const maxDepth = options.maxDepth ?? 2;
  const maxRuns = options.maxRuns ?? 200;
  if (depth >= maxDepth) return [];
  const runs: Run[] = [];
  let alphabet = options.alphabetRuns;
  if (!alphabet) {
    const found: number[] = [];
    BASE64_RUN.lastIndex = 0;
    for (let m = BASE64_RUN.exec(text); m !== null; m = BASE64_RUN.exec(text))
      found.push(m.index, m.index + m[0].length);
    alphabet = found;
  }
  let tried = 0;
  for (let k = 0; k + 1 < alphabet.length && runs.length < maxRuns && tried < maxRuns * 4; k += 2) {
    const start = alphabet[k]!;
    const end = alphabet[k + 1]!;
    if (end - start > MAX_RUN) continue;
    tried++;
    const run = text.slice(start, end);
    const hex = HEX_RUN.test(run);
    const decoded = hex ? decodeHex(run) : decodeBase64(run);
    if (decoded !== undefined) runs.push({ encoding: hex ? 'hex' : 'base64', start, end, decoded });
  }
  if (text.includes('\\x')) regexRuns(text, HEX_ESCAPES, 'hex', decodeHex, maxRuns, runs);
  if (text.includes('&#') || text.includes('&l') || text.includes('&g'))
    regexRuns(text, ENTITY_RUN, 'html-entities', decodeEntities, maxRuns, runs);
  if (text.includes('%')) runs.push(...urlRuns(text, maxRuns));
  const out: EncodedFinding[] = [];
  for (const r of runs.slice(0, maxRuns)) {
    const injection = rescan(r.decoded, depth + 1);
    out.push({
      encoding: r.encoding,
      start: r.start,
      end: r.end,
      decoded: r.decoded.slice(0, MAX_DECODED_EXCERPT),
      depth: depth + 1,
      injection,
      secretKinds: [...new Set(findSecrets(r.decoded).map((f) => f.kind))],
    });
  }
  return out.sort((a, b) => a.start - b.start);
}
