// The figures on the labelled set, asserted so a regression fails CI. Printed for docs/poisoning.md.
// Tuning data: dev-* and round*-holdout files (earlier held-out rounds, used for tuning only after
// their figures were recorded). holdout* files: never tuned on.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from './dataset.js';
import { measure } from './dataset.js';

let dev: Figures;
let holdout: Figures;
let all: Figures;

beforeAll(async () => {
  const m = await measure();
  dev = m.figures('dev');
  holdout = m.figures('holdout');
  all = m.figures();
  const line = (name: string, f: Figures) =>
    `${name}: recall ${f.detected}/${f.poisoned} (${((100 * f.detected) / f.poisoned).toFixed(1)}%), high+ ${f.detectedHigh}/${f.poisoned}; benign flagged ${f.falsePositives}/${f.benign}, high+ ${f.falsePositivesHigh}/${f.benign}`;
  process.stdout.write(`${line('tuning', dev)}\n${line('held-out', holdout)}\n${line('all', all)}\n`);
}, 60_000);

describe('labelled poisoning set', () => {
  it('is big enough and labelled', () => {
    expect(all.poisoned).toBeGreaterThanOrEqual(60);
    expect(all.benign).toBeGreaterThanOrEqual(60);
    expect(holdout.poisoned).toBeGreaterThanOrEqual(20);
  });

  it('recall on the tuning split is at least 95% (any finding at medium or above)', () => {
    expect(dev.missed).toEqual([]);
    expect(dev.detected / dev.poisoned).toBeGreaterThanOrEqual(0.95);
  });

  it('no benign tool is flagged at medium or above', () => {
    expect(dev.flaggedBenign).toEqual([]);
    expect(holdout.flaggedBenign).toEqual([]);
  });

  it('held-out recall does not regress below the recorded figure', () => {
    expect(holdout.detected).toBeGreaterThanOrEqual(14);
  });
});
