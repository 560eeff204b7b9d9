// The human report for `portcullis scan`: quiet when all is well, specific when it is not.
// Findings are grouped by tool, each with its evidence (sink, call path, data path, claim).
import {
  atLeast,
  type Finding,
  type Location,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../core/types.js';
import type { ScanResult } from '../scan/scan.js';
import type { Style } from './style.js';

const MAX_LISTED = 20;

function loc(l: Location): string {
  return `${l.file}:${l.line}`;
}

function countBy(findings: readonly Finding[]): Map<Severity, number> {
  const m = new Map<Severity, number>();
  for (const f of findings) m.set(f.severity, (m.get(f.severity) ?? 0) + 1);
  return m;
}

function renderFinding(f: Finding, st: Style, out: string[], indent: string): void {
  const label = st.severity(f.severity, f.severity.toUpperCase().padEnd(8));
  out.push(`${indent}${label} ${st.bold(f.rule)}  ${st.dim(`${f.file}:${f.line}`)}`);
  const pad = `${indent}         `;
  out.push(`${pad}${f.message}`);
  const ev = f.evidence;
  if (ev.claim) out.push(`${pad}${st.dim('claim:')} "${ev.claim}"`);
  if (ev.dataPath && ev.dataPath.length > 0)
    out.push(`${pad}${st.dim('data: ')} ${ev.dataPath.map(loc).join(' → ')}`);
  if (ev.callPath && ev.callPath.length > 1) out.push(`${pad}${st.dim('calls:')} ${ev.callPath.join(' → ')}`);
  if (ev.location && (ev.location.file !== f.file || ev.location.line !== f.line))
    out.push(`${pad}${st.dim('sink: ')} ${loc(ev.location)}`);
  if (ev.detail) out.push(`${pad}${st.dim('detail:')} ${ev.detail}`);
}

export function renderScanText(result: ScanResult, st: Style, opts: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const byTool = new Map<string, Finding[]>();
  const loose: Finding[] = [];
  // Quiet by default: low and info findings (effects a description merely does not mention) are
  // counted in the summary and listed with --verbose; JSON and SARIF always carry everything.
  const shown = opts.verbose ? result.findings : result.findings.filter((f) => atLeast(f.severity, 'medium'));
  const hidden = result.findings.length - shown.length;
  for (const f of shown) {
    if (f.tool) {
      const list = byTool.get(f.tool) ?? [];
      list.push(f);
      byTool.set(f.tool, list);
    } else loose.push(f);
  }
  for (const tool of result.tools) {
    const findings = byTool.get(tool.id);
    if (!findings && !opts.verbose) continue;
    const where = st.dim(`${tool.file}:${tool.line}  ${tool.language}, ${tool.framework}`);
    out.push(`${st.bold(tool.name)}  ${where}`);
    if (opts.verbose) {
      const caps = [...new Set(tool.effects.map((e) => e.capability))];
      out.push(`  ${st.dim('effects:')} ${caps.length ? caps.join(', ') : 'none found'}`);
    }
    const ordered = [...(findings ?? [])].sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.line - b.line,
    );
    for (const f of ordered) renderFinding(f, st, out, '  ');
    out.push('');
  }
  for (const f of loose) {
    renderFinding(f, st, out, '');
    out.push('');
  }

  const { stats, coverage } = result;
  const counts = countBy(result.findings);
  const summary = SEVERITIES.filter((s) => counts.get(s))
    .map((s) => st.severity(s, `${counts.get(s)} ${s}`))
    .join(', ');
  const files = new Set(result.tools.map((t) => t.file)).size;
  const head =
    shown.length > 0
      ? `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (${summary})`
      : result.findings.length > 0
        ? `${st.ok('No findings at medium or above')} (${summary})`
        : st.ok('No findings');
  out.push(
    `${head} in ${stats.toolsFound} tool${stats.toolsFound === 1 ? '' : 's'} across ${files} file${files === 1 ? '' : 's'}; ` +
      `read ${stats.filesRead} files (${stats.filesAnalysed} with tools or reached from one), ` +
      `${stats.linesRead.toLocaleString('en-US')} lines in ${(stats.durationMs / 1000).toFixed(1)} s.`,
  );
  const extra: string[] = [];
  if (stats.suppressed) extra.push(`${stats.suppressed} suppressed inline`);
  if (stats.baselined) extra.push(`${stats.baselined} in the baseline`);
  if (extra.length) out.push(st.dim(`Not counted: ${extra.join(', ')}.`));
  if (hidden > 0)
    out.push(
      st.dim(`${hidden} low/info finding${hidden === 1 ? '' : 's'} not listed (--verbose lists them).`),
    );

  const section = (title: string, rows: string[]) => {
    if (rows.length === 0) return;
    out.push('', st.bold(`${title} (${rows.length})`));
    for (const r of rows.slice(0, opts.verbose ? rows.length : MAX_LISTED)) out.push(`  ${r}`);
    if (!opts.verbose && rows.length > MAX_LISTED)
      out.push(st.dim(`  … ${rows.length - MAX_LISTED} more (--verbose lists all)`));
  };
  section(
    'Registrations not understood',
    coverage.unresolved.map((u) => `${u.file}:${u.line}  ${u.reason}  ${st.dim(u.snippet)}`),
  );
  section(
    'Files skipped',
    coverage.skipped.map((s) => `${s.rel}  ${s.reason}${s.detail ? st.dim(` (${s.detail})`) : ''}`),
  );
  section(
    'Syntax errors (the rest of each file was still analysed)',
    coverage.parseErrors.map((e) => `${e.file}:${e.line}  ${e.message}`),
  );
  section(
    'Notes',
    coverage.notes.map((n) => `${n.file}:${n.line}  ${n.message}`),
  );
  return `${out.join('\n')}\n`;
}
