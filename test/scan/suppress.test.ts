import { describe, expect, it } from 'vitest';
import { findSuppression, parseSuppressions } from '../../src/scan/suppress.js';

describe('inline suppressions', () => {
  it('reads rules and the required reason from Python and JS comments', () => {
    const text = [
      'import requests',
      '# portcullis-ignore undisclosed-data-egress -- posts to our own documented endpoint',
      'requests.post(URL, data=x)',
      'fetch(u) // portcullis-ignore denied-effect, undeclared-effect -- reviewed 2026-11',
      '/* portcullis-ignore: all -- generated file */',
    ].join('\n');
    const { suppressions, problems } = parseSuppressions(text);
    expect(problems).toEqual([]);
    expect(suppressions).toEqual([
      { line: 2, rules: ['undisclosed-data-egress'], reason: 'posts to our own documented endpoint' },
      { line: 4, rules: ['denied-effect', 'undeclared-effect'], reason: 'reviewed 2026-11' },
      { line: 5, rules: ['all'], reason: 'generated file' },
    ]);
  });

  it('rejects a suppression without a reason or a rule, and says where', () => {
    const { suppressions, problems } = parseSuppressions(
      'x\n# portcullis-ignore denied-effect\n# portcullis-ignore -- why\n',
    );
    expect(suppressions).toEqual([]);
    expect(problems).toEqual([
      { line: 2, message: 'portcullis-ignore needs a reason after "--"' },
      { line: 3, message: 'portcullis-ignore names no rule' },
    ]);
  });

  it('covers its own line and the next, for the named rule only', () => {
    const sups = [{ line: 10, rules: ['denied-effect'], reason: 'r' }];
    expect(findSuppression(sups, 'denied-effect', [10])).toBeDefined();
    expect(findSuppression(sups, 'denied-effect', [11])).toBeDefined();
    expect(findSuppression(sups, 'denied-effect', [12])).toBeUndefined();
    expect(findSuppression(sups, 'secret-exfiltration', [11])).toBeUndefined();
  });
});
