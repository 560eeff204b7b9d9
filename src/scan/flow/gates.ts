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

/** `x == 'literal'` / `'literal' === x`: an equality test against a non-empty string constant. */
function comparesToConstant(test: Expr): boolean {
  if (test.k !== 'other' || test.parts.length !== 2) return false;
  return test.parts.some((p) => p.k === 'str' && p.value.length > 0);
}

export function describeGate(value: V, test: Expr, loc: Location): string | undefined {
  const m = marksOf(value);
  if (!m) return undefined;
  // Only the line: file names and literal values could read like another kind of condition.
  const at = `line ${loc.line}`;
  const kinds: string[] = [];
  if (m & MARK_TIME) kinds.push('time');
  if (m & MARK_RANDOM) kinds.push('randomness');
  if (m & MARK_ENV) kinds.push('host environment');
  if (m & MARK_COUNTER) kinds.push('a counter kept across calls');
  if (m & (MARK_PARAM | MARK_ENVVAR) && comparesToConstant(test)) {
    kinds.push(
      m & MARK_PARAM
        ? 'a parameter equal to a specific value'
        : 'an environment variable equal to a specific value',
    );
  }
  if (!kinds.length) return undefined;
  return `condition on ${kinds.join(' and ')} (${at})`;
}
