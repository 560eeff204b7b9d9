// Parameter descriptions from docstrings: Google (`Args:`), reST (`:param x:`) and numpy
// (`Parameters` + dashes). Line-by-line scanners, linear in the docstring length.

const GOOGLE_HEADERS = new Set([
  'args',
  'arguments',
  'parameters',
  'params',
  'keyword args',
  'keyword arguments',
  'kwargs',
]);

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[\w]/.test(c);
}

/** `name (type): text` or `name: text` → [name, text]; undefined when the line is not an entry. */
function googleEntry(line: string): [string, string] | undefined {
  let i = indentOf(line);
  while (line[i] === '*') i++;
  const start = i;
  while (isIdentChar(line[i])) i++;
  if (i === start) return undefined;
  const name = line.slice(start, i);
  while (line[i] === ' ') i++;
  if (line[i] === '(') {
    const close = line.indexOf(')', i);
    if (close === -1) return undefined;
    i = close + 1;
    while (line[i] === ' ') i++;
  }
  if (line[i] !== ':') return undefined;
  return [name, line.slice(i + 1).trim()];
}

function addContinuation(out: Map<string, string>, name: string, text: string): void {
  const prev = out.get(name) ?? '';
  out.set(name, prev ? `${prev} ${text}` : text);
}

/** Parameter name → description text, from whichever docstring styles are present. */
export function docstringParams(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = doc.split('\n');
  parseGoogle(lines, out);
  parseRest(lines, out);
  parseNumpy(lines, out);
  return out;
}

function parseGoogle(lines: string[], out: Map<string, string>): void {
  for (let i = 0; i < lines.length; i++) {
    const header = (lines[i] as string).trim();
    if (!header.endsWith(':') || !GOOGLE_HEADERS.has(header.slice(0, -1).trim().toLowerCase())) continue;
    const headerIndent = indentOf(lines[i] as string);
    let entryIndent = -1;
    let current: string | undefined;
    for (i = i + 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      const indent = indentOf(line);
      if (indent <= headerIndent) {
        i--;
        break;
      }
      if (entryIndent === -1) entryIndent = indent;
      if (indent === entryIndent) {
        const entry = googleEntry(line);
        if (entry && !out.has(entry[0])) {
          current = entry[0];
          out.set(current, entry[1]);
        } else {
          current = undefined;
        }
      } else if (indent > entryIndent && current) {
        addContinuation(out, current, line.trim());
      }
    }
  }
}

function parseRest(lines: string[], out: Map<string, string>): void {
  let current: string | undefined;
  let currentIndent = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith(':param ') || trimmed.startsWith(':parameter ') || trimmed.startsWith(':arg ')) {
      const close = trimmed.indexOf(':', 1);
      if (close === -1) continue;
      const words = trimmed
        .slice(trimmed.indexOf(' ') + 1, close)
        .trim()
        .split(/\s+/);
      const name = (words[words.length - 1] ?? '').replace(/^\*+/, '');
      current = undefined;
      if (!name || out.has(name)) continue;
      current = name;
      currentIndent = indentOf(line);
      out.set(name, trimmed.slice(close + 1).trim());
    } else if (current && trimmed && indentOf(line) > currentIndent && !trimmed.startsWith(':')) {
      addContinuation(out, current, trimmed);
    } else {
      current = undefined;
    }
  }
}

function isDashes(line: string | undefined): boolean {
  const t = line?.trim() ?? '';
  return t.length >= 3 && /^-+$/.test(t);
}

function parseNumpy(lines: string[], out: Map<string, string>): void {
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = (lines[i] as string).trim().toLowerCase();
    if ((header !== 'parameters' && header !== 'other parameters') || !isDashes(lines[i + 1])) continue;
    const baseIndent = indentOf(lines[i] as string);
    let current: string | undefined;
    for (i = i + 2; i < lines.length; i++) {
      const line = lines[i] as string;
      const trimmed = line.trim();
      if (trimmed === '') continue;
      if (isDashes(lines[i + 1])) {
        i--;
        break;
      }
      const indent = indentOf(line);
      if (indent < baseIndent) break;
      if (indent === baseIndent) {
        const name = (trimmed.split(':')[0] ?? '').trim().replace(/^\*+/, '');
        current = /^\w+$/.test(name) && !out.has(name) ? name : undefined;
        if (current) out.set(current, '');
      } else if (current) {
        addContinuation(out, current, trimmed);
      }
    }
  }
}
