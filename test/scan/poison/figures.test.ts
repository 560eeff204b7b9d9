// The figures on the labelled set, asserted so a regression fails CI. Printed for docs/poisoning.md.
// Tuning data: dev-* and round*-holdout files (earlier held-out rounds, tuned on only after their
// blind figures were recorded in docs/poisoning.md). holdout* files, when present: never tuned on.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from './dataset.js';
import { measure } from './dataset.js';

let dev: Figures;
let tuned: Figures;
let holdout: Figures;
let latest: Figures;
let all: Figures;

/**
 * Round 8's blind figures (written independently, detector at 2b85765, before any tuning on it, measured
 * as here, any finding at medium or above): poisoned detected, benign flagged. One of the three flagged
 * was a name shared with a round-7 tool (a property of the two sets, renamed since); two are the
 * detector's. Round 8 is the latest round: it is held to this floor, not yet to the tuning split's 100%.
 */
const ROUND8_BLIND = { detected: 18, poisoned: 45, flagged: 3, benign: 45 };

/**
 * Round 9, the standing held-out files (`holdout9.json`, written by another session without reading
 * the detector or earlier data, measured at bf5cdc3, never tuned on): the floor they are held to.
 */
const HOLDOUT9_BLIND = { detected: 18, poisoned: 40, flagged: 0, benign: 40 };

beforeAll(async () => {
  const m = await measure();
  dev = m.figures('dev');
  tuned = m.figures('tuned');
  holdout = m.figures('holdout');
  latest = m.figures('latest');
  all = m.figures();
  const line = (name: string, f: Figures) =>
    `${name}: recall ${f.detected}/${f.poisoned} (${((100 * f.detected) / Math.max(1, f.poisoned)).toFixed(1)}%), high+ ${f.detectedHigh}/${f.poisoned}; benign flagged ${f.falsePositives}/${f.benign}, high+ ${f.falsePositivesHigh}/${f.benign}`;
  process.stdout.write(
    `${line('tuning', dev)}\n${line('tuned rounds (all but the latest)', tuned)}\n${line('latest round', latest)}\n${line('held-out', holdout)}\n${line('all', all)}\n`,
  );
}, 60_000);

describe('labelled poisoning set', () => {
  it('is big enough and labelled', () => {
    expect(all.poisoned).toBeGreaterThanOrEqual(60);
    expect(all.benign).toBeGreaterThanOrEqual(60);
    expect(latest.poisoned).toBe(ROUND8_BLIND.poisoned);
    expect(latest.benign).toBe(ROUND8_BLIND.benign);
  });

  it('recall on the tuned rounds is 100% (any finding at medium or above)', () => {
    expect(tuned.missed).toEqual([]);
    expect(dev.detected / dev.poisoned).toBeGreaterThanOrEqual(0.9);
  });

  it('no benign tool of the tuned rounds or the held-out files is flagged at medium or above', () => {
    expect(tuned.flaggedBenign).toEqual([]);
    expect(holdout.flaggedBenign).toEqual([]);
  });

  it('the latest round does not fall below its blind figure', () => {
    expect(latest.detected).toBeGreaterThanOrEqual(ROUND8_BLIND.detected);
    expect(latest.falsePositives).toBeLessThanOrEqual(ROUND8_BLIND.flagged);
  });

  it('the held-out files do not fall below their blind figure', () => {
    expect(holdout.poisoned).toBe(HOLDOUT9_BLIND.poisoned);
    expect(holdout.benign).toBe(HOLDOUT9_BLIND.benign);
    expect(holdout.detected).toBeGreaterThanOrEqual(HOLDOUT9_BLIND.detected);
    expect(holdout.falsePositives).toBeLessThanOrEqual(HOLDOUT9_BLIND.flagged);
  });

  it('held-out files, when present, are read as their own split', () => {
    expect(holdout.poisoned + dev.poisoned).toBe(all.poisoned);
    expect(holdout.benign + dev.benign).toBe(all.benign);
  });
});
