// Corpus evaluation shared by `bench/detect/run.js` and the corpus test. Takes the detector as a
// function so it runs on dist/ (bench) or src/ (vitest) alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared corpus lives next to the repository, never inside it. */
export const CORPUS_DIR = join(repoRoot, '..', 'shared', 'corpus', 'injection');

export function corpusPath(name) {
  return join(CORPUS_DIR, name);
}

export function corpusAvailable() {
  return existsSync(corpusPath('agentdojo-dev.jsonl')) && existsSync(corpusPath('notinject-dev.jsonl'));
}

export function loadJsonl(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

function pct(n, d) {
  return d === 0 ? 0 : Math.round((1000 * n) / d) / 10;
}

/**
 * detect(text, options) -> { verdict, score, signals }. Returns recall on injections (overall and per
 * attack), false positives on benign rows (overall and per tool), and per attack: which signal families
 * carried the detections and the recall left when the most used family is switched off (ablation).
 */
export function evaluate(detect, rows, { ablate = true } = {}) {
  const inj = rows.filter((r) => r.label === 'injection');
  const ben = rows.filter((r) => r.label === 'benign');
  const byAttack = {};
  for (const r of inj) {
    if (!byAttack[r.attack])
      byAttack[r.attack] = { n: 0, detected: 0, families: {}, coreFamilies: {}, rows: [] };
    const a = byAttack[r.attack];
    a.n++;
    a.rows.push(r);
    const res = detect(r.text);
    if (res.verdict === 'injection') a.detected++;
    for (const id of new Set(res.signals.filter((s) => s.weight >= 0.3).map((s) => s.id))) {
      a.families[id] = (a.families[id] ?? 0) + 1;
    }
    for (const id of new Set(res.signals.filter((s) => s.weight >= 0.4).map((s) => s.id))) {
      a.coreFamilies[id] = (a.coreFamilies[id] ?? 0) + 1;
    }
  }
  const byTool = {};
  const falsePositives = [];
  for (const r of ben) {
    const key = `${r.suite}/${r.tool}`;
    if (!byTool[key]) byTool[key] = { n: 0, fp: 0 };
    const t = byTool[key];
    t.n++;
    const res = detect(r.text);
    if (res.verdict === 'injection') {
      t.fp++;
      falsePositives.push({
        id: r.id,
        tool: key,
        score: res.score,
        signals: res.signals.map((s) => `${s.id}:${s.weight}:${s.excerpt.slice(0, 60)}`),
      });
    }
  }
  const attacks = {};
  for (const [name, a] of Object.entries(byAttack)) {
    const ranked = Object.entries(a.families).sort((x, y) => y[1] - x[1]);
    const entry = {
      n: a.n,
      detected: a.detected,
      recall: pct(a.detected, a.n),
      topFamilies: ranked.slice(0, 4).map(([id, n]) => `${id} (${pct(n, a.n)}%)`),
    };
    if (ablate) {
      // Leave-one-family-out: switch off each of the (up to 3) most used core families in turn and
      // keep the worst recall. Detection that survives losing its main phrasing family is not riding
      // on one template's wording.
      const core = Object.entries(a.coreFamilies)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 3)
        .map(([id]) => id);
      let worst = { family: 'none', recall: entry.recall };
      for (const family of core) {
        let kept = 0;
        for (const r of a.rows)
          if (detect(r.text, { disabledSignals: [family] }).verdict === 'injection') kept++;
        const recall = pct(kept, a.n);
        if (recall < worst.recall || worst.family === 'none') worst = { family, recall };
      }
      entry.withoutTopFamily = worst;
    }
    attacks[name] = entry;
  }
  const detected = Object.values(byAttack).reduce((s, a) => s + a.detected, 0);
  const fp = falsePositives.length;
  const tools = Object.fromEntries(
    Object.entries(byTool)
      .sort()
      .map(([k, t]) => [k, { n: t.n, fp: t.fp, rate: pct(t.fp, t.n) }]),
  );
  return {
    injections: inj.length,
    detected,
    recall: pct(detected, inj.length),
    benign: ben.length,
    falsePositives: fp,
    falsePositiveRate: pct(fp, ben.length),
    attacks,
    tools,
    falsePositiveExamples: falsePositives.slice(0, 50),
  };
}
