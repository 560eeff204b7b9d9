// The labelled development set (test/fixtures/manifests/poison): manifests whose tools carry a
// `_label` (poisoned | benign) and, for poisoned ones, a `_family`. Files named `holdout*` were
// written with the rest but never used for tuning: their figures are the honest ones. Once measured,
// a held-out round is renamed `round<N>-holdout*` and tuned on; the latest round stays its own split
// (`latest`) so its recorded blind figure is a floor.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { atLeast, type Finding, type Severity } from '../../../src/core/types.js';
import { scanPaths } from '../../../src/scan/scan.js';

export const POISON_RULES = [
  'tool-poisoning',
  'tool-shadowing',
  'hidden-content',
  'exfiltration-parameter',
  'exfiltration-link',
];
export const CWD = new URL('../../../', import.meta.url).pathname;
export const SET = new URL('../../fixtures/manifests/poison/', import.meta.url).pathname;

export interface LabelledTool {
  id: string;
  file: string;
  label: 'poisoned' | 'benign';
  family?: string;
  split: 'dev' | 'holdout';
  /** From the most recent round (round<N>-holdout with the highest N). */
  latest: boolean;
}

export function labelledTools(): LabelledTool[] {
  const out: LabelledTool[] = [];
  const round = (name: string) => Number(/^round(\d+)-holdout/.exec(name)?.[1] ?? -1);
  const names = ['poisoned', 'benign'].flatMap((g) => readdirSync(join(SET, g)));
  const last = Math.max(...names.map(round));
  for (const group of ['poisoned', 'benign']) {
    for (const name of readdirSync(join(SET, group)).sort()) {
      const path = join(SET, group, name);
      const file = relative(CWD, path);
      const json = JSON.parse(readFileSync(path, 'utf8')) as {
        tools: { name: string; _label: string; _family?: string }[];
      };
      for (const t of json.tools) {
        const tool: LabelledTool = {
          id: `${file}#${t.name}`,
          file,
          label: t._label as LabelledTool['label'],
          split: name.startsWith('holdout') ? 'holdout' : 'dev',
          latest: last >= 0 && round(name) === last,
        };
        if (t._family) tool.family = t._family;
        out.push(tool);
      }
    }
  }
  return out;
}

export interface Figures {
  poisoned: number;
  detected: number;
  detectedHigh: number;
  benign: number;
  falsePositives: number;
  falsePositivesHigh: number;
  missed: string[];
  flaggedBenign: string[];
}

export async function measure(): Promise<{
  tools: LabelledTool[];
  findings: Finding[];
  figures: (split?: LabelledTool['split'] | 'latest' | 'tuned') => Figures;
}> {
  const tools = labelledTools();
  const result = await scanPaths([SET], { cwd: CWD, rules: POISON_RULES });
  const worst = new Map<string, Severity>();
  for (const f of result.findings) {
    if (!f.tool) continue;
    const w = worst.get(f.tool);
    if (!w || atLeast(f.severity, w)) worst.set(f.tool, f.severity);
  }
  /** 'tuned': the tuning split without the latest round (which may not be fully tuned on yet). */
  const figures = (split?: LabelledTool['split'] | 'latest' | 'tuned'): Figures => {
    const sel = tools.filter(
      (t) =>
        !split ||
        (split === 'latest'
          ? t.latest
          : split === 'tuned'
            ? t.split === 'dev' && !t.latest
            : t.split === split),
    );
    const pois = sel.filter((t) => t.label === 'poisoned');
    const ben = sel.filter((t) => t.label === 'benign');
    const at = (t: LabelledTool, s: Severity) => {
      const w = worst.get(t.id);
      return w !== undefined && atLeast(w, s);
    };
    return {
      poisoned: pois.length,
      detected: pois.filter((t) => at(t, 'medium')).length,
      detectedHigh: pois.filter((t) => at(t, 'high')).length,
      benign: ben.length,
      falsePositives: ben.filter((t) => at(t, 'medium')).length,
      falsePositivesHigh: ben.filter((t) => at(t, 'high')).length,
      missed: pois.filter((t) => !at(t, 'medium')).map((t) => t.id),
      flaggedBenign: ben.filter((t) => at(t, 'medium')).map((t) => `${t.id} (${worst.get(t.id)})`),
    };
  };
  return { tools, findings: result.findings, figures };
}
