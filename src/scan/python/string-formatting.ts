// `%`-formatting and `str.format` over literal format strings, modelled as concatenations so that
// constant folding and taint see which values end up in the string.

import type { Expr } from '../facts.js';
import { concat } from './ir.js';

const CONVERSIONS = 'diouxXeEfFgGcrsa';

/** `"fmt" % right`: substitutes `%s`-style specs with the tuple items (or `right` itself), `%(k)s` with dict values. */
export function percentConcat(fmt: string, right: Expr): Expr {
  const items = right.k === 'array' ? right.items : [right];
  const parts: Expr[] = [];
  let next = 0;
  let literal = '';
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct === -1 || pct === fmt.length - 1) {
      literal += fmt.slice(i);
      break;
    }
    literal += fmt.slice(i, pct);
    if (fmt[pct + 1] === '%') {
      literal += '%';
      i = pct + 2;
      continue;
    }
    let j = pct + 1;
    let key: string | null = null;
    if (fmt[j] === '(') {
      const close = fmt.indexOf(')', j);
      if (close === -1) return concat([{ k: 'str', value: fmt }, right]);
      key = fmt.slice(j + 1, close);
      j = close + 1;
    }
    // flags, width, precision, length modifier
    while (j < fmt.length && '#0- +*.0123456789hlL'.includes(fmt[j] as string)) j++;
    if (j >= fmt.length || !CONVERSIONS.includes(fmt[j] as string))
      return concat([{ k: 'str', value: fmt }, right]);
    if (literal) parts.push({ k: 'str', value: literal });
    literal = '';
    if (key !== null) {
      const prop = right.k === 'object' ? right.props.find((p) => p.key === key) : undefined;
      parts.push(prop ? prop.value : { k: 'other', parts: [right] });
    } else {
      const item = items[next++];
      parts.push(item ?? { k: 'other', parts: [right] });
    }
    i = j + 1;
  }
  if (literal) parts.push({ k: 'str', value: literal });
  return concat(parts);
}

/** `receiver.format(*args, **kwargs)`; a literal receiver has its replacement fields substituted. */
export function formatConcat(receiver: Expr, args: Expr[], kwargs: { name: string; value: Expr }[]): Expr {
  const everything = (): Expr => concat([receiver, ...args, ...kwargs.map((kw) => kw.value)]);
  if (receiver.k !== 'str') return everything();
  const fmt = receiver.value;
  const parts: Expr[] = [];
  let literal = '';
  let auto = 0;
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c === '{' && fmt[i + 1] === '{') {
      literal += '{';
      i += 2;
    } else if (c === '}' && fmt[i + 1] === '}') {
      literal += '}';
      i += 2;
    } else if (c === '{') {
      const close = fmt.indexOf('}', i);
      if (close === -1) return everything();
      const field = fmt.slice(i + 1, close);
      // Nested `{}` in a format spec (`{:{width}}`) is rare; give up rather than guess.
      if (field.includes('{')) return everything();
      const nameEnd = field.search(/[!:.[]/);
      const name = nameEnd === -1 ? field : field.slice(0, nameEnd);
      let value: Expr | undefined;
      if (name === '') value = args[auto++];
      else if (/^\d+$/.test(name)) value = args[Number(name)];
      else value = kwargs.find((kw) => kw.name === name)?.value;
      if (!value) return everything();
      if (literal) parts.push({ k: 'str', value: literal });
      literal = '';
      const sep = field[nameEnd];
      // `{0.attr}` / `{0[k]}` read into the value; `!r` / `:>8` only change its rendering.
      parts.push(sep === '.' || sep === '[' ? { k: 'other', parts: [value] } : value);
      i = close + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) parts.push({ k: 'str', value: literal });
  return concat(parts);
}
