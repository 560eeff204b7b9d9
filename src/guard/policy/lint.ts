// `portcullis policy check`: what a valid policy file can still get wrong. Rules that can never
// apply (a glob after a broader glob for the same server), rules for tools the server does not have
// (given its tools/list manifest), and settings that switch protections off.

import { existsSync } from 'node:fs';
import { wildcardCovers, wildcardMatch } from '../glob.js';
import type { CompiledPolicy } from './compile.js';
import { compilePolicy } from './compile.js';
import { PolicyError, readPolicyFile } from './load.js';

export type LintSeverity = 'error' | 'warning';

export interface LintFinding {
  severity: LintSeverity;
  /** Stable id: `schema`, `shadowed-rule`, `unknown-tool`, `unmatched-glob`, `dangerous-setting`, `missing-lock`. */
  id: string;
  message: string;
  line?: number;
  column?: number;
  field?: string;
}

/** The tools one server lists, for unknown-tool checks. */
export interface ServerTools {
  server: string;
  tools: string[];
}

export interface LintResult {
  file: string;
  /** Undefined when the file is not a valid policy (the findings say why). */
  policy?: CompiledPolicy;
  findings: LintFinding[];
}

export function lintPolicyFile(file: string, manifests: ServerTools[] = []): LintResult {
  let policy: CompiledPolicy;
  try {
    const parsed = readPolicyFile(file);
    policy = compilePolicy(parsed.policy, { file, positions: parsed.positions });
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return {
      file,
      findings: e.problems.map((p) => ({ severity: 'error', id: 'schema', ...p })),
    };
  }
  return { file, policy, findings: lintPolicy(policy, manifests) };
}

export function lintPolicy(policy: CompiledPolicy, manifests: ServerTools[] = []): LintFinding[] {
  const findings: LintFinding[] = [];
  const at = (r: { line?: number; column?: number; key: string }) => ({
    ...(r.line !== undefined ? { line: r.line } : {}),
    ...(r.column !== undefined ? { column: r.column } : {}),
    field: r.key,
  });

  // Shadowed globs: exact names always win, so only a glob after a covering glob is unreachable.
  const byServer = new Map<string, CompiledPolicy['rules']>();
  for (const r of policy.rules) byServer.set(r.server, [...(byServer.get(r.server) ?? []), r]);
  for (const rules of byServer.values()) {
    const globs = rules.filter((r) => r.pattern.includes('*') || r.pattern.includes('?'));
    for (let i = 0; i < globs.length; i++) {
      const later = globs[i];
      if (!later) continue;
      const earlier = globs.slice(0, i).find((g) => wildcardCovers(g.pattern, later.pattern));
      if (earlier) {
        findings.push({
          severity: 'warning',
          id: 'shadowed-rule',
          message: `rule "${later.pattern}" never applies: the earlier rule "${earlier.pattern}"${earlier.line ? ` (line ${earlier.line})` : ''} matches every tool it matches; move it above or remove it`,
          ...at(later),
        });
      }
    }
  }

  for (const m of manifests) {
    const names = new Set(m.tools);
    for (const r of policy.rules) {
      if (r.server !== m.server) continue;
      const isGlob = r.pattern.includes('*') || r.pattern.includes('?');
      if (!isGlob && !names.has(r.pattern)) {
        findings.push({
          severity: 'warning',
          id: 'unknown-tool',
          message: `server "${m.server}" has no tool "${r.pattern}"${suggest(r.pattern, m.tools)}`,
          ...at(r),
        });
      } else if (isGlob && !m.tools.some((t) => wildcardMatch(r.pattern, t))) {
        findings.push({
          severity: 'warning',
          id: 'unmatched-glob',
          message: `rule "${r.pattern}" matches none of the tools server "${m.server}" lists`,
          ...at(r),
        });
      }
    }
  }

  const setting = (field: string, message: string) => {
    const pos = policy.positions?.get(field);
    findings.push({
      severity: 'warning',
      id: 'dangerous-setting',
      message,
      field,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  };
  if (policy.default === 'allow' && policy.ruleOfTwo === 'off') {
    setting(
      'ruleOfTwo',
      'default is allow and the rule of two is off: an injected result can drive any external or destructive call',
    );
  } else if (policy.ruleOfTwo === 'off') {
    setting(
      'ruleOfTwo',
      'the rule of two is off: untrusted content and private data can meet an external call without approval',
    );
  }
  if (policy.provenance === 'off') {
    setting(
      'provenance',
      'provenance is off: values planted by untrusted content (recipients, accounts, URLs) are not caught',
    );
  }
  if (policy.destructive === 'allow')
    setting('destructive', 'destructive tools are allowed without approval');
  if (policy.results.injection === 'flag') {
    setting(
      'results.injection',
      'injected results are only flagged: the model still reads the injected instructions unfenced',
    );
  }
  if (policy.pinned && !existsSync(policy.pinned.lock)) {
    const pos = policy.positions?.get('pinned.lock');
    findings.push({
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      severity: 'error',
      id: 'missing-lock',
      message: `pinned.lock ${policy.pinned.lock} does not exist: the guard will not start (create it with \`portcullis pin\`)`,
      field: 'pinned.lock',
    });
  }
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function suggest(name: string, tools: string[]): string {
  let best: string | undefined;
  let bestDistance = 3; // suggest only near misses
  for (const t of tools) {
    const d = editDistance(name.toLowerCase(), t.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = t;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

/** Levenshtein distance, giving up (returning `cap`) once it reaches `cap`; names are short. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap || a.length > 128 || b.length > 128) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return Math.min(prev[b.length] as number, cap);
}
