// Makes an excerpt safe and honest to print: invisible and control characters shown as escapes,
// Unicode tag runs decoded in brackets, long whitespace runs summarised, length capped. A finding's
// evidence must show what the model sees, not what a terminal renders.

const MAX_VISIBLE = 240;

function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    cp === 0x180e ||
    cp === 0x034f ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

const hex = (cp: number) => `\\u{${cp.toString(16).toUpperCase()}}`;

/** The text with hidden characters made visible, at most `max` characters. */
export function visible(text: string, max = MAX_VISIBLE): string {
  let out = '';
  let i = 0;
  while (i < text.length && out.length < max) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      // A run of tag characters spells ASCII text the reader cannot see.
      let decoded = '';
      let j = i;
      while (j < text.length) {
        const c = text.codePointAt(j)!;
        if (c < 0xe0000 || c > 0xe007f) break;
        if (c >= 0xe0020 && c <= 0xe007e) decoded += String.fromCharCode(c - 0xe0000);
        j += 2;
      }
      out += `⟦tags: ${decoded}⟧`;
      i = j;
      continue;
    }
    if (cp === 0x1b) out += '\\x1b';
    else if (cp < 0x20 && cp !== 0x0a && cp !== 0x09) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp === 0x0a) out += '⏎';
    else if (isInvisible(cp)) out += hex(cp);
    else if (cp === 0x20 || cp === 0x09 || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x3000) {
      let j = i;
      while (j < text.length && /[ \t\u00a0\u2000-\u200a\u3000\n]/.test(text[j]!)) j++;
      out += j - i > 8 ? `⟦${j - i} blank characters⟧` : text.slice(i, j).replace(/\n/g, '⏎');
      i = j;
      continue;
    } else out += String.fromCodePoint(cp);
    i += width;
  }
  return i < text.length ? `${out}…` : out;
}
