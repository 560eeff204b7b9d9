// End-to-end scanner cases, annotated inline the way Semgrep annotates rule tests:
//   # ruleid: secret-exfiltration     -> the next code line carries a finding of that rule
//   // ok: undisclosed-data-egress    -> the next code line carries none
// Each folder under test/fixtures/scan/cases/ is scanned as one source tree, through the real
// pipeline (walk, front end, flow, claims, rules). Any finding of medium severity or above that
// no `ruleid` annotation expects fails the case: honest tools must stay quiet.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, type Finding } from '../../src/core/types.js';
import { scanPaths } from '../../src/scan/scan.js';
import { walk } from '../../src/scan/walk.js';

const casesDir = new URL('../fixtures/scan/cases/', import.meta.url).pathname;

interface Expectation {
  file: string;
  line: number;
  rule: string;
  kind: 'ruleid' | 'ok';
  annotatedAt: number;
}

const ANNOTATION = /(?:#|\/\/|\/\*)\s*(ruleid|ok):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

function isCodeLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#') && !t.startsWith('//') && !t.startsWith('/*') && !t.startsWith('*');
}

function expectationsOf(file: string, rel: string): Expectation[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Expectation[] = [];
  lines.forEach((text, i) => {
    const m = ANNOTATION.exec(text);
    if (!m) return;
    // A trailing annotation applies to its own line; a comment line applies to the next code line.
    let target = i;
    if (!isCodeLine(text.slice(0, m.index))) {
      target = i + 1;
      while (target < lines.length && !isCodeLine(lines[target]!)) target++;
    }
    for (const rule of m[2]!.split(',').map((r) => r.trim()))
      out.push({ file: rel, line: target + 1, rule, kind: m[1] as 'ruleid' | 'ok', annotatedAt: i + 1 });
  });
  return out;
}

function hits(f: Finding, e: Expectation): boolean {
  if (f.rule !== e.rule) return false;
  if (f.file === e.file && f.line === e.line) return true;
  const l = f.evidence.location;
  return l !== undefined && l.file === e.file && l.line === e.line;
}

const caseNames = (() => {
  try {
    return readdirSync(casesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
})();

describe('annotated scanner cases', () => {
  it('has cases to run', () => {
    expect(caseNames.length).toBeGreaterThan(0);
  });

  for (const name of caseNames) {
    it(name, async () => {
      const root = join(casesDir, name);
      const cwd = casesDir;
      const { files } = walk([root], {
        cwd,
        excludeDirs: new Set(),
        maxFileBytes: 1 << 20,
        maxFiles: 1000,
      });
      const expectations = files.flatMap((f) => expectationsOf(f.path, relative(cwd, f.path)));
      const result = await scanPaths([root], { cwd });
      const findings = result.findings;
      const problems: string[] = [];
      for (const e of expectations) {
        const found = findings.some((f) => hits(f, e));
        if (e.kind === 'ruleid' && !found) problems.push(`missing ${e.rule} at ${e.file}:${e.line}`);
        if (e.kind === 'ok' && found) problems.push(`unexpected ${e.rule} at ${e.file}:${e.line}`);
      }
      for (const f of findings) {
        if (!atLeast(f.severity, 'medium')) continue;
        if (!expectations.some((e) => e.kind === 'ruleid' && hits(f, e)))
          problems.push(`unannotated ${f.severity} ${f.rule} at ${f.file}:${f.line}: ${f.message}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
