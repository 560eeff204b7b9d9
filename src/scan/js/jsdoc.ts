// Leading JSDoc (`/** … */`) directly before an offset, without comment markers.

/** How far back to look for the opening `/**`: bounds the work per function on hostile input. */
const MAX_DOC_LENGTH = 8000;

/** Tokens allowed between a doc comment and the function it documents (`export const f = `). */
const MAX_PREFIX_TOKENS = 6;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i--;
    else break;
  }
  return i;
}

export function jsdocBefore(text: string, offset: number): string | undefined {
  let i = skipSpace(text, offset - 1);
  // Step back over `export`, `default`, `async`, `const name =`, `key:` and similar.
  for (let t = 0; t < MAX_PREFIX_TOKENS && i >= 0; t++) {
    const c = text.charCodeAt(i);
    if (c === 47) break;
    if (c === 61 || c === 58) i = skipSpace(text, i - 1);
    else if (isWordChar(c)) {
      while (i >= 0 && isWordChar(text.charCodeAt(i))) i--;
      i = skipSpace(text, i);
    } else break;
  }
  if (i < 3 || text.charCodeAt(i) !== 47 || text.charCodeAt(i - 1) !== 42) return undefined;
  const open = text.lastIndexOf('/**', i - 2);
  if (open < 0 || i - open > MAX_DOC_LENGTH) return undefined;
  const body = text.slice(open + 3, i - 1);
  if (body.includes('*/')) return undefined;
  const lines = body.split(/\r?\n/).map((line) => line.replace(/^\s*\*? ?/, '').trimEnd());
  const doc = lines.join('\n').trim();
  return doc.length > 0 ? doc : undefined;
}
