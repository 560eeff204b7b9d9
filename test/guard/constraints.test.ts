import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileJsonSchema, createGuard, loadPolicyText, type Verdict } from '../../src/guard/index.js';

let root: string;
let home: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'pc-guard-')));
  home = join(root, 'home');
  mkdirSync(join(home, 'projects', 'app'), { recursive: true });
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'key');
  writeFileSync(join(home, 'projects', 'app', '.env'), 'X=1');
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'passwd'), 'root');
  // A symlink inside the allowed tree that points outside it.
  symlinkSync(join(root, 'etc'), join(home, 'projects', 'app', 'escape'));
  // A dangling link: writing through it would create a file outside the allowed tree.
  symlinkSync(join(root, 'etc', 'cron.d', 'job'), join(home, 'projects', 'app', 'dangling'));
});

afterAll(() => {
  // temp dirs are left to the OS; nothing secret in them
});

function guardFor(yaml: string) {
  const policy = loadPolicyText(yaml, 'p.yaml', { cwd: join(home, 'projects', 'app'), home });
  const guard = createGuard({ policy });
  const session = guard.session('s');
  return (tool: string, args: Record<string, unknown>): Verdict =>
    guard.decideCall(session, { callId: 'c', server: 'srv', tool, arguments: args });
}

const pathPolicy = `
version: 1
servers:
  srv:
    tools:
      read_file:
        args:
          path: { path: { allow: ["~/projects/**"], deny: ["~/.ssh/**", "**/.env"] } }
`;

describe('path constraints', () => {
  it('allows paths inside the allowed tree, relative or with ~', () => {
    const decide = guardFor(pathPolicy);
    expect(decide('read_file', { path: '~/projects/app/src/main.ts' }).decision).toBe('allow');
    expect(decide('read_file', { path: 'src/main.ts' }).decision).toBe('allow');
    expect(decide('read_file', { path: '~/projects' }).decision).toBe('allow');
  });

  it('resolves .. before matching (path traversal)', () => {
    const decide = guardFor(pathPolicy);
    const v = decide('read_file', { path: '../../../../etc/passwd' });
    expect(v.decision).toBe('deny');
    expect(v.rule).toBe('servers.srv.tools.read_file.args.path');
    expect(v.reason).toMatch(/outside the allowed paths/);
    expect(decide('read_file', { path: '~/projects/app/../../.ssh/id_rsa' }).decision).toBe('deny');
  });

  it('follows symlinks: a link inside the allowed tree to a file outside it is refused', () => {
    const decide = guardFor(pathPolicy);
    const v = decide('read_file', { path: '~/projects/app/escape/passwd' });
    expect(v.decision).toBe('deny');
    expect(v.reason).toContain(join(root, 'etc', 'passwd'));
    // Also for a file that does not exist yet below the link, and through a dangling link.
    expect(decide('read_file', { path: '~/projects/app/escape/new/file' }).decision).toBe('deny');
    const dangling = decide('read_file', { path: '~/projects/app/dangling' });
    expect(dangling.decision).toBe('deny');
    expect(dangling.reason).toContain(join(root, 'etc', 'cron.d', 'job'));
  });

  it('checks deny before allow', () => {
    const decide = guardFor(pathPolicy);
    const v = decide('read_file', { path: '~/projects/app/.env' });
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/denies/);
  });

  it('checks every item of a list, file: URLs, and refuses non-strings and NUL bytes', () => {
    const decide = guardFor(pathPolicy);
    expect(decide('read_file', { path: ['~/projects/a', '~/.ssh/id_rsa'] }).decision).toBe('deny');
    expect(decide('read_file', { path: `file://${home}/.ssh/id_rsa` }).decision).toBe('deny');
    expect(decide('read_file', { path: { p: 'x' } }).decision).toBe('deny');
    expect(decide('read_file', { path: '~/projects/a\u0000/../../.ssh/id_rsa' }).decision).toBe('deny');
  });
});

