// The language-neutral analysis of one package: call graph across its files, alias and constant
// resolution, effects reachable from each tool handler, and taint from parameters and secret
// sources to sinks. Input is the FileFacts both front ends produce (see facts.ts); the pieces
// live in flow/: values (abstract values), interp (statements and expressions), calls (call
// semantics and the catalogue), engine (modules, exports, classes, summaries), tools (assembly).

import type { ToolDefinition } from '../core/types.js';
import type { FileFacts } from './facts.js';
import { PackageDispatch } from './flow/dispatch.js';
import { Engine } from './flow/engine.js';
import { PackageIndex } from './flow/modules.js';
import { assembleTool, type UnresolvedEntry } from './flow/tools.js';

export interface PackageAnalysis {
  /** One per registration; `claims` is left empty for the claims extractor. */
  tools: ToolDefinition[];
  /** Registrations the front ends or the engine could not understand (handler not found, name not static…). */
  unresolved: UnresolvedEntry[];
  notes: { file: string; line: number; message: string }[];
}

export interface AnalysisStats {
  /** Interpreter steps spent: grows linearly with the IR for linear-time analysis. */
  steps: number;
}

export function analyzePackage(files: FileFacts[], stats?: AnalysisStats): PackageAnalysis {
  const index = new PackageIndex(files);
  const engine = new Engine(index);
  const tools: ToolDefinition[] = [];
  const unresolved: UnresolvedEntry[] = [];
  const notes: PackageAnalysis['notes'] = [];
  for (const facts of files) {
    for (const u of facts.unresolved)
      unresolved.push({ file: facts.file, line: u.line, reason: u.reason, snippet: u.snippet });
    for (const n of facts.notes) notes.push({ file: facts.file, line: n.line, message: n.message });
  }
  const dispatch = new PackageDispatch(engine, files);
  const seen = new Set<string>();
  for (const facts of files) {
    for (const reg of facts.registrations) {
      let tool: ToolDefinition;
      try {
        tool = assembleTool(engine, facts, reg, unresolved, dispatch);
      } catch (err) {
        // Fail closed for this registration: listed as not understood, never silently dropped.
        unresolved.push({
          file: facts.file,
          line: reg.line,
          reason: `analysis failed: ${(err as Error).message}`,
          snippet: '',
        });
        continue;
      }
      // Two registrations of one name in one file (e.g. a tool re-registered): keep both, distinct ids.
      if (seen.has(tool.id)) tool.id = `${tool.id}@${tool.line}`;
      seen.add(tool.id);
      tools.push(tool);
    }
  }
  if (stats) stats.steps = engine.work;
  return { tools, unresolved, notes };
}
