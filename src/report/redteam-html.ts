// A self-contained HTML report of a red-team run: inline CSS and SVG bar charts, no scripts and no
// external assets, every text escaped (task ids and answers come from suites and models).
import type { Report } from '../redteam/score.js';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

interface Bar {
  label: string;
  values: { name: string; value: number; color: string }[];
}

/** Grouped horizontal bars, 0..100%. */
function barChart(title: string, bars: Bar[]): string {
  const rowH = 16;
  const groupGap = 10;
  const labelW = 200;
  const plotW = 360;
  const per = bars[0]?.values.length ?? 1;
  const height = bars.length * (per * rowH + groupGap) + 40;
  const parts: string[] = [];
  bars.forEach((b, i) => {
    const y0 = 30 + i * (per * rowH + groupGap);
    parts.push(
      `<text x="${labelW - 6}" y="${y0 + (per * rowH) / 2 + 4}" text-anchor="end">${esc(b.label)}</text>`,
    );
    b.values.forEach((v, j) => {
      const w = Math.max(0, Math.min(1, v.value)) * plotW;
      const y = y0 + j * rowH;
      parts.push(
        `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 3}" fill="${v.color}"><title>${esc(v.name)}: ${pct(v.value)}</title></rect>`,
        `<text x="${labelW + w + 4}" y="${y + rowH - 5}" class="v">${pct(v.value)}</text>`,
      );
    });
  });
  const legend = (bars[0]?.values ?? [])
    .map(
      (v, k) =>
        `<rect x="${labelW + k * 150}" y="6" width="10" height="10" fill="${v.color}"/><text x="${labelW + 14 + k * 150}" y="15">${esc(v.name)}</text>`,
    )
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 60}" height="${height}" role="img">${legend}${parts.join('')}</svg></figure>`;
}

const GREEN = '#2e7d32';
const BLUE = '#1565c0';
const RED = '#c62828';

export function renderRedteamHtml(report: Report): string {
  const s = report.summary;
  const suites = Object.entries(report.bySuite).map(([label, sc]) => ({
    label,
    values: [
      { name: 'utility', value: sc.utility.rate, color: GREEN },
      { name: 'utility under attack', value: sc.utilityUnderAttack.rate, color: BLUE },
      { name: 'attack success', value: sc.attackSuccessRate.rate, color: RED },
    ],
  }));
  const attacks = Object.entries(report.byAttack).map(([label, sc]) => ({
    label,
    values: [
      { name: 'utility under attack', value: sc.utilityUnderAttack.rate, color: BLUE },
      { name: 'attack success', value: sc.attackSuccessRate.rate, color: RED },
    ],
  }));
  const rows = report.runs
    .map(
      (r) =>
        `<tr class="${r.attackSuccess ? 'bad' : ''}"><td>${esc(r.suite)}</td><td>${esc(r.userTask)}</td><td>${esc(r.injectionTask ?? '—')}</td><td>${esc(r.attack ?? 'benign')}</td><td>${r.utility ? '✓' : '✗'}</td><td>${r.attackSuccess === undefined ? '—' : r.attackSuccess ? 'yes' : 'no'}</td><td>${esc(
          r.blocked
            .map((b) => `${b.server}/${b.tool}: ${b.reason}`)
            .join('; ')
            .slice(0, 300),
        )}${r.error ? ` <em>${esc(r.error)}</em>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portcullis red-team report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
.cards{display:flex;gap:1em}.card{border:1px solid #ccc;border-radius:6px;padding:.8em 1.2em}
.card b{display:block;font-size:1.8em}
svg text{font:12px system-ui,sans-serif}svg text.v{fill:#444}
table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.bad{background:#fde8e8}figcaption{font-weight:600;margin:1em 0 .3em}
</style></head><body>
<h1>Portcullis red-team report</h1>
<p>Agent <code>${esc(report.agent)}</code>, defense <code>${esc(report.defense)}</code>, approvals <code>${esc(report.approvals)}</code>; ${report.stats.runs} runs in ${(report.stats.ms / 1000).toFixed(1)} s, ${report.stats.blockedCalls} calls blocked.</p>
<div class="cards">
<div class="card">utility<b>${pct(s.utility)}</b></div>
<div class="card">utility under attack<b>${pct(s.utilityUnderAttack)}</b></div>
<div class="card">attack success rate<b>${pct(s.attackSuccessRate)}</b></div>
</div>
${barChart('Per suite', suites)}
${barChart('Per attack', attacks)}
<h2>Runs</h2>
<table><thead><tr><th>suite</th><th>user task</th><th>injection task</th><th>attack</th><th>utility</th><th>attack succeeded</th><th>blocked calls</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
