import { describe, expect, it } from 'vitest';
import { loadPolicy, loadPolicyText, PolicyError, parsePolicyText } from '../../src/guard/index.js';

const fixtures = new URL('../fixtures/policies/', import.meta.url).pathname;

function problems(text: string) {
  try {
    parsePolicyText(text, 'p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as PolicyError).problems;
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy loading', () => {
  it('loads the full annotated example', () => {
    const p = loadPolicy(`${fixtures}full.yaml`);
    expect(p.default).toBe('allow');
    expect(p.provenance).toBe('deny');
    expect(p.results.injection).toBe('fence');
    expect(p.pinned?.lock).toBe(`${fixtures}portcullis.lock`);
    expect(p.match('mail', 'delete_thread').rule?.key).toBe('servers.mail.tools.delete_*');
    expect(p.match('other', 'run_shell').rule?.action).toBe('deny');
    expect(p.match('bank', 'balance').serverDefault?.action).toBe('require-approval');
  });

  it('reports every problem with its line and column, in file order', () => {
    let err: PolicyError | undefined;
    try {
      loadPolicy(`${fixtures}invalid.yaml`);
    } catch (e) {
      err = e as PolicyError;
    }
    expect(err?.code).toBe('POLICY_INVALID');
    expect(err?.location).toMatchObject({
      file: `${fixtures}invalid.yaml`,
      line: 2,
      column: 10,
      field: 'default',
    });
    expect(err?.problems.map((p) => [p.line, p.column, p.field])).toEqual([
      [2, 10, 'default'],
      [7, 9, 'servers.mail.tools.send_email.acton'],
      [9, 35, 'servers.mail.tools.send_email.args.to.email.domains'],
      [12, 35, 'servers.mail.tools.search.args.q.string.pattern'],
      [13, 35, 'servers.mail.tools.search.rateLimit.per'],
    ]);
    expect(err?.problems[1]?.message).toBe('unknown field "acton"');
    expect(err?.problems[3]?.message).toMatch(/nested quantifiers/);
    expect(err?.format().split('\n')[0]).toBe(
      `${fixtures}invalid.yaml:2:10: Invalid option: expected one of "allow"|"deny"|"require-approval" (at default)`,
    );
  });

  it('reports YAML syntax errors and duplicate keys at their place', () => {
    const dup = problems('version: 1\nservers:\n  a:\n    tools:\n      x: {}\n      x: {}\n');
    expect(dup[0]).toMatchObject({ line: 6, column: 7 });
    expect(dup[0]?.message).toMatch(/unique/);
    const syntax = problems('version: 1\nservers: [\n');
    expect(syntax[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses alias explosions instead of expanding them', () => {
    const bomb = [
      'version: 1',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    const ps = problems(bomb);
    expect(ps[0]?.message).toMatch(/alias/i);
  });

  it('rejects a missing version, an empty file and non-object documents', () => {
    expect(problems('default: deny\n')[0]).toMatchObject({ field: 'version', line: 1, column: 1 });
    expect(problems('')[0]?.message).toMatch(/empty/);
    expect(problems('- 1\n- 2\n')[0]?.line).toBe(1);
  });

  it('rejects unsafe regexes in constraints and in JSON Schema patterns at load', () => {
    expect(
      problems(
        'version: 1\nservers:\n  s:\n    tools:\n      t:\n        args:\n          a: { string: { pattern: "(\\\\w+)\\\\1" } }\n',
      )[0]?.message,
    ).toMatch(/backreferences/);
    const schemaBad = problems(
      'version: 1\nservers:\n  s:\n    tools:\n      t:\n        schema: { type: object, properties: { a: { type: string, pattern: "(x*)*" } } }\n',
    );
    expect(schemaBad[0]).toMatchObject({ line: 6 });
    expect(schemaBad[0]?.message).toMatch(/nested quantifiers/);
    expect(
      problems(
        `version: 1\nservers:\n  s:\n    tools:\n      t:\n        args:\n          a: { string: { pattern: "${'a'.repeat(300)}" } }\n`,
      )[0]?.message,
    ).toMatch(/longer than 256/);
  });

  it('reports a JSON Schema the validator cannot use at the rule', () => {
    try {
      loadPolicyText(
        'version: 1\nservers:\n  s:\n    tools:\n      t:\n        schema: { type: object, properties: { a: { minLength: "x" } } }\n',
        'p.yaml',
      );
      throw new Error('expected rejection');
    } catch (e) {
      expect((e as PolicyError).problems[0]).toMatchObject({
        line: 5,
        column: 7,
        field: 'servers.s.tools.t',
      });
      expect((e as PolicyError).problems[0]?.message).toMatch(/minLength/);
    }
  });

  it('gives the built-in defaults for an empty policy', () => {
    const p = loadPolicyText('version: 1\n');
    expect(p).toMatchObject({
      default: 'allow',
      destructive: 'require-approval',
      ruleOfTwo: 'require-approval',
      provenance: 'require-approval',
      results: { injection: 'fence', secrets: 'redact', hidden: 'strip' },
    });
    expect(p.pinned).toBeUndefined();
  });

  it('prefers an exact tool name to globs, globs in file order, and the server to `*`', () => {
    const p = loadPolicyText(
      [
        'version: 1',
        'servers:',
        '  s:',
        '    tools:',
        '      "get_*": { action: require-approval }',
        '      "get_secret*": { action: deny }',
        '      get_secret_public: { action: allow }',
        '  "*":',
        '    tools:',
        '      "*": { action: deny }',
      ].join('\n'),
    );
    expect(p.match('s', 'get_secret_public').rule?.action).toBe('allow');
    expect(p.match('s', 'get_secret_key').rule?.key).toBe('servers.s.tools.get_*');
    expect(p.match('s', 'put').rule?.key).toBe('servers.*.tools.*');
    expect(p.match('t', 'x').rule?.action).toBe('deny');
  });
});
