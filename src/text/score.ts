// Combines signals into a score. An injection is a passage: signals count together only when they sit
// close to each other (a cluster), so weak phrases scattered through a long document do not add up.
// Within a cluster each family counts once (its strongest match) and families combine by noisy-OR.
// A cluster made only of supporting signals (urgency, a directive to "you") is capped below the
// threshold: one of the core families must be present.

import type { Signal } from './types.js';

export const DEFAULT_THRESHOLD = 0.5;
/** Signals whose starts are within this many characters of the cluster's end join the cluster. */
export const CLUSTER_WINDOW = 1200;
/** The weakest signal that can carry a verdict with company. */
export const CORE_WEIGHT = 0.4;
const SUPPORT_ONLY_CAP = 0.45;

export interface ScoredCluster {
  start: number;
  end: number;
  score: number;
}

function clusterScore(signals: readonly Signal[]): number {
  const best = new Map<string, number>();
  for (const s of signals) best.set(s.id, Math.max(best.get(s.id) ?? 0, s.weight));
  let miss = 1;
  let strongest = 0;
  for (const w of best.values()) {
    miss *= 1 - Math.min(1, Math.max(0, w));
    strongest = Math.max(strongest, w);
  }
  const score = 1 - miss;
  return strongest < CORE_WEIGHT ? Math.min(score, SUPPORT_ONLY_CAP) : score;
}

/** Clusters of co-located signals with their scores, in text order. */
export function clusterSignals(signals: readonly Signal[], window = CLUSTER_WINDOW): ScoredCluster[] {
  const sorted = [...signals].sort((a, b) => a.start - b.start);
  const clusters: ScoredCluster[] = [];
  let group: Signal[] = [];
  let groupEnd = -Infinity;
  const flush = () => {
    if (group.length === 0) return;
    clusters.push({ start: group[0]!.start, end: groupEnd, score: clusterScore(group) });
    group = [];
  };
  for (const s of sorted) {
    if (s.start - groupEnd > window) flush();
    if (group.length === 0) groupEnd = s.end;
    group.push(s);
    groupEnd = Math.max(groupEnd, s.end);
  }
  flush();
  return clusters;
}

/** The text's score: its strongest cluster, rounded to 3 decimals. */
export function scoreSignals(signals: readonly Signal[], window = CLUSTER_WINDOW): number {
  let best = 0;
  for (const c of clusterSignals(signals, window)) best = Math.max(best, c.score);
  return Math.round(best * 1000) / 1000;
}
