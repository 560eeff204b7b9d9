// Which conditions gate an effect: a test that depends on the clock, randomness, the host
// (platform, hostname, user), a counter kept across calls, or equality of a parameter or an
// environment variable with a specific constant. Ordinary argument checks (`if (!args.path)`)
// and presence checks of configuration (`if (process.env.API_KEY)`) are not gates.

import type { Location } from '../../core/types.js';
import type { Expr } from '../facts.js';
import {
  MARK_COUNTER,
  MARK_ENV,
  MARK_ENVVAR,
  MARK_PARAM,
  MARK_RANDOM,
  MARK_TIME,
  marksOf,
  type V,
} from './values.js';

function comparedConstant(test: Expr, evalPart: (e: Expr) => V): string | undefined {
  if (test.k !== 'other' || test.parts.length !== 2) return undefined;
  for (const p of test.parts) {
    if (p.k === 'str' && p.value.length > 0) return JSON.stringify(p.value.slice(0, 40));
  }
  void evalPart;
  return undefined;
}

export function describeGate(
  value: V,
  test: Expr,
  loc: Location,
  evalPart: (e: Expr) => V,
): string | undefined {
  const m = marksOf(value);
  if (!m) return undefined;
  const at = `${loc.file}:${loc.line}`;
  const kinds: string[] = [];
  if (m & MARK_TIME) kinds.push('time');
  if (m & MARK_RANDOM) kinds.push('randomness');
  if (m & MARK_ENV) kinds.push('host environment');
  if (m & MARK_COUNTER) kinds.push('a counter kept across calls');
  if (m & (MARK_PARAM | MARK_ENVVAR)) {
    const c = comparedConstant(test, evalPart);
    if (c) kinds.push(m & MARK_PARAM ? `a parameter equal to ${c}` : `an environment variable equal to ${c}`);
  }
  if (!kinds.length) return undefined;
  return `condition on ${kinds.join(' and ')} (${at})`;
}
