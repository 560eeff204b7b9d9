#!/usr/bin/env node
// Scanner throughput and quality on real MCP servers and a generated corpus.
// Baseline measured in the same run: parsing alone (the front ends' parsers on the same files),
// so the ratio shows what the analysis costs on top of reading the code at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJs } from '../../dist/scan/js/index.js';
import { initPython, parsePython } from '../../dist/scan/python/index.js';
import { scanPaths } from '../../dist/scan/scan.js';
import { DEFAULT_EXCLUDED_DIRS, walk } from '../../dist/scan/walk.js';
import { generatedCorpus, npmServers } from './corpus.js';

const TARGET_LINES_PER_S = 50_000;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

function parseOnly(dir) {
  const { files } = walk([dir], {
    cwd: dir,
    excludeDirs: new Set(DEFAULT_EXCLUDED_DIRS),
    maxFileBytes: 8 << 20,
    maxFiles: 200000,
  });
  let lines = 0;
  const t0 = performance.now();
  for (const f of files) {
    if (f.kind === 'json') continue;
    const text = readFileSync(f.path, 'utf8');
    lines += text.split('\n').length;
    if (f.kind === 'python') parsePython(text, f.rel);
    else parseJs(text, f.rel);
  }
  return { lines, ms: performance.now() - t0 };
}

async function measure(label, dirs) {
  let lines = 0;
  let ms = 0;
  let parseMs = 0;
  const perPackage = [];
  for (const { name, dir } of dirs) {
    parseMs += parseOnly(dir).ms;
    globalThis.gc?.();
    const t0 = performance.now();
    const r = await scanPaths([dir], { cwd: dir });
    const took = performance.now() - t0;
    ms += took;
    lines += r.stats.linesRead;
    perPackage.push({ name, ms: took, lines: r.stats.linesRead, result: r });
  }
  const lps = lines / (ms / 1000);
  const sorted = perPackage.map((p) => p.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(
    `${label}: ${fmt(lines)} lines in ${(ms / 1000).toFixed(2)} s = ${fmt(lps)} lines/s ` +
      `(target ≥ ${fmt(TARGET_LINES_PER_S)}: ${lps >= TARGET_LINES_PER_S ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  baseline, parsing only: ${(parseMs / 1000).toFixed(2)} s; whole pipeline / parsing = ${(ms / parseMs).toFixed(2)}×`,
  );
  if (perPackage.length > 1)
    console.log(
      `  per package: median ${median.toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms ` +
        `(${perPackage.reduce((a, b) => (a.ms > b.ms ? a : b)).name}); target < 1000 ms for a typical package: ${median < 1000 ? 'met' : 'MISSED'}`,
    );
  return perPackage;
}

await initPython();
const servers = npmServers();
if (servers.length === 0)
  console.log('real MCP servers: not available (../shared/corpus missing and no registry); skipped');
else {
  const packages = await measure(`real MCP servers (${servers.length} packages)`, servers);
  let tools = 0;
  const flagged = [];
  for (const p of packages) {
    tools += p.result.tools.length;
    for (const t of p.result.tools) {
      const high = p.result.findings.filter(
        (f) => f.tool === t.id && (f.severity === 'high' || f.severity === 'critical'),
      );
      if (high.length)
        flagged.push(
          `${p.name}: ${t.name} (${t.file}:${t.line}) — ${[...new Set(high.map((f) => f.rule))].join(', ')}`,
        );
    }
  }
  const share = tools ? (100 * flagged.length) / tools : 0;
  console.log(
    `  quality: ${tools} tools found; ${flagged.length} with a high or critical finding = ${share.toFixed(2)}% (target ≤ 1%: ${share <= 1 ? 'met' : 'MISSED'})`,
  );
  for (const f of flagged) console.log(`    ${f}`);
  const perPkgTools = packages.map((p) => `${p.name}=${p.result.tools.length}`).join(' ');
  console.log(`  tools per package: ${perPkgTools}`);
}
const gen = generatedCorpus(400);
await measure('generated corpus (400 Python + 400 TS files)', [{ name: 'generated', dir: join(gen) }]);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
