// Shared assertions for flow-engine tests.

import type { Capability, Effect, ToolDefinition } from '../../../src/core/types.js';
import type { FileFacts } from '../../../src/scan/facts.js';
import { analyzePackage, type PackageAnalysis } from '../../../src/scan/flow.js';

export function analyze(...files: FileFacts[]): PackageAnalysis {
  return analyzePackage(files);
}

/** The only tool (or the one named `name`) of an analysis. */
export function toolOf(a: PackageAnalysis, name?: string): ToolDefinition {
  const t = name ? a.tools.find((x) => x.name === name) : a.tools[0];
  if (!t) throw new Error(`no tool ${name ?? ''} in ${a.tools.map((x) => x.name).join(', ')}`);
  return t;
}

export function effectsOf(t: ToolDefinition, capability?: Capability): Effect[] {
  return capability ? t.effects.filter((e) => e.capability === capability) : t.effects;
}

/** Short `capability api target` lines, for readable equality assertions. */
export function summarize(t: ToolDefinition): string[] {
  return t.effects.map((e) => `${e.capability} ${e.api}${e.target !== undefined ? ` ${e.target}` : ''}`);
}

/** `source -> sink api` lines for the tool's flows. */
export function flowLines(t: ToolDefinition): string[] {
  return t.flows.map((f) => {
    const src = f.source.kind === 'param' ? `param:${f.source.name}` : `${f.source.kind}:${f.source.detail}`;
    return `${src} -> ${f.sink.api}`;
  });
}
