// Decoding of Python string literal text (prefixes, quotes, escapes) and docstring cleaning.
// Hand-written scanners: linear time on any input.

export interface StringPrefix {
  raw: boolean;
  bytes: boolean;
  format: boolean;
  /** Length of prefix + opening quote(s). */
  open: number;
  /** Length of the closing quote(s). */
  close: number;
}

/** Reads the prefix and quote style of a literal such as `rb'''…'''`. */
export function readPrefix(text: string): StringPrefix {
  let i = 0;
  let raw = false;
  let bytes = false;
  let format = false;
  for (; i < text.length && i < 3; i++) {
    const c = text[i];
    if (c === 'r' || c === 'R') raw = true;
    else if (c === 'b' || c === 'B') bytes = true;
    else if (c === 'f' || c === 'F' || c === 't' || c === 'T') format = true;
    else if (c !== 'u' && c !== 'U') break;
  }
  const quote = text[i];
  let quoteLen = 0;
  if (quote === '"' || quote === "'") {
    quoteLen = text.startsWith(quote.repeat(3), i) ? 3 : 1;
  }
  const closeLen =
    quoteLen > 0 && text.length >= i + quoteLen * 2 && text.endsWith(quote?.repeat(quoteLen) ?? '')
      ? quoteLen
      : 0;
  return { raw, bytes, format, open: i + quoteLen, close: closeLen };
}

/** The value of a complete non-f string literal's source text. */
export function decodeStringLiteral(text: string): string {
  const prefix = readPrefix(text);
  const body = normalizeNewlines(text.slice(prefix.open, Math.max(prefix.open, text.length - prefix.close)));
  return prefix.raw ? body : decodeEscapes(body, prefix.bytes);
}

/** Python reads source with universal newlines: a literal spanning CRLF lines contains `\n`. */
export function normalizeNewlines(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Python escape sequences. Bytes literals keep `\u`/`\N` literally (as CPython does). */
export function decodeEscapes(body: string, bytes: boolean): string {
  if (body.indexOf('\\') === -1) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf('\\', i);
    if (slash === -1 || slash === body.length - 1) {
      out += body.slice(i);
      break;
    }
    out += body.slice(i, slash);
    const c = body[slash + 1] as string;
    i = slash + 2;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      out += simple;
    } else if (c === '\n') {
      // line continuation inside the literal
    } else if (c === '\r') {
      if (body[i] === '\n') i++;
    } else if (c >= '0' && c <= '7') {
      let j = slash + 1;
      while (j < body.length && j < slash + 4 && (body[j] as string) >= '0' && (body[j] as string) <= '7')
        j++;
      out += String.fromCharCode(Number.parseInt(body.slice(slash + 1, j), 8) & (bytes ? 0xff : 0x1ff));
      i = j;
    } else if (c === 'x' || (!bytes && (c === 'u' || c === 'U'))) {
      const len = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      let ok = i + len <= body.length;
      for (let j = i; ok && j < i + len; j++) ok = isHex(body.charCodeAt(j));
      const code = ok ? Number.parseInt(body.slice(i, i + len), 16) : -1;
      if (ok && code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += len;
      } else {
        out += `\\${c}`;
      }
    } else {
      // Unknown escapes (and \N{NAME}, which would need the Unicode name table) stay as written.
      out += `\\${c}`;
    }
  }
  return out;
}

/** `{{`/`}}` in the literal parts of an f-string. */
export function unescapeBraces(text: string): string {
  return text.indexOf('{{') === -1 && text.indexOf('}}') === -1
    ? text
    : text.replaceAll('{{', '{').replaceAll('}}', '}');
}

/**
 * `inspect.cleandoc`: expand tabs, drop the common indentation of lines after the first, strip the
 * first line's leading blanks, remove leading and trailing blank lines.
 */
export function cleandoc(doc: string): string {
  const lines = doc.replaceAll('\t', '        ').split(/\r\n|\r|\n/);
  let margin = Number.POSITIVE_INFINITY;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const content = line.replace(/^ +/, '').length;
    if (content > 0) margin = Math.min(margin, line.length - content);
  }
  lines[0] = (lines[0] as string).replace(/^ +/, '');
  if (margin !== Number.POSITIVE_INFINITY) {
    for (let i = 1; i < lines.length; i++) lines[i] = (lines[i] as string).slice(margin);
  }
  let first = 0;
  let last = lines.length;
  while (first < last && lines[first] === '') first++;
  while (last > first && lines[last - 1] === '') last--;
  return lines.slice(first, last).join('\n');
}
