// Blank padding that pushes text out of view, made of any mix of blank characters: spaces, tabs, line
// breaks, no-break and typographic spaces (U+2000–U+200A, U+202F, U+205F, U+3000), line and paragraph
// separators, and the "filler" letters that render blank (Hangul fillers, the braille blank). The text
// layer finds long runs of one kind; a run of mixed kinds, or of exotic blanks, is the same trick.

import type { HiddenFinding } from '../types.js';

function blankKind(c: number): 0 | 1 | 2 | 3 {
  // 0: not blank, 1: ordinary space or tab, 2: line break, 3: exotic blank.
  if (c === 0x20 || c === 0x09) return 1;
  if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 || c === 0x0b || c === 0x0c) return 2;
  if (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0x3164 ||
    c === 0x2800 ||
    c === 0xffa0 ||
    c === 0x115f ||
    c === 0x1160
  )
    return 3;
  return 0;
}

/** A screen's worth: a line break counts as a line of blanks. */
const LINE = 10;
const LONG = 200;
const EXOTIC = 16;

/**
 * Long runs of blanks followed by more text, not already covered by `known` findings. Linear: one pass
 * over the text; at most 16 runs.
 */
export function blankPadding(
  text: string,
  known: readonly { start: number; end: number }[],
): HiddenFinding[] {
  const out: HiddenFinding[] = [];
  let i = 0;
  while (i < text.length && out.length < 16) {
    if (blankKind(text.charCodeAt(i)) === 0) {
      i++;
      continue;
    }
    const start = i;
    let weight = 0;
    let exotic = 0;
    for (; i < text.length; i++) {
      const k = blankKind(text.charCodeAt(i));
      if (k === 0) break;
      weight += k === 2 ? LINE : 1;
      if (k === 3) exotic++;
    }
    const long = weight >= LONG || exotic >= EXOTIC;
    // Padding matters when something follows it; a run the text layer already reported is left to it.
    if (long && i < text.length && !known.some((h) => h.start < i && start < h.end))
      out.push({ kind: 'whitespace-padding', start, end: i, detail: `${i - start} blank characters` });
  }
  return out;
}
