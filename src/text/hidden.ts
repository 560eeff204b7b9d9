// Hidden content that needs no character-level rewriting: HTML comments and whitespace padding are
// found on the original text; findings get their human description here; stripHidden removes the
// invisible characters a finding covers.

import type { HiddenFinding } from './types.js';

export const MAX_HIDDEN_FINDINGS = 500;

export function reportHtmlComments(text: string, hidden: HiddenFinding[]): void {
  let from = 0;
  let count = 0;
  while (count < MAX_HIDDEN_FINDINGS) {
    const s = text.indexOf('<!--', from);
    if (s < 0) return;
    const e = text.indexOf('-->', s + 4);
    const end = e < 0 ? text.length : e + 3;
    if (text.slice(s + 4, e < 0 ? text.length : e).trim().length > 0) {
      hidden.push({ kind: 'html-comment', start: s, end, detail: '' });
      count++;
    }
    from = end;
  }
}

const PADDING_SEEDS = [
  ' '.repeat(16),
  '\t'.repeat(8),
  '\u00a0'.repeat(8),
  '\n\n\n\n\n\n\n\n',
  '\r\n\r\n\r\n\r\n',
];

function isPaddingChar(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x3000 || c === 0x0a || c === 0x0d;
}

/**
 * Long whitespace runs followed by more text (content pushed out of view). Found from short seeds with
 * indexOf, which skips ordinary text far faster than a character-class regex.
 */
export function reportPadding(text: string, hidden: HiddenFinding[]): void {
  const runs: [number, number][] = [];
  for (const seed of PADDING_SEEDS) {
    let from = 0;
    while (runs.length < MAX_HIDDEN_FINDINGS) {
      const at = text.indexOf(seed, from);
      if (at < 0) break;
      let s = at;
      while (s > 0 && isPaddingChar(text.charCodeAt(s - 1))) s--;
      let e = at + seed.length;
      while (e < text.length && isPaddingChar(text.charCodeAt(e))) e++;
      from = e;
      const run = text.slice(s, e);
      let newlines = 0;
      for (let k = 0; k < run.length; k++) if (run.charCodeAt(k) === 0x0a) newlines++;
      const long = newlines >= 25 || (newlines === 0 ? run.length >= 80 : run.length - newlines >= 200);
      // Padding matters when something follows it: text pushed out of view.
      if (long && e < text.length && !runs.some(([a]) => a === s)) runs.push([s, e]);
    }
  }
  for (const [start, end] of runs) hidden.push({ kind: 'whitespace-padding', start, end, detail: '' });
}

export function describe(f: HiddenFinding): string {
  const n = f.end - f.start;
  switch (f.kind) {
    case 'unicode-tags':
      return `invisible Unicode tag characters carrying text: "${(f.decoded ?? '').slice(0, 120)}"`;
    case 'variation-selectors':
      return `variation selectors carrying ${f.decoded ? `text: "${f.decoded.slice(0, 120)}"` : 'binary data'}`;
    case 'zero-width':
      return n === 1 ? 'a zero-width character' : `zero-width characters within ${n} characters`;
    case 'bidi-control':
      return 'bidirectional override/isolate characters (text may display in a different order)';
    case 'ansi-escape':
      return 'ANSI terminal escape sequences';
    case 'control-character':
      return 'control characters';
    case 'html-comment':
      return `HTML comment of ${n} characters (not rendered)`;
    case 'whitespace-padding':
      return `${n} characters of whitespace padding before more text`;
    case 'homoglyph':
      return `look-alike letters from another script: reads as "${(f.decoded ?? '').slice(0, 60)}"`;
  }
}

/** `text` with invisible characters removed (zero-width, tags, variation-selector payloads, bidi, ANSI, controls). */
export function stripHidden(text: string, hidden: HiddenFinding[]): string {
  const removable = hidden.filter(
    (f) =>
      f.kind === 'zero-width' ||
      f.kind === 'unicode-tags' ||
      f.kind === 'variation-selectors' ||
      f.kind === 'bidi-control' ||
      f.kind === 'ansi-escape' ||
      f.kind === 'control-character',
  );
  if (removable.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (const f of removable) {
    if (f.start < last) continue;
    parts.push(text.slice(last, f.start));
    // Merged findings may span visible characters between the invisible ones: keep those.
    parts.push(stripInvisibleChars(text.slice(f.start, f.end)));
    last = f.end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

function stripInvisibleChars(s: string): string {
  return s
    .replace(/\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|.)?/g, '')
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060-\u2064\ufeff\u180e\u00ad\u202a-\u202e\u2066-\u2069]|\u034f|\p{Variation_Selector}|[\u{e0000}-\u{e007f}]/gu,
      '',
    );
}
