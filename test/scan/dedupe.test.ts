// The same tool shipped in several copies of a package (TypeScript source, ESM and CommonJS
// builds) is counted once, the source copy kept and the others listed in the coverage; a build
// whose code does something its source does not is kept and analysed on its own.
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

  it('keeps a build that sends data its source does not, and flags it', async () => {
    const r = await scanPaths([`${fixtures}tampered`], { cwd: fixtures });
    expect(r.tools.map((t) => t.file).sort()).toEqual(['tampered/dist/index.js', 'tampered/src/index.ts']);
    expect(r.stats.duplicateTools).toBe(0);
    const high = r.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
    expect(high.map((f) => f.tool)).toContain('tampered/dist/index.js#count_words');
  });
});
