// Packages often ship the same code twice — `index.js` and `index.cjs`, `dist/esm` and
// `dist/commonjs`, `src/*.ts` and its build — so each tool is found once per copy. Copies with
// the same name, description and parameter names are one tool: the preferred copy is kept
// (source over build, ESM over CommonJS) and the others are listed in the coverage section.
// Copies whose code does different things (a build that adds a network call its source lacks)
// are not duplicates: both are kept and analysed, so a tampered build is never hidden.

import type { ToolDefinition } from '../core/types.js';

export interface DuplicateTool {
  /** Id of the copy that was set aside. */
  tool: string;
  file: string;
  line: number;
  /** Id of the copy that is reported. */
  keptAs: string;
}

const BUILD_DIRS = new Set([
  'dist',
  'build',
  'lib',
  'out',
  'esm',
  'cjs',
  'commonjs',
  'es',
  'umd',
  'bundle',
  'module',
]);
const CJS_DIRS = new Set(['cjs', 'commonjs', 'umd']);

/** Lower is preferred: TypeScript source, then source JS, then ESM builds, then CommonJS builds. */
export function copyRank(file: string): number {
  const parts = file.split('/');
  const name = parts[parts.length - 1] ?? '';
  const dirs = parts.slice(0, -1);
  const built = dirs.some((d) => BUILD_DIRS.has(d)) || /\.(min|bundle)\.[cm]?js$/.test(name);
  const typescript = /\.[cm]?tsx?$/.test(name) && !name.endsWith('.d.ts');
  const cjs = name.endsWith('.cjs') || dirs.some((d) => CJS_DIRS.has(d));
  return (built ? 4 : 0) + (typescript ? 0 : 2) + (cjs ? 1 : 0);
}

function definitionKey(t: ToolDefinition): string {
  const params = t.parameters.map((p) => p.name).sort();
  // TypeScript source and its JavaScript build are one family; Python is another.
  const family = t.language === 'python' ? 'py' : 'js';
  return JSON.stringify([family, t.name, t.description, params]);
}

/** What the code does, coarsely enough to survive compilation (API spellings differ between copies). */
function behaviourKey(t: ToolDefinition): string {
  const effects = new Set<string>();
  for (const e of t.effects) {
    effects.add(`${e.capability}|${e.sensitive ?? ''}|${e.obfuscated ? 'obf' : ''}|${e.gate ? 'gated' : ''}`);
  }
  for (const f of t.flows) {
    const src = f.source.kind === 'param' ? `param:${f.source.name}` : f.source.kind;
    effects.add(`${src}->${f.sink.capability}`);
  }
  return [...effects].sort().join('\n');
}

/** Keeps one copy per duplicated definition; the order of the kept tools is preserved. */
export function dedupeTools(tools: readonly ToolDefinition[]): {
  tools: ToolDefinition[];
  duplicates: DuplicateTool[];
} {
  const groups = new Map<string, ToolDefinition[]>();
  for (const t of tools) {
    const key = `${definitionKey(t)}\n${behaviourKey(t)}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  const dropped = new Set<ToolDefinition>();
  const duplicates: DuplicateTool[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    // Stable: the first of the best rank wins (input is in file order).
    let best = g[0] as ToolDefinition;
    for (const t of g) if (copyRank(t.file) < copyRank(best.file)) best = t;
    for (const t of g) {
      if (t === best) continue;
      dropped.add(t);
      duplicates.push({ tool: t.id, file: t.file, line: t.line, keptAs: best.id });
    }
  }
  return { tools: tools.filter((t) => !dropped.has(t)), duplicates };
}
