// Packages often ship the same code twice — `index.js` and `index.cjs`, `dist/esm` and
// `dist/commonjs`, `src/*.ts` and its build — so each tool is found once per copy. Copies with
// the same name, description and parameter names are one tool: the preferred copy is kept
// (source over build, ESM over CommonJS) and the others are listed in the coverage section.
// Nothing a copy does is lost: an effect or flow of a set-aside copy that the kept copy lacks
// (a build that posts data its source does not; an entry bundle's import-time actions) is
// carried over to the kept tool, with its own location, so the rules still see it.

import type { ToolDefinition } from '../core/types.js';

export interface DuplicateTool {
  /** Id of the copy that was set aside. */
  tool: string;
  file: string;
  line: number;
  /** Id of the copy that is reported. */
  keptAs: string;
  /** Effects of this copy the kept one lacked, carried over to it. */
  effectsCarried: number;
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

/** What an effect does, coarsely enough to survive compilation (API spellings differ between copies). */
function effectKey(e: ToolDefinition['effects'][number]): string {
  return `${e.capability}|${e.sensitive ?? ''}|${e.obfuscated ? 'obf' : ''}|${e.gate ? 'gated' : ''}`;
}

function flowKey(f: ToolDefinition['flows'][number]): string {
  const src = f.source.kind === 'param' ? `param:${f.source.name}` : `${f.source.kind}:${f.source.detail}`;
  return `${src}->${effectKey(f.sink)}`;
}

/** Carries what `from` does and `into` does not over to `into`; returns how many effects moved. */
function carryOver(into: ToolDefinition, from: ToolDefinition): number {
  const effects = new Set(into.effects.map(effectKey));
  const flows = new Set(into.flows.map(flowKey));
  let moved = 0;
  for (const e of from.effects) {
    const k = effectKey(e);
    if (effects.has(k)) continue;
    effects.add(k);
    into.effects.push(e);
    moved++;
  }
  for (const f of from.flows) {
    const k = flowKey(f);
    if (flows.has(k)) continue;
    flows.add(k);
    if (!into.effects.includes(f.sink)) into.effects.push(f.sink);
    into.flows.push(f);
  }
  return moved;
}

/** Keeps one copy per duplicated definition; the order of the kept tools is preserved. */
export function dedupeTools(tools: readonly ToolDefinition[]): {
  tools: ToolDefinition[];
  duplicates: DuplicateTool[];
} {
  const groups = new Map<string, ToolDefinition[]>();
  for (const t of tools) {
    const key = definitionKey(t);
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
      const effectsCarried = carryOver(best, t);
      duplicates.push({ tool: t.id, file: t.file, line: t.line, keptAs: best.id, effectsCarried });
    }
  }
  return { tools: tools.filter((t) => !dropped.has(t)), duplicates };
}