describe('URL constraints', () => {
  const decide = () =>
    guardFor(`
version: 1
servers:
  srv:
    tools:
      fetch_url:
        args:
          url: { url: { hosts: [good.com, "*.example.org", "bücher.de"] } }
`);

  it('allows listed hosts and subdomain wildcards over https', () => {
    const d = decide();
    expect(d('fetch_url', { url: 'https://good.com/page' }).decision).toBe('allow');
    expect(d('fetch_url', { url: 'https://GOOD.com./page' }).decision).toBe('allow');
    expect(d('fetch_url', { url: 'https://api.example.org/x' }).decision).toBe('allow');
    expect(d('fetch_url', { url: 'https://a.b.example.org/x' }).decision).toBe('allow');
  });

  it('does not let the wildcard match the apex or look-alike suffixes', () => {
    const d = decide();
    expect(d('fetch_url', { url: 'https://example.org/' }).decision).toBe('deny');
    expect(d('fetch_url', { url: 'https://evilexample.org/' }).decision).toBe('deny');
    expect(d('fetch_url', { url: 'https://good.com.evil.net/' }).decision).toBe('deny');
  });

  it('sees through userinfo tricks', () => {
    const d = decide();
    const v = d('fetch_url', { url: 'https://good.com@evil.com/steal' });
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/evil\.com/);
    expect(d('fetch_url', { url: 'https://user:pw@good.com/' }).decision).toBe('deny');
  });

  it('compares IDN hosts in punycode form', () => {
    const d = decide();
    expect(d('fetch_url', { url: 'https://xn--bcher-kva.de/' }).decision).toBe('allow');
    expect(d('fetch_url', { url: 'https://bücher.de/' }).decision).toBe('allow');
    // Cyrillic "о" in gооd.com is a different host.
    expect(d('fetch_url', { url: 'https://g\u043e\u043ed.com/' }).decision).toBe('deny');
  });

  it('refuses other schemes and non-URLs', () => {
    const d = decide();
    expect(d('fetch_url', { url: 'http://good.com/' }).reason).toMatch(/scheme http/);
    expect(d('fetch_url', { url: 'javascript:alert(1)' }).decision).toBe('deny');
    expect(d('fetch_url', { url: 'good.com/page' }).decision).toBe('deny');
  });
});

describe('e-mail constraints', () => {
  const d = () =>
    guardFor(`
version: 1
servers:
  srv:
    tools:
      send_mail:
        action: allow
        labels: { sink: [] }
        args:
          to: { email: { domains: [example.com, "*.example.com"] } }
`);

  it('accepts single addresses, display names and lists within the domains', () => {
    const decide = d();
    expect(decide('send_mail', { to: 'bob@example.com' }).decision).toBe('allow');
    expect(decide('send_mail', { to: 'Bob <bob@eu.example.com>' }).decision).toBe('allow');
    expect(decide('send_mail', { to: ['a@example.com', 'b@EXAMPLE.com'] }).decision).toBe('allow');
    expect(decide('send_mail', { to: 'a@example.com, b@example.com' }).decision).toBe('allow');
  });

  it('refuses a list with one address outside the domains', () => {
    const decide = d();
    const v = decide('send_mail', { to: ['a@example.com', 'x@evil.com'] });
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/x@evil\.com/);
    expect(decide('send_mail', { to: 'a@example.com; x@evil.com' }).decision).toBe('deny');
    expect(decide('send_mail', { to: 'a@example.com@evil.com' }).decision).toBe('deny');
    expect(decide('send_mail', { to: 'x@example.com.evil.com' }).decision).toBe('deny');
    expect(decide('send_mail', { to: 42 }).decision).toBe('deny');
  });
});

