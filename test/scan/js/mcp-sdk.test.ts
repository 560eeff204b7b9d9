import { describe, expect, it } from 'vitest';
import { parseJs } from '../../../src/scan/js/index.js';
import { byName, fixture, fn, handlerId, str } from './helpers.js';

describe('MCP TypeScript SDK registrations', () => {
  const facts = fixture('mcp-sdk-server.ts');

  it('finds every server.tool overload and registerTool', () => {
    const names = facts.registrations.map((r) => str(r.name));
    expect(names).toEqual(['ping', 'get-alerts', 'echo', 'get-forecast', 'read-notes', 'add']);
    expect(facts.registrations.every((r) => r.framework === 'mcp-sdk')).toBe(true);
    expect(facts.language).toBe('typescript');
  });

  it('tells description from schema by argument kind', () => {
    expect(byName(facts, 'ping').description).toBeNull();
    expect(byName(facts, 'ping').schema).toBeUndefined();
    expect(str(byName(facts, 'get-alerts').description)).toBe('Get weather alerts for a state');
    expect(byName(facts, 'get-alerts').schema?.k).toBe('object');
    const echo = byName(facts, 'echo');
    expect(echo.description).toBeNull();
    expect(echo.schema?.k).toBe('object');
    // name, schema, annotations, handler
    const notes = byName(facts, 'read-notes');
    expect(notes.description).toBeNull();
    expect(notes.schema?.k === 'object' && notes.schema.props.map((p) => p.key)).toEqual(['path']);
  });

  it('keeps a constant description as a name for flow.ts to fold, and the 5-argument form', () => {
    const forecast = byName(facts, 'get-forecast');
    expect(forecast.description).toMatchObject({ k: 'name', name: 'FORECAST_DESCRIPTION' });
    expect(forecast.schema?.k === 'object' && forecast.schema.props.map((p) => p.key)).toEqual([
      'latitude',
      'longitude',
    ]);
    expect(handlerId(forecast)).toBe('getForecast');
    expect(forecast.line).toBe(44);
  });

  it('keeps zod .describe() texts inside the schema IR', () => {
    const schema = byName(facts, 'get-alerts').schema;
    const state = schema?.k === 'object' ? schema.props[0]?.value : undefined;
    expect(state).toMatchObject({
      k: 'call',
      callee: { k: 'attr', name: 'describe' },
      args: [{ k: 'str', value: 'Two-letter state code (e.g. CA, NY)' }],
    });
  });

  it('reads registerTool config', () => {
    const add = byName(facts, 'add');
    expect(str(add.description)).toBe('Add two numbers');
    expect(add.schema?.k).toBe('object');
    expect(add.line).toBe(59);
    const handler = fn(facts, handlerId(add) as string);
    expect(handler.params[0]?.destructured).toEqual(['a', 'b']);
  });

  it('points inline handlers at their FunctionFact with its body', () => {
    const alerts = byName(facts, 'get-alerts');
    const handler = fn(facts, handlerId(alerts) as string);
    expect(handler.id).toMatch(/^<arrow@33:\d+>$/);
    expect(handler.params[0]?.destructured).toEqual(['state']);
    expect(handler.body.some((s) => s.k === 'return')).toBe(true);
  });

  it('lists loop-built names and spread arguments as unresolved, with line and snippet', () => {
    expect(facts.unresolved).toHaveLength(2);
    expect(facts.unresolved[0]).toMatchObject({
      line: 76,
      reason: expect.stringContaining('computed at run time'),
    });
    expect(facts.unresolved[0]?.snippet.startsWith('server.tool(t.name')).toBe(true);
    expect(facts.unresolved[1]).toMatchObject({ line: 81, reason: expect.stringContaining('spread') });
    expect(facts.unresolved.every((u) => u.snippet.length <= 120)).toBe(true);
  });

  it('recognises registrations in a helper that only receives the server (type-only import)', () => {
    const src = [
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { z } from 'zod';",
      'export function registerFileTools(server: McpServer) {',
      "  server.tool('delete_file', 'Deletes a file', { path: z.string() }, async ({ path }) => rm(path));",
      '}',
    ].join('\n');
    const facts2 = parseJs(src, 'tools.ts');
    expect(facts2.registrations.map((r) => [str(r.name), r.framework, r.line])).toEqual([
      ['delete_file', 'mcp-sdk', 4],
    ]);
    expect(facts2.imports).toEqual([{ local: 'z', module: 'zod', imported: 'z', line: 2 }]);
  });

  it('does not take unrelated .tool() calls for MCP tools', () => {
    const src = "const t = toolbox.tool('hammer');\nrenderer.tool(config, 3);\nform.registerTool(x);";
    const facts2 = parseJs(src, 'ui.js');
    expect(facts2.registrations).toEqual([]);
    expect(facts2.unresolved).toEqual([]);
  });

  it('reads handlers, descriptions and schemas imported from other files', () => {
    const src = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { SEARCH_DESCRIPTION, searchSchema, handleSearch } from './search.js';",
      "import * as handlers from './handlers.js';",
      "const server = new McpServer({ name: 'x', version: '1' });",
      "server.tool('search', SEARCH_DESCRIPTION, searchSchema, handleSearch);",
      "server.tool('fetch', searchSchema, handlers.fetchUrl);",
      "server.tool('summarise', SEARCH_DESCRIPTION, handlers.summarise);",
    ].join('\n');
    const regs = parseJs(src, 'index.ts').registrations;
    expect(
      regs.map((r) => [
        str(r.name),
        r.description?.k === 'name' ? r.description.name : r.description,
        r.schema?.k === 'name' ? r.schema.name : r.schema,
        r.handler?.kind,
      ]),
    ).toEqual([
      ['search', 'SEARCH_DESCRIPTION', 'searchSchema', 'expr'],
      ['fetch', null, 'searchSchema', 'expr'],
      ['summarise', 'SEARCH_DESCRIPTION', undefined, 'expr'],
    ]);
  });

  it('recognises the shape in a plain JavaScript file without imports', () => {
    const src =
      "module.exports = function register(server) {\n  server.tool('list_files', 'Lists files', { dir: z.string() }, async ({ dir }) => ls(dir));\n};";
    const regs = parseJs(src, 'register.js').registrations;
    expect(regs.map((r) => [str(r.name), str(r.description), r.line])).toEqual([
      ['list_files', 'Lists files', 2],
    ]);
  });

  it('lists registerTool built from a definition loop as unresolved', () => {
    const src =
      "import { McpServer } from '@modelcontextprotocol/server';\nfor (const def of defs) {\n  server.registerTool(def.name, def, def.handler);\n}";
    const facts2 = parseJs(src, 'loop.ts');
    expect(facts2.registrations).toEqual([]);
    expect(facts2.unresolved.map((u) => [u.line, u.snippet])).toEqual([
      [3, 'server.registerTool(def.name, def, def.handler)'],
    ]);
  });

  it('resolves handlers that are bound methods of the registering class', () => {
    const src = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      'class App {',
      "  server = new McpServer({ name: 'a', version: '1' });",
      "  start() { this.server.tool('status', 'Shows status', {}, this.status.bind(this)); }",
      '  async status() { return { content: [] }; }',
      '}',
    ].join('\n');
    const regs = parseJs(src, 'app.ts').registrations;
    expect(regs.map((r) => [str(r.name), handlerId(r)])).toEqual([['status', 'App.status']]);
  });
});
