import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../../../src/scan/facts.js';
import { parseJs } from '../../../src/scan/js/index.js';
import { byName, fixture, fn, handlerId, str } from './helpers.js';

const names = (facts: FileFacts) => facts.registrations.map((r) => str(r.name) ?? r.defaultName);

describe('tool-definition objects', () => {
  it('registers an exported definition object at its name line, with no handler', () => {
    const facts = fixture('definitions/run-pipeline-tool.js');
    expect(facts.registrations).toHaveLength(1);
    const reg = byName(facts, 'run_pipeline');
    expect(reg).toMatchObject({ framework: 'unknown', line: 4, handler: null });
    expect(reg.schema).toMatchObject({ k: 'name', name: 'runPipelineInputSchema' });
    expect(str(reg.description)).toContain('CircleCI pipeline');
    expect(facts.unresolved).toEqual([]);
  });

  it('reads the nested form { schema: { name, description, inputSchema }, handle }', () => {
    const facts = fixture('definitions/define-tool.ts');
    expect(names(facts)).toEqual(['browser_navigate']);
    const reg = byName(facts, 'browser_navigate');
    expect(reg.line).toBe(7);
    expect(reg.schema?.k).toBe('call');
    const handler = fn(facts, handlerId(reg) as string);
    expect(handler.params.map((p) => p.name)).toEqual(['context', 'params']);
  });

  it('registers a loop over a same-file list once per definition, handlers from the name-keyed map', () => {
    const facts = fixture('definitions/tool-list-loop.ts');
    expect(names(facts)).toEqual(['list_pods', 'delete_pod']);
    const list = byName(facts, 'list_pods');
    expect(list).toMatchObject({ framework: 'mcp-sdk', line: 8 });
    expect(fn(facts, handlerId(list) as string).params[0]?.destructured).toEqual(['namespace']);
    expect(fn(facts, handlerId(byName(facts, 'delete_pod')) as string).params[0]?.destructured).toEqual([
      'pod',
    ]);
    expect(facts.unresolved).toEqual([]);
  });

  it('lists a loop over a list imported from another file as not understood, with the reason', () => {
    const facts = fixture('definitions/imported-list-loop.ts');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]).toMatchObject({ line: 7 });
    expect(facts.unresolved[0]?.reason).toContain('`CCI_TOOLS`, a list from another file');
  });

  it('reads class-based tools: class fields with an execute method, and a definition handed to super()', () => {
    const facts = fixture('definitions/class-tools.ts');
    expect(names(facts).sort()).toEqual(['drop-collection', 'hubspot-get-engagement']);
    const drop = byName(facts, 'drop-collection');
    expect(drop).toMatchObject({ line: 6, handler: { kind: 'function', id: 'DropCollectionTool.execute' } });
    expect(drop.schema?.k).toBe('object');
    const hub = byName(facts, 'hubspot-get-engagement');
    expect(hub).toMatchObject({ line: 15, handler: { kind: 'function', id: 'GetEngagementTool.process' } });
  });

  it('instantiates a same-file template function called with literal names', () => {
    const facts = fixture('definitions/template-factory.js');
    expect(names(facts)).toEqual(['list_incidents', 'get_incident']);
    const reg = byName(facts, 'get_incident');
    expect(reg.line).toBe(16);
    expect(str(reg.description)).toBe('Get an incident from Datadog');
    // The schema argument replaces the template's parameter inside the schema expression.
    expect(JSON.stringify(reg.schema)).toContain('ListIncidentsZodSchema');
    expect(facts.unresolved).toEqual([]);
  });

  it('never takes OpenAPI parameters/operations, CLI options, structured-output formats or JSON Schemas for tools', () => {
    const facts = fixture('definitions/look-alikes.js');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toEqual([]);
  });

  it('lists tools built from an OpenAPI document at run time as not understood, saying so', () => {
    const facts = fixture('definitions/openapi-tools.js');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]?.reason).toMatch(/built at run time from an OpenAPI document/);
  });

  it('counts a definition used by a same-file server.tool(def.name, …) call once, at the call', () => {
    const src = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      'const server = new McpServer({ name: "s", version: "1" });',
      'const echoTool = {',
      "  name: 'echo',",
      "  description: 'Echoes the input back.',",
      '  inputSchema: { text: z.string() },',
      '};',
      'server.tool(echoTool.name, echoTool.description, echoTool.inputSchema, async ({ text }) => text);',
    ].join('\n');
    const facts = parseJs(src, 'echo.ts');
    expect(facts.registrations.map((r) => [r.line, r.framework])).toEqual([[8, 'mcp-sdk']]);
  });

  it('keeps OpenAI Agents tool({ name, … }) and FastMCP addTool({ name, … }) single', () => {
    const src = [
      "import { tool } from '@openai/agents';",
      "export const t = tool({ name: 'weather', description: 'Weather', parameters: z.object({}), execute: async () => 'sun' });",
      "server.addTool({ name: 'add', description: 'Adds', parameters: z.object({}), execute: async () => '2' });",
    ].join('\n');
    const facts = parseJs(src, 'agents.ts');
    expect(names(facts).sort()).toEqual(['add', 'weather']);
  });

  it('accepts a tool name imported from another file of the package (flow.ts folds it)', () => {
    const src = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { QUERY_DOCS_TOOL } from './lib/tool-names.js';",
      'const server = new McpServer({ name: "s", version: "1" });',
      "server.registerTool(QUERY_DOCS_TOOL, { description: 'Queries docs', inputSchema: {} }, async () => ({ content: [] }));",
    ].join('\n');
    const facts = parseJs(src, 'index.ts');
    expect(facts.registrations).toHaveLength(1);
    expect(facts.registrations[0]?.name).toMatchObject({ k: 'name', name: 'QUERY_DOCS_TOOL' });
    expect(facts.unresolved).toEqual([]);
  });

  it('does not register a template function’s own returned object', () => {
    const src =
      'export function makeTool(name, description, schema) { return { name, description, inputSchema: schema }; }';
    expect(parseJs(src, 'make.js').registrations).toEqual([]);
  });
});

