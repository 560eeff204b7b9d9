// Leading JSDoc (`/** … */`) directly before an offset, without comment markers.

/** How far back to look for the opening `/**`: bounds the work per function on hostile input. */
const MAX_DOC_LENGTH = 8000;

export function jsdocBefore(text: string, offset: number): string | undefined {
  let i = offset - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i--;
    else break;
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
