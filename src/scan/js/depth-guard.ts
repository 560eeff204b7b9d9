// Pre-parse nesting guard. oxc-parser recurses on the native stack and *segfaults* (uncatchable)
// on deep input: measured on an 8 MB stack, ~3,300 nested `if(a){`, ~4,200 nested template
// `${`, ~6,000 parentheses; half that in a 4 MB worker thread. So before parsing, one linear
// lexical scan estimates the parser's recursion depth and blanks out (with spaces, keeping every
// line break and offset) the regions that go deeper than a safe limit. Nothing that deep is
// analysable anyway: the IR is cut at MAX_IR_DEPTH.
//
// The estimate is deliberately conservative. Units: one per open bracket (two per template
// `${`), plus, inside the current bracket frame, one per token that makes the parser recurse
// without brackets (`?`, `=`, `=>`, `**`, prefix unary operators, `new`, `typeof`, `if`, `else`,
// loops, `function`, JSX tags, type arguments). Those operator units reset where a statement or list item ends
// (`;`, `,`, and a line break between two complete operands — ASI).
// (Over 400 lines: one hand-written lexical scanner; splitting its loop would cost speed.)

export const NESTING_LIMIT = 1000;

export interface NestingCut {
  start: number;
  end: number;
}

export interface GuardResult {
  /** The source with over-deep regions blanked; same length and line breaks as the input. */
  text: string;
  cuts: NestingCut[];
}

const OPERATOR_KEYWORDS = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'extends',
  'as',
  'satisfies',
]);
const RECURSING_KEYWORDS = new Set([
  'new',
  'typeof',
  'void',
  'delete',
  'await',
  'yield',
  'if',
  'else',
  'for',
  'while',
  'do',
  'with',
  'function',
  'class',
]);
// Tokens that can continue the previous line's expression, so a line break before them is no
// statement end.
const CONTINUATION_KEYWORDS = new Set([
  'in',
  'of',
  'instanceof',
  'as',
  'satisfies',
  'extends',
  'implements',
  'else',
  'catch',
  'finally',
  'while',
]);

enum Frame {
  Paren = 0,
  Bracket = 1,
  Brace = 2,
  TemplateExpr = 3,
}

function isIdentChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127
  );
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Scans `text` once and blanks regions nested deeper than `limit` units. */
export function guardNesting(text: string, jsx: boolean, limit = NESTING_LIMIT): GuardResult {
  const n = text.length;
  const kinds: number[] = [];
  const opens: number[] = [];
  const savedBase: number[] = [];
  const savedSeg: number[] = [];
  const savedSegStart: number[] = [];
  const condParen: boolean[] = [];
  let base = 0;
  let seg = 0;
  let segStart = 0;
  // Whether the previous significant token ends an operand (then `/` divides, `-` is binary).
  let prevOperand = false;
  // Whether the previous token was a complete simple operand (identifier, literal) for ASI resets.
  let prevSimpleOperand = false;
  let prevWord = '';
  let newlineSince = false;
  let cutDepth = -1; // stack depth whose frame is being blanked; -2 = top-level segment
  let cutStart = 0;
  const cuts: NestingCut[] = [];
  let i = 0;

  const startCut = (): void => {
    if (kinds.length > 0) {
      cutDepth = kinds.length;
      cutStart = (opens[kinds.length - 1] as number) + 1;
    } else {
      cutDepth = -2;
      cutStart = segStart;
    }
  };
  const bump = (w: number): void => {
    seg += w;
    if (cutDepth === -1 && base + seg > limit) startCut();
  };
  const open = (kind: Frame, at: number, weight: number, cond: boolean): void => {
    kinds.push(kind);
    opens.push(at);
    savedBase.push(base);
    savedSeg.push(seg);
    savedSegStart.push(segStart);
    condParen.push(cond);
    base += weight + seg;
    seg = 0;
    segStart = at + 1;
    if (cutDepth === -1 && base > limit) startCut();
  };
  // Returns the kind of the closed frame, or -1 when nothing was open.
  const close = (at: number): number => {
    if (kinds.length === 0) return -1;
    if (cutDepth === kinds.length) {
      cuts.push({ start: cutStart, end: at });
      cutDepth = -1;
    }
    const kind = kinds.pop() as number;
    opens.pop();
    base = savedBase.pop() as number;
    seg = savedSeg.pop() as number;
    segStart = savedSegStart.pop() as number;
    const cond = condParen.pop() as boolean;
    prevOperand = !(kind === Frame.Paren && cond);
    return kind;
  };
  const endSegment = (at: number): void => {
    seg = 0;
    segStart = at + 1;
    if (cutDepth === -2 && kinds.length === 0) {
      cuts.push({ start: cutStart, end: at });
      cutDepth = -1;
    }
  };
  // Scans template characters from `i` (just after a backtick or a closing `}` of `${`).
  const scanTemplate = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === 96) {
        i++;
        prevOperand = true;
        return;
      }
      if (c === 36 && text.charCodeAt(i + 1) === 123) {
        open(Frame.TemplateExpr, i + 1, 2, false);
        i += 2;
        prevOperand = false;
        return;
      }
      i++;
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isNewline(c)) {
      newlineSince = true;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    // Comments.
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && !isNewline(text.charCodeAt(i))) i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      if (text.slice(i, stop).search(/[\n\r\u2028\u2029]/) >= 0) newlineSince = true;
      i = stop;
      continue;
    }
    const wasNewline = newlineSince;
    newlineSince = false;
    if (isIdentChar(c)) {
      const start = i;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      // Keywords are short and lower-case: avoid slicing every identifier of a big bundle.
      const word = c >= 97 && c <= 122 && i - start <= 10 ? text.slice(start, i) : '';
      const isNumber = c >= 48 && c <= 57;
      if (wasNewline && prevSimpleOperand && (isNumber || !CONTINUATION_KEYWORDS.has(word)))
        endSegment(start - 1);
      if (!isNumber && RECURSING_KEYWORDS.has(word)) bump(1);
      const operatorWord = !isNumber && OPERATOR_KEYWORDS.has(word);
      prevOperand = !operatorWord;
      prevSimpleOperand = !operatorWord && !RECURSING_KEYWORDS.has(word);
      prevWord = word;
      continue;
    }
    const lastWord = prevWord;
    prevWord = '';
    if (c === 39 || c === 34) {
      if (wasNewline && prevSimpleOperand) endSegment(i - 1);
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c || isNewline(d)) break;
        else i++;
      }
      i++;
      prevOperand = true;
      prevSimpleOperand = true;
      continue;
    }
    prevSimpleOperand = false;
    if (c === 96) {
      i++;
      scanTemplate();
      continue;
    }
    if (c === 47 && !prevOperand) {
      // Regular expression literal: to the closing slash outside a class, never past a line end.
      i++;
      let inClass = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (isNewline(d)) break;
        else if (d === 91 || d === 93) {
          inClass = d === 91;
          i++;
        } else if (d === 47 && !inClass) {
          i++;
          break;
        } else i++;
      }
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      prevOperand = true;
      continue;
    }
    switch (c) {
      case 40: // (
        open(
          Frame.Paren,
          i,
          1,
          lastWord === 'if' || lastWord === 'while' || lastWord === 'for' || lastWord === 'with',
        );
        prevOperand = false;
        break;
      case 91: // [
        open(Frame.Bracket, i, 1, false);
        prevOperand = false;
        break;
      case 123: // {
        open(Frame.Brace, i, 1, false);
        prevOperand = false;
        break;
      case 41: // )
      case 93: // ]
        close(i);
        if (c === 93) prevOperand = true;
        break;
      case 125: {
        // }
        const kind = close(i);
        prevOperand = false;
        // A block or literal ends at `}`: a line break then an identifier starts a new statement.
        prevSimpleOperand = kind !== Frame.TemplateExpr;
        if (kind === Frame.TemplateExpr) {
          i++;
          scanTemplate();
          continue;
        }
        break;
      }
      case 59: // ;
      case 44: // ,
        endSegment(i);
        prevOperand = false;
        break;
      case 63: {
        // ? (not ?. or ??)
        const d = text.charCodeAt(i + 1);
        if (d === 63) i++;
        else if (!(d === 46 && !(text.charCodeAt(i + 2) >= 48 && text.charCodeAt(i + 2) <= 57))) bump(1);
        prevOperand = false;
        break;
      }
      case 61: {
        // = == === =>
        const d = text.charCodeAt(i + 1);
        if (d === 61) {
          i += text.charCodeAt(i + 2) === 61 ? 2 : 1;
        } else {
          if (d === 62) i++;
          bump(1);
        }
        prevOperand = false;
        break;
      }
      case 33: // !
      case 126: // ~
      case 43: // +
      case 45: {
        // -
        const d = text.charCodeAt(i + 1);
        if ((c === 43 || c === 45) && d === c) {
          // ++ / -- keep the operand state (postfix) or recurse (prefix)
          if (!prevOperand) bump(1);
          i++;
          break;
        }
        if (c === 33 && d === 61) {
          i += text.charCodeAt(i + 2) === 61 ? 2 : 1;
          prevOperand = false;
          break;
        }
        if (!prevOperand) bump(1);
        else if (d === 61) {
          i++;
          bump(1);
        }
        prevOperand = false;
        break;
      }
      case 42: // *
        if (text.charCodeAt(i + 1) === 42) {
          i++;
          bump(1);
        }
        prevOperand = false;
        break;
      case 60: {
        // <
        const d = text.charCodeAt(i + 1);
        if (jsx && d === 47) {
          seg = Math.max(0, seg - 1);
          i++;
        } else if (d === 60 || d === 61) {
          i++; // `<<`, `<=`
        } else if (isIdentChar(d) || d === 62 || d === 40 || d === 91 || d === 123) {
          // JSX tags and TypeScript type arguments (`A<B<C>>`) nest without brackets.
          bump(1);
        }
        prevOperand = false;
        break;
      }
      case 47: // / (division or `/>`)
        if (jsx && text.charCodeAt(i + 1) === 62) seg = Math.max(0, seg - 1);
        prevOperand = false;
        break;
      default:
        prevOperand = false;
    }
    i++;
  }
  if (cutDepth !== -1) cuts.push({ start: cutStart, end: n });
  if (cuts.length === 0) return { text, cuts };
  const merged = mergeCuts(cuts);
  return { text: blank(text, merged), cuts: merged };
}

/** Sorted, with nested and overlapping cuts merged (a top-level cut can swallow earlier frame cuts). */
function mergeCuts(cuts: NestingCut[]): NestingCut[] {
  const sorted = [...cuts].sort((a, b) => a.start - b.start);
  const out: NestingCut[] = [];
  for (const cut of sorted) {
    const last = out[out.length - 1];
    if (last && cut.start <= last.end) last.end = Math.max(last.end, cut.end);
    else out.push({ ...cut });
  }
  return out;
}

/** Replaces every code unit inside the cuts with a space (a `0` first, so `()` stays an expression). */
function blank(text: string, cuts: NestingCut[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const cut of cuts) {
    if (cut.start < at || cut.end <= cut.start) continue;
    parts.push(text.slice(at, cut.start));
    const inner = text.slice(cut.start, cut.end).replace(/[^\n\r\u2028\u2029]/g, ' ');
    const opener = text.charCodeAt(cut.start - 1);
    const needsExpr = opener === 40 || (opener === 123 && text.charCodeAt(cut.start - 2) === 36);
    // `(` and template `${` need an expression inside to stay valid.
    parts.push(needsExpr && inner.startsWith(' ') ? `0${inner.slice(1)}` : inner);
    at = cut.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
