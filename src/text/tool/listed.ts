// An MCP tools/list entry as the judges' ToolDefinition: the one mapping used by manifest scans,
// live inspection and the guard, so a tool is judged the same wherever it is listed.

import type { ToolDefinition, ToolParameter } from '../../core/types.js';

/** Parameters from a JSON Schema's top-level properties; anything unexpected yields none. */
export function schemaParameters(inputSchema: unknown): ToolParameter[] {
  const schema = inputSchema as { properties?: unknown; required?: unknown } | undefined;
  if (!schema || typeof schema !== 'object' || !schema.properties || typeof schema.properties !== 'object')
    return [];
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
  );
  return Object.entries(schema.properties as Record<string, unknown>).map(([name, prop]) => {
    const p = (prop ?? {}) as { description?: unknown; type?: unknown };
    const param: ToolParameter = { name, required: required.has(name) };
    if (typeof p.description === 'string') param.description = p.description;
    if (typeof p.type === 'string') param.type = p.type;
    return param;
  });
}

export interface ListedToolInput {
  name: string;
  description?: unknown;
  title?: unknown;
  inputSchema?: unknown;
}

/** A listed tool as a definition with no code facts (effects, flows and claims empty). */
export function listedToolDefinition(tool: ListedToolInput, file: string, line = 0): ToolDefinition {
  const def: ToolDefinition = {
    id: `${file}#${tool.name}`,
    name: tool.name,
    file,
    line,
    language: 'manifest',
    framework: 'manifest',
    description: typeof tool.description === 'string' ? tool.description : '',
    descriptionResolved: true,
    parameters: schemaParameters(tool.inputSchema),
    effects: [],
    flows: [],
    claims: [],
  };
  // Kept raw for the poisoning checks (defaults, enums and examples speak to the model too).
  if (typeof tool.title === 'string') def.title = tool.title;
  if (tool.inputSchema !== undefined) def.inputSchema = tool.inputSchema;
  return def;
}
