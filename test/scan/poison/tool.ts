// Builds manifest ToolDefinitions the way scan.ts does for a tools/list entry, so rule tests read
// like the manifests they stand for.

import type { ToolDefinition } from '../../../src/core/types.js';

export const MANIFEST = 'servers/tools.json';

export interface ManifestSpec {
  name: string;
  description?: string;
  title?: string;
  inputSchema?: Record<string, unknown>;
  line?: number;
  file?: string;
}

export function manifestTool(spec: ManifestSpec): ToolDefinition {
  const file = spec.file ?? MANIFEST;
  const schema = (spec.inputSchema ?? { type: 'object', properties: {} }) as {
    properties?: Record<string, { description?: string; type?: string }>;
  };
  const tool: ToolDefinition = {
    id: `${file}#${spec.name}`,
    name: spec.name,
    file,
    line: spec.line ?? 3,
    language: 'manifest',
    framework: 'manifest',
    description: spec.description ?? '',
    descriptionResolved: true,
    parameters: Object.entries(schema.properties ?? {}).map(([name, p]) => {
      const param: ToolDefinition['parameters'][number] = { name, required: false };
      if (typeof p.description === 'string') param.description = p.description;
      if (typeof p.type === 'string') param.type = p.type;
      return param;
    }),
    inputSchema: schema,
    effects: [],
    flows: [],
    claims: [],
  };
  if (spec.title !== undefined) tool.title = spec.title;
  return tool;
}

export const str = (description?: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});

export const schema = (properties: Record<string, unknown>) => ({ type: 'object', properties });
