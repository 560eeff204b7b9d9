// A RuleTester in the manner of typescript-eslint: `valid` cases must produce no finding from the
// rule; `invalid` cases must produce exactly the listed findings (message id, severity, line).

import { describe, expect, it } from 'vitest';
import type { Finding, Severity, ToolDefinition } from '../../../src/core/types.js';
import { runRules } from '../../../src/scan/rules/index.js';
import type { Rule } from '../../../src/scan/rules/types.js';

export interface ValidCase {
  name: string;
  tool: ToolDefinition;
  /** Other tools of the same server (same folder), for rules that judge a tool by its neighbours. */
  siblings?: ToolDefinition[];
}

export interface ExpectedFinding {
  messageId: string;
  severity: Severity;
  line: number;
  /** Substrings the rendered message must contain. */
  message?: string[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** Extra checks on the findings (evidence). */
  check?: (findings: Finding[]) => void;
}

/** What the rule reported, by message id (runRules renders messages but does not keep the id). */
function reportsOf(
  rule: Rule,
  tool: ToolDefinition,
  siblings: readonly ToolDefinition[],
): { messageId: string; severity: Severity; line: number }[] {
  const out: { messageId: string; severity: Severity; line: number }[] = [];
  rule.check({
    tool,
    neighbours: [tool, ...siblings],
    report: (r) =>
      out.push({ messageId: r.messageId, severity: r.severity ?? rule.meta.severity, line: r.location.line }),
  });
  return out;
}

export function runRuleTests(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, () => {
          const findings = runRules([c.tool, ...(c.siblings ?? [])], { rules: [rule.id] }).filter(
            (f) => f.tool === c.tool.id,
          );
          expect(findings.map((f) => `${f.severity} ${f.line}: ${f.message}`)).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, () => {
          const findings = runRules([c.tool, ...(c.siblings ?? [])], { rules: [rule.id] }).filter(
            (f) => f.tool === c.tool.id,
          );
          const got = reportsOf(rule, c.tool, c.siblings ?? []).sort((a, b) => a.line - b.line);
          expect(findings).toHaveLength(got.length);
          expect(got).toEqual(
            c.errors.map(({ messageId, severity, line }) => ({ messageId, severity, line })),
          );
          c.errors.forEach((e, i) => {
            const f = findings[i]!;
            expect(f.rule).toBe(rule.id);
            expect(f.tool).toBe(c.tool.id);
            expect(f.message).not.toMatch(/\{\{/);
            for (const s of e.message ?? []) expect(f.message).toContain(s);
            expect(f.evidence.location ?? f.evidence.dataPath?.[0]).toBeDefined();
          });
          c.check?.(findings);
        });
      }
    });
  });
}
