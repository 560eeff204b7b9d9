import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { lintPolicyFile } from '../../src/guard/index.js';

const fixtures = new URL('../fixtures/policies/', import.meta.url).pathname;

async function run(args: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const code = await main(['node', 'portcullis', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('policy lint', () => {
  it('finds shadowed globs, unknown tools, unmatched globs and dangerous settings, with lines', () => {
    const r = lintPolicyFile(`${fixtures}lint.yaml`, [
      { server: 'mail', tools: ['read_email', 'send_email', 'send_email_later'] },
    ]);
    expect(r.findings.map((f) => [f.id, f.line])).toEqual([
      ['dangerous-setting', 3],
      ['shadowed-rule', 8],
      ['unknown-tool', 9],
      ['unmatched-glob', 10],
    ]);
    expect(r.findings[1]?.message).toMatch(
      /"send_email\*" never applies: the earlier rule "send_\*" \(line 7\)/,
    );
    expect(r.findings[2]?.message).toBe(
      'server "mail" has no tool "read_emails" (did you mean "read_email"?)',
    );
  });

  it('reports nothing for the full example apart from what it chose', () => {
    const r = lintPolicyFile(`${fixtures}full.yaml`);
    // full.yaml pins to a lockfile that is not in the fixtures.
    expect(r.findings.map((f) => f.id)).toEqual(['missing-lock']);
    expect(r.findings[0]?.line).toBe(14); // the value of pinned.lock
  });
});

describe('portcullis policy check', () => {
  it('prints findings as file:line:column and exits 1 on warnings', async () => {
    const r = await run(['policy', 'check', `${fixtures}lint.yaml`, '--tools', `${fixtures}mail-tools.json`]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${fixtures}lint.yaml:8:7: warning: rule "send_email*" never applies`);
    expect(r.out).toContain('[unknown-tool]');
    expect(r.out).toMatch(/0 errors, 4 warnings/);
  });

  it('exits 2 with every schema error located', async () => {
    const r = await run(['policy', 'check', `${fixtures}invalid.yaml`]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`${fixtures}invalid.yaml:2:10: error: Invalid option`);
    expect(r.out).toContain(`${fixtures}invalid.yaml:13:35: error: a duration`);
    expect(r.out).toMatch(/5 errors, 0 warnings/);
  });

  it('prints JSON with --format json', async () => {
    const r = await run(['policy', 'check', `${fixtures}lint.yaml`, '--format', 'json']);
    const parsed = JSON.parse(r.out) as { valid: boolean; findings: { id: string }[] };
    expect(parsed.valid).toBe(true);
    expect(parsed.findings.map((f) => f.id)).toEqual(['dangerous-setting', 'shadowed-rule']);
  });

  it('exits 2 on a missing file', async () => {
    const r = await run(['policy', 'check', `${fixtures}nope.yaml`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read policy file/);
  });
});
