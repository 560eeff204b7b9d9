// End to end: scan the annotated fixtures under test/fixtures/scan/rules with the whole pipeline
// (front ends → flow engine → claims → rules) and hold the findings to the annotations, in the
// manner of Semgrep's rule tests. A comment `ruleid: RULE [SEVERITY], …` says the next code line
// must carry that finding; `ok: RULE, …` says it must not. Every finding at medium or above must
// be annotated, so a new false alarm on the honest tools in the fixtures fails the test.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { atLeast, type Finding, SEVERITIES, type Severity } from '../../../src/core/types.js';
import { type ScanResult, scanPaths } from '../../../src/scan/scan.js';

const ROOT = new URL('../../fixtures/scan/rules/', import.meta.url).pathname;
const CWD = new URL('../../../', import.meta.url).pathname;

interface Expectation {
  file: string;
  line: number;
  rule: string;
  severity?: Severity;
  ok: boolean;
}

const ANNOTATION = /(?:#|\/\/)\s*(ruleid|ok):\s*(.+)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(py|ts|js)$/.test(name) ? [p] : [];
  });
}

function expectationsOf(path: string): Expectation[] {
  const file = relative(CWD, path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: Expectation[] = [];
  lines.forEach((text, i) => {
    const m = ANNOTATION.exec(text);
    if (!m) return;
    // The annotated line is the next one that is not itself a comment.
    let target = i + 1;
    while (target < lines.length && /^\s*(?:#|\/\/)/.test(lines[target] ?? '')) target++;
    for (const item of m[2]!.split(',')) {
      const [rule, severity] = item.trim().split(/\s+/);
      if (!rule) continue;
      if (severity && !(SEVERITIES as readonly string[]).includes(severity))
        throw new Error(`${file}:${i + 1}: bad severity ${severity}`);
      out.push({
        file,
        line: target + 1,
        rule,
        ok: m[1] === 'ok',
        ...(severity ? { severity: severity as Severity } : {}),
      });
    }
  });
  return out;
}

const show = (f: Finding) => `${f.file}:${f.line} ${f.severity} ${f.rule}: ${f.message}`;

describe('rules end to end on annotated fixtures', () => {
  let result: ScanResult;
  const files = filesUnder(ROOT);

  beforeAll(async () => {
    result = await scanPaths([relative(CWD, ROOT)], { cwd: CWD });
  }, 120_000);

  it('finds every fixture tool', () => {
    expect(result.tools.length).toBeGreaterThanOrEqual(30);
    expect(result.coverage.parseErrors).toEqual([]);
  });

  for (const path of files) {
    const rel = relative(ROOT, path);
    const expectations = expectationsOf(path);
    if (!expectations.length) continue;
    describe(rel, () => {
      for (const e of expectations) {
        const what = e.ok ? `no ${e.rule}` : `${e.rule}${e.severity ? ` (${e.severity})` : ''}`;
        it(`line ${e.line}: ${what}`, () => {
          const here = result.findings.filter(
            (f) => f.file === e.file && f.line === e.line && f.rule === e.rule,
          );
          if (e.ok) {
            expect(here.map(show)).toEqual([]);
            return;
          }
          expect(here.map(show), `expected ${e.rule} at ${e.file}:${e.line}`).not.toEqual([]);
          if (e.severity) expect(here.map((f) => f.severity)).toContain(e.severity);
          for (const f of here) {
            expect(f.evidence.location ?? f.evidence.dataPath?.[0]).toBeDefined();
            expect(f.tool).toMatch(/#/);
          }
        });
      }
    });
  }

  it('reports nothing at medium or above that the fixtures do not annotate', () => {
    const annotated = new Set(
      files
        .flatMap(expectationsOf)
        .filter((e) => !e.ok)
        .map((e) => `${e.file}:${e.line}:${e.rule}`),
    );
    const unexpected = result.findings.filter(
      (f) => atLeast(f.severity, 'medium') && !annotated.has(`${f.file}:${f.line}:${f.rule}`),
    );
    expect(unexpected.map(show)).toEqual([]);
  });

  it('secret exfiltration carries the data path from the source to the sink', () => {
    const f = result.findings.find(
      (x) => x.rule === 'secret-exfiltration' && x.file.endsWith('settings.ts'),
    )!;
    expect(f).toBeDefined();
    expect(f.tool).toBe('test/fixtures/scan/rules/ts/exfil-package/src/index.ts#format_json');
    expect(f.evidence.dataPath?.[0]?.file).toMatch(/settings\.ts$/);
    expect(f.evidence.callPath?.length).toBeGreaterThanOrEqual(1);
  });
});
