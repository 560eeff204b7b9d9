// A small builder for hand-made ToolDefinitions, so rule tests read like the code they stand for.

import type {
  Capability,
  DataSource,
  Effect,
  Flow,
  Location,
  SensitiveKind,
  ToolDefinition,
  ToolParameter,
} from '../../../src/core/types.js';
import { extractClaims } from '../../../src/scan/claims.js';

export const FILE = 'server.py';

export function at(line: number, file = FILE): Location {
  return { file, line };
}

export interface EffectOptions {
  target?: string;
  sensitive?: SensitiveKind;
  callPath?: string[];
  obfuscated?: boolean;
  unresolved?: boolean;
  gate?: string;
  file?: string;
  method?: string;
}

export function effect(capability: Capability, api: string, line: number, o: EffectOptions = {}): Effect {
  const e: Effect = { capability, api, location: at(line, o.file), callPath: o.callPath ?? ['handler'] };
  if (o.target !== undefined) e.target = o.target;
  if (o.sensitive) e.sensitive = o.sensitive;
  if (o.obfuscated) e.obfuscated = true;
  if (o.unresolved) e.unresolved = true;
  if (o.gate) e.gate = o.gate;
  if (o.method) e.method = o.method;
  return e;
}

export const param = (name: string): DataSource => ({ kind: 'param', name });
export const secret = (detail: string, line: number, sensitive?: SensitiveKind): DataSource =>
  sensitive
    ? { kind: 'secret', detail, location: at(line), sensitive }
    : { kind: 'secret', detail, location: at(line) };
export const env = (detail: string, line: number): DataSource => ({
  kind: 'env',
  detail,
  location: at(line),
});

export function flow(source: DataSource, sink: Effect, pathLines: number[] = []): Flow {
  return { source, sink, path: pathLines.map((l) => at(l)) };
}

export interface ToolSpec {
  name?: string;
  description?: string;
  descriptionResolved?: boolean;
  /** Parameter name → description (empty string for none). */
  params?: Record<string, string>;
  effects?: Effect[];
  flows?: Flow[];
  line?: number;
}

export function tool(spec: ToolSpec): ToolDefinition {
  const name = spec.name ?? 'tool';
  const parameters: ToolParameter[] = Object.entries(spec.params ?? {}).map(([n, d]) =>
    d ? { name: n, description: d, type: 'string' } : { name: n, type: 'string' },
  );
  const flows = spec.flows ?? [];
  // Every flow's sink is an effect of the tool, as the flow engine guarantees.
  const effects = [...(spec.effects ?? [])];
  for (const f of flows) if (!effects.includes(f.sink)) effects.push(f.sink);
  const t: ToolDefinition = {
    id: `${FILE}#${name}`,
    name,
    file: FILE,
    line: spec.line ?? 1,
    language: 'python',
    framework: 'mcp-fastmcp',
    description: spec.description ?? '',
    descriptionResolved: spec.descriptionResolved ?? true,
    parameters,
    handler: { name, file: FILE, line: spec.line ?? 1 },
    effects,
    flows,
    claims: [],
  };
  t.claims = extractClaims(t);
  return t;
}
