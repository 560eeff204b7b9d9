import { describe, expect, it } from 'vitest';
import { createGuard, loadPolicyText, unsafePatternReason } from '../../src/guard/index.js';

describe('bounded regular expressions', () => {
  it.each([
    '^[a-z0-9-]+$',
    '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$',
    '^(foo|bar)$',
    '^(\\d{3}-){2}\\d{4}$',
    '^https://[^/]+/.*$',
    '^(?:INV|PO)-\\d+$',
    '^[^@\\s]+@example\\.com$',
    '^(a)?b$',
  ])('accepts the honest pattern %s', (p) => {
    expect(unsafePatternReason(p)).toBeUndefined();
  });

  it.each([
    ['(a+)+$', /nested quantifiers/],
    ['(\\w*)*x', /nested quantifiers/],
    ['^(a|aa)+$', /repeated alternation/],
    ['(?:x+y?)+', /nested quantifiers/],
    ['((ab)*c)+', /nested quantifiers/],
    ['(\\w)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['(?<=a)b', /lookbehind/],
    ['[', /not a valid regular expression/],
  ])('rejects %s', (p, why) => {
    expect(unsafePatternReason(p)).toMatch(why);
  });

  it('refuses to run a pattern on an input over the cap instead of matching it', () => {
    const g = createGuard({
      policy: loadPolicyText(
        'version: 1\nservers:\n  s:\n    tools:\n      t:\n        args:\n          q: { string: { pattern: "^[a-z ]*$" } }\n',
      ),
    });
    const s = g.session('a');
    expect(
      g.decideCall(s, { callId: '1', server: 's', tool: 't', arguments: { q: 'a'.repeat(8192) } }).decision,
    ).toBe('allow');
    const v = g.decideCall(s, { callId: '2', server: 's', tool: 't', arguments: { q: 'a'.repeat(8193) } });
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/too long to check/);
  });

  it('returns the credentials a rule declares, for the transport to inject', () => {
    const g = createGuard({
      policy: loadPolicyText(
        'version: 1\nservers:\n  bank:\n    tools:\n      send_money:\n        credentials:\n          - { from: { env: BANK_TOKEN }, inject: { argument: token } }\n',
      ),
    });
    expect(g.credentialsFor('bank', 'send_money')).toEqual([
      { from: { env: 'BANK_TOKEN' }, inject: { argument: 'token' } },
    ]);
    expect(g.credentialsFor('bank', 'other')).toEqual([]);
  });
});
