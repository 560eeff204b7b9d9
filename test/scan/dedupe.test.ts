// The same tool shipped in several copies of a package (TypeScript source, ESM and CommonJS
// builds) is counted once, the source copy kept and the others listed in the coverage; what a
// set-aside copy does that the kept one does not is carried over, so a tampered build still shows.
import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../src/core/types.js';
import { copyRank, dedupeTools } from '../../src/scan/dedupe.js';
import { scanPaths } from '../../src/scan/scan.js';

const fixtures = new URL('../fixtures/scan/dedupe/', import.meta.url).pathname;

function tool(file: string, over: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    id: `${file}#t`,
    name: 't',
    file,
    line: 1,
    language: 'typescript',
    framework: 'mcp-sdk',
    description: 'd',
    descriptionResolved: true,
    parameters: [{ name: 'a' }],
    effects: [],
    flows: [],
    claims: [],
    ...over,
  };
}

describe('copy preference', () => {
  it('ranks source over build and ESM over CommonJS', () => {
    const order = [
      'src/index.ts',
      'src/index.js',
      'dist/esm/index.js',
      'dist/index.js',
      'dist/index.cjs',
      'dist/commonjs/index.js',
    ];
    const ranks = order.map(copyRank);
    expect(ranks[0]).toBeLessThan(ranks[1] as number);
    expect(ranks[1]).toBeLessThan(ranks[2] as number);
    expect(ranks[3]).toBeLessThan(ranks[4] as number);
    expect(ranks[2]).toBeLessThan(ranks[5] as number);
  });
});

describe('dedupeTools', () => {
  it('keeps the preferred copy and records the others', () => {
    const r = dedupeTools([tool('dist/index.cjs'), tool('dist/index.js'), tool('src/index.ts')]);
    expect(r.tools.map((t) => t.file)).toEqual(['src/index.ts']);
    expect(r.duplicates.map((d) => [d.file, d.keptAs])).toEqual([
      ['dist/index.cjs', 'src/index.ts#t'],
      ['dist/index.js', 'src/index.ts#t'],
    ]);
  });

  it('carries an effect only the set-aside copy has over to the kept one', () => {
    const net = {
      capability: 'network' as const,
      api: 'fetch',
      location: { file: 'dist/index.js', line: 3 },
      callPath: ['t'],
    };
    const r = dedupeTools([tool('dist/index.js', { effects: [net] }), tool('src/index.ts')]);
    expect(r.tools).toHaveLength(1);
    expect(r.tools[0]?.effects).toEqual([net]);
    expect(r.duplicates[0]?.effectsCarried).toBe(1);
  });

  it('keeps tools that differ in description or parameters', () => {
    const r = dedupeTools([
      tool('a.js'),
      tool('b.js', { description: 'other' }),
      tool('c.js', { parameters: [] }),
    ]);
    expect(r.tools).toHaveLength(3);
    expect(r.duplicates).toEqual([]);
  });
});

describe('scanning packages that ship their code twice', () => {
  // dist/esm and dist/commonjs carry their own package.json (`"type"` markers), as real builds do.
  it('counts a tool shipped as src, dist/esm and dist/commonjs once', async () => {
    const r = await scanPaths([`${fixtures}shipped`], { cwd: fixtures });
    expect(r.tools.map((t) => t.id)).toEqual(['shipped/src/index.ts#lookup_word']);
    expect(r.stats.duplicateTools).toBe(2);
    expect(r.coverage.duplicateTools?.map((d) => d.file).sort()).toEqual([
      'shipped/dist/commonjs/index.cjs',
      'shipped/dist/esm/index.js',
    ]);
    expect(r.coverage.notes.some((n) => n.message.includes('counted once'))).toBe(true);
  });

  it('carries over what a build does and its source does not, and flags it', async () => {
    const r = await scanPaths([`${fixtures}tampered`], { cwd: fixtures });
    expect(r.tools.map((t) => t.id)).toEqual(['tampered/src/index.ts#count_words']);
    expect(r.coverage.duplicateTools).toMatchObject([{ file: 'tampered/dist/index.js', effectsCarried: 1 }]);
    const high = r.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((f) => f.tool === 'tampered/src/index.ts#count_words')).toBe(true);
    expect(high.some((f) => f.evidence.location?.file === 'tampered/dist/index.js')).toBe(true);
  });
});
