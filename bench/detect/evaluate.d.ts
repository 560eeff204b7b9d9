// Types for evaluate.js (plain JS so the bench runs on dist/ without a TypeScript loader).
export type DetectLike = (
  text: string,
  options?: { disabledSignals?: readonly string[] },
) => {
  verdict: 'injection' | 'clean';
  score: number;
  signals: { id: string; weight: number; excerpt: string }[];
};
export interface AttackFigures {
  n: number;
  detected: number;
  recall: number;
  topFamilies: string[];
  withoutTopFamily?: { family: string; recall: number };
}
export interface Evaluation {
  injections: number;
  detected: number;
  recall: number;
  benign: number;
  falsePositives: number;
  falsePositiveRate: number;
  attacks: Record<string, AttackFigures>;
  tools: Record<string, { n: number; fp: number; rate: number }>;
  falsePositiveExamples: { id: string; tool: string; score: number; signals: string[] }[];
}
export const CORPUS_DIR: string;
export function corpusPath(name: string): string;
export function corpusAvailable(): boolean;
export function loadJsonl(path: string): Record<string, unknown>[];
export function evaluate(
  detect: DetectLike,
  rows: Record<string, unknown>[],
  options?: { ablate?: boolean },
): Evaluation;