describe('tool definitions around low-level servers and look-alike copies', () => {
  it('links definitions written inside a ListTools handler to the CallTool switch, without an unresolved entry', () => {
    const facts = fixture('definitions/listtools-inline.js');
    expect(names(facts)).toEqual(['read_file']);
    const reg = byName(facts, 'read_file');
    expect(reg).toMatchObject({ line: 13, framework: 'mcp-lowlevel' });
    expect(handlerId(reg)).toBe('CallTool#read_file');
    // zodToJsonSchema(X) is read as X, whose zod shape flow.ts understands.
    expect(reg.schema).toMatchObject({ k: 'name', name: 'ReadFileArgs' });
    expect(facts.unresolved).toEqual([]);
  });

  it('does not take tools copied into a wire format, or metadata built from a call, for definitions', () => {
    const facts = fixture('definitions/provider-conversion.js');
    expect(facts.registrations).toEqual([]);
  });

  it('skips definition-shaped data in test files', () => {
    expect(fixture('definitions/__tests__/parser.test.js').registrations).toEqual([]);
  });
});

describe('generated definitions and definitions handed in as parameters', () => {
  it('reads { name, description, args, tool } with the handler under `tool`', () => {
    const facts = fixture('definitions/generated-tool.ts');
    expect(names(facts)).toEqual(['create-flag']);
    const reg = byName(facts, 'create-flag');
    expect(reg.line).toBe(10);
    expect(reg.schema).toMatchObject({ k: 'name', name: 'args' });
    expect(fn(facts, handlerId(reg) as string).params.map((p) => p.name)).toEqual(['client', 'args', 'ctx']);
  });

  it('says when a registration registers a definition passed in as a parameter', () => {
    const src = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      'export function register(server: McpServer, tool: ToolDefinition) {',
      '  server.tool(tool.name, tool.description, tool.args, async (a) => tool.tool(a));',
      '}',
    ].join('\n');
    const facts = parseJs(src, 'tools.ts');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]?.reason).toContain('passed in as parameter `tool`');
  });
});

describe('ListTools lists filled at run time', () => {
  it('reports a list pushed to from an OpenAPI document instead of reading it as empty', () => {
    const facts = fixture('definitions/openapi-proxy.ts');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]).toMatchObject({
      line: 7,
      reason: 'ListTools handler builds its tool list at run time from an OpenAPI document',
    });
  });

  it('still reads a server with no tools as having none', () => {
    const src = [
      "import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';",
      'server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }));',
    ].join('\n');
    const facts = parseJs(src, 'empty.ts');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toEqual([]);
  });
});
