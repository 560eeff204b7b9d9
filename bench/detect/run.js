#!/usr/bin/env node
// bench/detect: detector throughput, then the corpus evaluation (recall, false positives per tool,
// NotInject, per-attack ablation) and the own development set. `--json` prints the figures as JSON.
import { readFileSync } from 'node:fs';
import { corpusAvailable, corpusPath, evaluate, loadJsonl } from './evaluate.js';
import { printThroughput, runThroughput } from './throughput.js';

const text = await import('../../dist/text/index.js');
const asJson = process.argv.includes('--json');
const out = {};

out.throughput = await runThroughput(text);
if (!asJson) printThroughput(out.throughput);

const own = {};
for (const name of ['injections', 'benign']) {
  const rows = readFileSync(new URL(`../../test/fixtures/text/${name}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const flagged = rows.filter((r) => text.detectInjection(r.text).verdict === 'injection').length;
  own[name] = { n: rows.length, flagged };
}
out.own = own;
if (!asJson) {
  process.stdout.write(
    `\nown development set: ${own.injections.flagged}/${own.injections.n} injections flagged, ` +
      `${own.benign.flagged}/${own.benign.n} hard benign outputs flagged\n`,
  );
}

if (!corpusAvailable()) {
  process.stdout.write('\ncorpus: ../shared/corpus/injection/ not found next to the repository; skipped\n');
} else {
  const r = evaluate(text.detectInjection, loadJsonl(corpusPath('agentdojo-dev.jsonl')), { ablate: true });
  const ni = loadJsonl(corpusPath('notinject-dev.jsonl'));
  const niFlagged = ni.filter((row) => text.detectInjection(row.text).verdict === 'injection').length;
  out.agentdojo = r;
  out.notinject = { n: ni.length, flagged: niFlagged };
  if (!asJson) {
    process.stdout.write(
      `\nAgentDojo dev: recall ${r.recall}% (${r.detected}/${r.injections}), ` +
        `false positives ${r.falsePositiveRate}% (${r.falsePositives}/${r.benign} benign tool outputs)\n`,
    );
    process.stdout.write(
      '  per attack: recall | worst recall with one of its 3 most used core signal families switched off\n',
    );
    for (const [name, a] of Object.entries(r.attacks).sort((x, y) => y[1].n - x[1].n)) {
      const abl = a.withoutTopFamily
        ? `${a.withoutTopFamily.recall}% without ${a.withoutTopFamily.family}`
        : '';
      process.stdout.write(
        `    ${name.padEnd(40)} ${String(a.recall).padStart(5)}% of ${String(a.n).padStart(4)} | ${abl}\n`,
      );
    }
    const flaggedTools = Object.entries(r.tools).filter(([, t]) => t.fp > 0);
    process.stdout.write(
      `  benign outputs flagged per tool: ${flaggedTools.length === 0 ? 'none' : flaggedTools.map(([k, t]) => `${k} ${t.fp}/${t.n}`).join(', ')}\n`,
    );
    process.stdout.write(
      `NotInject dev: ${niFlagged}/${ni.length} benign prompts flagged (${((100 * niFlagged) / ni.length).toFixed(1)}%)\n`,
    );
  }
}
if (asJson) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
