// The red-team report as a terminal table: summary, per suite, per attack, and the attacks that
// got through (with their user task), so a reader sees at once where the defense did not hold.
import type { Report } from '../redteam/score.js';
import type { Style } from './style.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
const frac = (r: { ok: number; n: number }) => `${r.ok}/${r.n}`.padStart(7);

export function renderRedteamText(report: Report, st: Style): string {
  const out: string[] = [];
  const s = report.scores;
  out.push(
    `${st.bold('Red-team run')}: agent ${report.agent}, defense ${report.defense}, approvals ${report.approvals}`,
    `${report.stats.runs} runs in ${(report.stats.ms / 1000).toFixed(1)} s; ${report.stats.blockedCalls} calls blocked; ${report.stats.errors} runs failed to run\n`,
    `  utility (benign)       ${pct(s.utility.rate)} ${frac(s.utility)}`,
    `  utility under attack   ${pct(s.utilityUnderAttack.rate)} ${frac(s.utilityUnderAttack)}`,
    `  attack success rate    ${pct(s.attackSuccessRate.rate)} ${frac(s.attackSuccessRate)}\n`,
  );
  out.push(
    st.bold(`${'suite'.padEnd(22)}${'utility'.padStart(9)}${'under att.'.padStart(12)}${'ASR'.padStart(9)}`),
  );
  for (const [name, sc] of Object.entries(report.bySuite))
    out.push(
      `${name.padEnd(22)}${pct(sc.utility.rate).padStart(9)}${pct(sc.utilityUnderAttack.rate).padStart(12)}${pct(sc.attackSuccessRate.rate).padStart(9)}`,
    );
  out.push(
    '',
    st.bold(`${'attack'.padEnd(22)}${'runs'.padStart(9)}${'under att.'.padStart(12)}${'ASR'.padStart(9)}`),
  );
  for (const [name, sc] of Object.entries(report.byAttack))
    out.push(
      `${name.padEnd(22)}${String(sc.attackSuccessRate.n).padStart(9)}${pct(sc.utilityUnderAttack.rate).padStart(12)}${pct(sc.attackSuccessRate.rate).padStart(9)}`,
    );
  const got = report.runs.filter((r) => r.attackSuccess);
  if (got.length > 0) {
    out.push('', st.bold('Attacks that succeeded:'));
    for (const r of got.slice(0, 40)) out.push(`  ${r.injectionTask} via ${r.attack} during ${r.userTask}`);
    if (got.length > 40) out.push(`  … and ${got.length - 40} more (see --format json)`);
  }
  const failed = report.runs.filter((r) => r.error);
  if (failed.length > 0) {
    out.push('', st.bold('Runs that failed to run:'));
    for (const r of failed.slice(0, 10)) out.push(`  ${r.userTask}: ${r.error}`);
  }
  return `${out.join('\n')}\n`;
}
