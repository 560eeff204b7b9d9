// `portcullis redteam` end to end through the CLI: JSON with the summary contract, a self-contained
// HTML report, located usage errors.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bin, ensureBuilt, tempDir } from '../proxy/helpers.js';

ensureBuilt();
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, 'redteam', ...args], { encoding: 'utf8', timeout: 120_000 });

it('JSON: top-level summary as fractions, per suite/attack/task details', () => {
  const r = run([
    '--suite',
    'banking',
    '--attack',
    'blatant-override,tool-poisoned',
    '--defense',
    'none',
    '--format',
    'json',
  ]);
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(Object.keys(report.summary).sort()).toEqual(['attackSuccessRate', 'utility', 'utilityUnderAttack']);
  for (const v of Object.values(report.summary) as number[]) expect(v >= 0 && v <= 1).toBe(true);
  expect(report.summary.attackSuccessRate).toBeGreaterThan(0.5);
  expect(Object.keys(report.byAttack).sort()).toEqual(['blatant-override', 'tool-poisoned']);
  expect(Object.keys(report.bySuite)).toEqual(['banking']);
  expect(report.byInjectionTask['banking/injection_task_0'].attackSuccessRate.n).toBeGreaterThan(0);
}, 120_000);

it('HTML: one self-contained file with inline SVG charts', () => {
  const out = join(tempDir(), 'report.html');
  const r = run(['--suite', 'workspace', '--attack', 'polite-request', '--format', 'html', '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  const html = readFileSync(out, 'utf8');
  expect(html).toContain('<svg');
  expect(html).toContain('attack success rate');
  expect(html).not.toMatch(/<script|<link|src="http|href="http/);
}, 120_000);

it('usage errors exit 2 with the offending option', () => {
  const a = run(['--suite', 'nope']);
  expect(a.status).toBe(2);
  expect(a.stderr).toContain('unknown suite nope');
  const b = run(['--agent', 'gpt-9']);
  expect(b.status).toBe(2);
  expect(b.stderr).toContain('unknown agent');
  const c = run(['--defense', join(tempDir(), 'missing.yaml')]);
  expect(c.status).toBe(2);
});
