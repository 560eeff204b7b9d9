// Small IR builders shared by the Python front end.

import type { Expr } from '../facts.js';

/** Joins parts, flattening nested concats and merging adjacent literals. */
export function concat(parts: Expr[]): Expr {
  const out: Expr[] = [];
  const push = (part: Expr): void => {
    const last = out[out.length - 1];
    if (part.k === 'str' && last?.k === 'str')
      out[out.length - 1] = { k: 'str', value: last.value + part.value };
    else out.push(part);
  };
  for (const part of parts) {
    if (part.k === 'concat') for (const inner of part.parts) push(inner);
    else push(part);
  }
  if (out.length === 1 && out[0]?.k === 'str') return out[0];
  if (out.length === 0) return { k: 'str', value: '' };
  return { k: 'concat', parts: out };
}
