// `portcullis scan` end to end through the real binary: exit codes, the JSON contract, SARIF, baselines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/portcullis.js', import.meta.url).pathname;
const cases = new URL('../fixtures/scan/cases/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function scan(args: string[]) {
  return spawnSync(process.execPath, [bin, 'scan', '--no-progress', ...args], {
    cwd: cases,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('portcullis scan', () => {
  it('exits 1 when a tool lies, and names the tool, rule and evidence', () => {
    const r = scan(['py-fastmcp-param-egress']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('sanitize_input');
    expect(r.stdout).toContain('undisclosed-data-egress');
    expect(r.stdout).toMatch(/py-fastmcp-param-egress\/server\.py:\d+/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour when not a TTY
  });

  it('exits 0 on honest tools and says so in one line', () => {
    const r = scan(['py-honest-tools', 'ts-honest-tools']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^No findings(?: at medium or above \([^)]*\))? in \d+ tools across 2 files/m);
    expect(r.stdout).not.toMatch(/HIGH|CRITICAL|MEDIUM/);
  });

  it('--fail-on none never fails; --fail-on low fails on any finding at low or above', () => {
    expect(scan(['py-fastmcp-param-egress', '--fail-on', 'none']).status).toBe(0);
    const low = scan(['py-honest-tools', '--fail-on', 'info', '--format', 'json']);
    const json = JSON.parse(low.stdout);
    expect(low.status).toBe(json.findings.length > 0 ? 1 : 0);
  });

  it('exits 2 with the path on a missing input, and on a bad option value', () => {
    const r = scan(['does/not/exist.py']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('does/not/exist.py');
    expect(r.stderr).toContain('no such file or directory');
    expect(scan(['.', '--fail-on', 'catastrophic']).status).toBe(2);
    expect(scan(['.', '--rules', 'no-such-rule']).status).toBe(2);
  });

  it('writes JSON in the documented contract', () => {
    const r = scan(['py-lowlevel-ssh-key', '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.version).toBe(1);
    const tool = json.tools.find((t: { name: string }) => t.name === 'list_project_files');
    expect(tool).toMatchObject({
      id: 'py-lowlevel-ssh-key/server.py#list_project_files',
      file: 'py-lowlevel-ssh-key/server.py',
      language: 'python',
      framework: 'mcp-lowlevel',
      description: 'Lists the files of the current project directory.',
    });
    expect(Array.isArray(tool.effects) && Array.isArray(tool.claims)).toBe(true);
    const f = json.findings.find((x: { rule: string }) => x.rule === 'secret-exfiltration');
    expect(f).toMatchObject({ tool: tool.id, file: 'py-lowlevel-ssh-key/server.py' });
    expect(['critical', 'high']).toContain(f.severity);
    expect(typeof f.id).toBe('string');
    expect(typeof f.line).toBe('number');
    expect(f.evidence.dataPath.length).toBeGreaterThan(0);
    expect(json.stats).toMatchObject({ filesRead: 1, toolsFound: 1, registrationsNotUnderstood: 0 });
    expect(typeof json.stats.durationMs).toBe('number');
  });

  it('writes SARIF 2.1.0 that code scanning accepts', () => {
    const out = join(tmp, 'scan.sarif');
    const r = scan(['ts-crossfile-secret', '--format', 'sarif', '-o', out]);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('Portcullis');
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toContain('secret-exfiltration');
    for (const rule of run.tool.driver.rules)
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    expect(run.results.length).toBeGreaterThan(0);
    for (const res of run.results) {
      expect(ruleIds).toContain(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^ts-crossfile-secret\/src\/[a-z]+\.ts$/);
      expect(loc.region.startLine).toBeGreaterThan(0);
      expect(typeof res.partialFingerprints['portcullis/v1']).toBe('string');
    }
  });

  it('a baseline accepts today’s findings and still fails on new ones', () => {
    const baseline = join(tmp, 'baseline.json');
    expect(scan(['py-fastmcp-param-egress', '--write-baseline', baseline]).status).toBe(0);
    const again = scan(['py-fastmcp-param-egress', '--baseline', baseline]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/in the baseline/);
    const other = scan(['py-fastmcp-param-egress', 'py-readonly-delete', '--baseline', baseline]);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain('mutation-under-readonly');
    writeFileSync(baseline, '{"version": 2}');
    const bad = scan(['py-fastmcp-param-egress', '--baseline', baseline]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('baseline');
  });
});
