// The fast scanner runs each pattern only where one of its trigger words starts. This checks that it
// finds exactly what running every pattern over the whole text finds, on varied texts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/text/index.js';
import { collectSignals, collectSignalsExhaustive, PATTERNS } from '../../src/text/signals.js';

function texts(): string[] {
  const out: string[] = [];
  for (const f of ['injections.jsonl', 'benign.jsonl']) {
    const raw = readFileSync(new URL(`../fixtures/text/${f}`, import.meta.url), 'utf8');
    for (const l of raw.split('\n')) if (l.trim()) out.push((JSON.parse(l) as { text: string }).text);
  }
  const corpus = new URL('../../../shared/corpus/injection/agentdojo-dev.jsonl', import.meta.url);
  try {
    const rows = readFileSync(corpus, 'utf8').split('\n').filter(Boolean);
    for (let i = 0; i < rows.length; i += 7) out.push((JSON.parse(rows[i]!) as { text: string }).text);
  } catch {
    // The corpus is optional here; the fixtures alone still exercise every family.
  }
  return out;
}

const key = (s: { id: string; start: number; end: number }) => `${s.id}@${s.start}-${s.end}`;

describe('trigger scanner', () => {
  it('every pattern declares triggers or a script', () => {
    for (const p of PATTERNS) expect((p.triggers?.length ?? 0) > 0 || p.script !== undefined).toBe(true);
  });

  it('finds the same signals as running every pattern everywhere', () => {
    let compared = 0;
    for (const text of texts()) {
      const n = normalizeText(text);
      const fast = collectSignals(n.match, text, n.map).map(key).sort();
      const full = collectSignalsExhaustive(n.match, text, n.map).map(key).sort();
      expect(fast, text.slice(0, 200)).toEqual(full);
      compared++;
    }
    expect(compared).toBeGreaterThan(60);
  });
});
