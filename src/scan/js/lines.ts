// Offset → line/column lookup over a precomputed table of line starts (binary search, with a
// cursor hint because converters visit nodes mostly in source order).

export class LineIndex {
  private readonly starts: number[];
  private hint = 0;

  constructor(readonly text: string) {
    const starts = [0];
    // Line terminators per ECMAScript: \n, \r\n, \r, U+2028, U+2029.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** 0-based index of the line holding UTF-16 offset `offset`. */
  private lineIndex(offset: number): number {
    const s = this.starts;
    const h = this.hint;
    if ((s[h] as number) <= offset && (h + 1 >= s.length || (s[h + 1] as number) > offset)) return h;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return lo;
  }

  /** 1-based line. */
  line(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  /** 1-based column in UTF-16 code units. */
  column(offset: number): number {
    return offset - (this.starts[this.lineIndex(offset)] as number) + 1;
  }

  /** UTF-16 offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line - 1, 0), this.starts.length - 1)] as number;
    return start + column - 1;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** A one-line excerpt of at most `max` characters starting at `offset`, whitespace collapsed. */
export function snippetAt(text: string, offset: number, max = 120): string {
  const raw = text.slice(offset, offset + max * 3);
  let out = '';
  let space = false;
  for (let i = 0; i < raw.length && out.length < max; i++) {
    const ch = raw[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      space = out.length > 0;
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
      if (out.length >= max) break;
    }
    out += ch;
  }
  return out.slice(0, max);
}