describe('number and string constraints', () => {
  const d = () =>
    guardFor(`
version: 1
servers:
  srv:
    tools:
      pay:
        labels: { sink: [] }
        args:
          amount: { number: { min: 0, max: 100 } }
          ref: { string: { maxLength: 20, pattern: "^[A-Z0-9-]+$" } }
`);

  it('enforces numeric limits, numeric strings included', () => {
    const decide = d();
    expect(decide('pay', { amount: 50 }).decision).toBe('allow');
    expect(decide('pay', { amount: '50' }).decision).toBe('allow');
    expect(decide('pay', { amount: 101 }).reason).toMatch(/above the maximum 100/);
    expect(decide('pay', { amount: -1 }).decision).toBe('deny');
    expect(decide('pay', { amount: 'lots' }).decision).toBe('deny');
    expect(decide('pay', { amount: Number.NaN }).decision).toBe('deny');
  });

  it('enforces length and pattern, and caps what a pattern runs on', () => {
    const decide = d();
    expect(decide('pay', { ref: 'INV-2024-1' }).decision).toBe('allow');
    expect(decide('pay', { ref: 'inv 1' }).decision).toBe('deny');
    expect(decide('pay', { ref: 'A'.repeat(21) }).reason).toMatch(/longer than 20/);
  });
});

describe('JSON Schema validation', () => {
  const validate = compileJsonSchema({
    type: 'object',
    required: ['to'],
    additionalProperties: false,
    properties: {
      to: { type: 'string', minLength: 3, pattern: '^[^@]+@[^@]+$' },
      n: { type: 'integer', minimum: 1, maximum: 5 },
      kind: { enum: ['a', 'b'] },
      fixed: { const: { x: 1 } },
      tags: { type: 'array', items: { type: 'string', maxLength: 4 }, minItems: 1, maxItems: 3 },
    },
  });

  it('accepts valid arguments', () => {
    expect(validate({ to: 'a@b', n: 2, kind: 'a', fixed: { x: 1 }, tags: ['x'] })).toBeUndefined();
  });

  it('names the failing field', () => {
    expect(validate({})).toBe('to is required');
    expect(validate({ to: 'a@b', extra: 1 })).toBe('extra is not allowed');
    expect(validate({ to: 'ab' })).toMatch(/to is shorter/);
    expect(validate({ to: 'abc' })).toMatch(/pattern/);
    expect(validate({ to: 'a@b', n: 1.5 })).toMatch(/n must be integer/);
    expect(validate({ to: 'a@b', n: 9 })).toMatch(/at most 5/);
    expect(validate({ to: 'a@b', kind: 'c' })).toMatch(/allowed values/);
    expect(validate({ to: 'a@b', fixed: { x: 2 } })).toMatch(/constant/);
    expect(validate({ to: 'a@b', tags: [] })).toMatch(/at least 1/);
    expect(validate({ to: 'a@b', tags: ['x', 'toolong'] })).toMatch(/tags\[1\] is longer/);
  });

  it('fails over-deep and over-large values instead of skipping them', () => {
    const any = compileJsonSchema({
      type: 'object',
      additionalProperties: { type: ['object', 'string'], additionalProperties: true },
    });
    let deep: Record<string, unknown> = { v: 'x' };
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const nested = compileJsonSchema({ items: { items: { items: {} } } });
    expect(nested([[[1]]])).toBeUndefined();
    const recursive: Record<string, unknown> = { type: 'object' };
    let cur = recursive;
    for (let i = 0; i < 40; i++) {
      const next: Record<string, unknown> = { type: 'object' };
      cur.additionalProperties = next;
      cur = next;
    }
    expect(() => compileJsonSchema(recursive)).toThrow(/deeper than 32/);
    expect(any(deep)).toBeUndefined(); // additionalProperties: true below the first level stops descent
    const strict = compileJsonSchema({ type: 'array', items: { type: 'number' } });
    expect(strict(new Array(200_000).fill(1))).toMatch(/too large/);
  });

  it('is enforced by the engine as a deny with the schema rule', () => {
    const decide = guardFor(`
version: 1
servers:
  srv:
    tools:
      t:
        schema: { type: object, required: [a], properties: { a: { type: string } } }
`);
    expect(decide('t', { a: 'x' }).decision).toBe('allow');
    const v = decide('t', { a: 1 });
    expect(v).toMatchObject({ decision: 'deny', rule: 'servers.srv.tools.t.schema' });
    expect(v.reason).toMatch(/a must be string/);
  });
});
