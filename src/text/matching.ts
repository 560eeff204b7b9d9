// The matching copy of a normalised text: what the signal patterns run on. Same length as its input,
// so offsets carry over unchanged.

const HAS_SPECIAL = /[^\t\n\r\x20-\x7e]/;

const LATIN_FOLD: string[] = [];
for (let c = 0xc0; c <= 0x24f; c++) {
  const ch = String.fromCharCode(c);
  const d = ch.normalize('NFD');
  LATIN_FOLD[c - 0xc0] = d.length > 1 && /^[A-Za-z]$/.test(d[0]!) ? d[0]! : ch;
}
LATIN_FOLD[0xf8 - 0xc0] = 'o';
LATIN_FOLD[0xd8 - 0xc0] = 'O';
LATIN_FOLD[0x111 - 0xc0] = 'd';
LATIN_FOLD[0x142 - 0xc0] = 'l';
LATIN_FOLD[0x141 - 0xc0] = 'L';

/**
 * The text the signal patterns run on: lower case, Latin diacritics removed, and escape sequences of
 * YAML/JSON/Python renderings (`\n`, a backslash line continuation) turned into spaces. Same length as
 * the input, so offsets carry over unchanged.
 */
export function matchingText(normalized: string): string {
  if (!HAS_SPECIAL.test(normalized)) return blankEscapes(normalized.toLowerCase());
  return blankEscapes(matchChars(normalized));
}

/** Lower case and Latin diacritics folded, keeping the length. */
export function matchChars(s: string): string {
  let lower = s.toLowerCase();
  if (lower.length !== s.length) {
    // A few characters lower-case to two code units (U+0130); keep those as they are.
    const parts: string[] = [];
    for (const ch of s) {
      const l = ch.toLowerCase();
      parts.push(l.length === ch.length ? l : ch);
    }
    lower = parts.join('');
  }
  if (LATIN_RANGE.test(lower)) {
    lower = lower.replace(LATIN_RANGE_G, (c) => LATIN_FOLD[c.charCodeAt(0) - 0xc0]!.toLowerCase());
  }
  return lower;
}

const LATIN_RANGE = /[\u00c0-\u024f]/;
const LATIN_RANGE_G = /[\u00c0-\u024f]/g;

/**
 * Escape sequences of YAML/JSON/Python renderings: `\n` keeps its line break (so line starts still
 * count), `\t`, `\r` and a backslash before whitespace become spaces. Same length.
 */
export function blankEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  // Each pass only when its escape occurs: `includes` is much cheaper than a regex pass.
  let out = s.includes('\\n') ? s.replace(ESCAPED_NEWLINE, ' \n') : s;
  if (out.includes('\\t') || out.includes('\\r')) out = out.replace(ESCAPED_TAB_CR, '  ');
  if (ESCAPED_SPACE_TEST.test(out)) out = out.replace(ESCAPED_SPACE, ' ');
  return out;
}

const ESCAPED_NEWLINE = /\\n/g;
const ESCAPED_TAB_CR = /\\[tr]/g;
const ESCAPED_SPACE = /\\(?=\s)/g;
const ESCAPED_SPACE_TEST = /\\\s/;
