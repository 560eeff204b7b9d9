// The figures on the labelled set, asserted so a regression fails CI. Printed for docs/poisoning.md.
// Tuning data: dev-* and round*-holdout files (earlier held-out rounds, tuned on only after their
// blind figures were recorded in docs/poisoning.md). holdout* files, when present: never tuned on.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from './dataset.js';
import { measure } from './dataset.js';

let dev: Figures;
let holdout: Figures;
let latest: Figures;
let all: Figures;

/**
 * Round 7's blind figures (written independently, detector at 6a60047, before tuning on it, measured as
 * here: the round's file in the tuning folder, any finding at medium or above): poisoned detected,
 * benign flagged.
 */
const ROUND7_BLIND = { detected: 21, poisoned: 45, flagged: 2, benign: 45 };

beforeAll(async () => {
  const m = await measure();
  dev = m.figures('dev');
  holdout = m.figures('holdout');
  latest = m.figures('latest');
  all = m.figures();
  const line = (name: string, f: Figures) =>
    `${name}: recall ${f.detected}/${f.poisoned} (${((100 * f.detected) / Math.max(1, f.poisoned)).toFixed(1)}%), high+ ${f.detectedHigh}/${f.poisoned}; benign flagged ${f.falsePositives}/${f.benign}, high+ ${f.falsePositivesHigh}/${f.benign}`;
  process.stdout.write(
    `${line('tuning', dev)}\n${line('latest round', latest)}\n${line('held-out', holdout)}\n${line('all', all)}\n`,
  );
}, 60_000);

describe('labelled poisoning set', () => {
  it('is big enough and labelled', () => {
    expect(all.poisoned).toBeGreaterThanOrEqual(60);
    expect(all.benign).toBeGreaterThanOrEqual(60);
    expect(latest.poisoned).toBe(ROUND7_BLIND.poisoned);
    expect(latest.benign).toBe(ROUND7_BLIND.benign);
  });

  it('recall on the tuning split is at least 95% (any finding at medium or above)', () => {
    expect(dev.missed).toEqual([]);
    expect(dev.detected / dev.poisoned).toBeGreaterThanOrEqual(0.95);
  });

  it('no benign tool is flagged at medium or above', () => {
    expect(dev.flaggedBenign).toEqual([]);
    expect(holdout.flaggedBenign).toEqual([]);
  });

  it('the latest round does not fall below its blind figure', () => {
    expect(latest.detected).toBeGreaterThanOrEqual(ROUND7_BLIND.detected);
    expect(latest.falsePositives).toBeLessThanOrEqual(ROUND7_BLIND.flagged);
  });

  it('held-out files, when present, are read as their own split', () => {
    // Between rounds there is no unmeasured file; a new round adds holdout*.json files again.
    expect(holdout.poisoned + dev.poisoned).toBe(all.poisoned);
    expect(holdout.benign + dev.benign).toBe(all.benign);
  });
});
