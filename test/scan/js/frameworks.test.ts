import { describe, expect, it } from 'vitest';
import { parseJs } from '../../../src/scan/js/index.js';
import { byName, fixture, fn, handlerId, str } from './helpers.js';

describe('low-level MCP servers', () => {
  it('reads the ListTools list (inline and same-file consts) and splits the CallTool switch per tool', () => {
    const facts = fixture('lowlevel-server.js');
    expect(facts.registrations.map((r) => [str(r.name), r.framework])).toEqual([
      ['read_file', 'mcp-lowlevel'],
      ['git_status', 'mcp-lowlevel'],
      ['list_dir', 'mcp-lowlevel'],
    ]);
    const read = byName(facts, 'read_file');
    expect(str(read.description)).toBe('Read the complete contents of a file from the file system.');
    expect(read.schema?.k).toBe('object');
    expect(read.line).toBe(7); // the const's object literal
    expect(handlerId(read)).toBe('CallTool#read_file');
    const branch = fn(facts, 'CallTool#read_file');
    expect(branch.params.map((p) => p.name)).toEqual(['request']);
    // prelude (destructuring of request.params) then the branch body
    expect(branch.body[0]).toMatchObject({ k: 'assign', target: { k: 'pattern' } });
    expect(branch.body.some((s) => s.k === 'return')).toBe(true);
    expect(handlerId(byName(facts, 'git_status'))).toBe('CallTool#git_status');
    // no branch: points at the dispatcher without the other tools' branches (the default path)
    expect(handlerId(byName(facts, 'list_dir'))).toBe('CallTool#*');
    const rest = JSON.stringify(fn(facts, 'CallTool#*').body);
    expect(rest).toContain('Unknown tool');
    expect(rest).not.toContain('execSync');
    expect(rest).not.toContain('readFileSync');
  });

  it('reports a tool list imported from another file as unresolved, and resolves if-chains and handler maps', () => {
    const facts = fixture('lowlevel-map.ts');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]?.reason).toContain('another file');
    expect(facts.functions.some((f) => f.id === 'CallTool#noop')).toBe(true);
  });

  it('follows handlers that are methods of a server class', () => {
    const src = `import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
class GitServer {
  constructor() {
    this.server = new Server({ name: 'git', version: '1' }, { capabilities: { tools: {} } });
    this.server.setRequestHandler(ListToolsRequestSchema, this.listTools.bind(this));
    this.server.setRequestHandler(CallToolRequestSchema, this.callTool.bind(this));
  }
  async listTools() {
    return { tools: [{ name: 'git_log', description: 'Shows the commit log', inputSchema: { type: 'object' } }] };
  }
  async callTool(request) {
    if (request.params.name === 'git_log') return this.gitLog(request.params.arguments);
    throw new Error('unknown tool');
  }
}`;
    const facts = parseJs(src, 'git.js');
    expect(facts.registrations.map((r) => [str(r.name), str(r.description), handlerId(r), r.line])).toEqual([
      ['git_log', 'Shows the commit log', 'CallTool#git_log', 10],
    ]);
  });

  it('reads Object.values() of a same-file tool table', () => {
    const src = `import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
const TOOLS = { a: { name: 'a', description: 'A' }, b: { name: 'b', description: 'B' } };
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: Object.values(TOOLS) }));`;
    expect(parseJs(src, 's.ts').registrations.map((r) => str(r.name))).toEqual(['a', 'b']);
  });

  it('links ListTools names to an if-chain and a handler map', () => {
    const src = `
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
const TOOLS = [{ name: 'a', description: 'A', inputSchema: {} }];
const more = { name: 'b', description: 'B', inputSchema: {} };
const impl = { c: async (args) => args, d: doD };
function doD() {}
server.setRequestHandler(ListToolsRequestSchema, async () => {
  return { tools: [...TOOLS, more, { name: 'c', description: 'C' }, { name: 'd', description: 'D' }] };
});
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  if (req.params.name === 'a') { return run(req.params.arguments); }
  else if ('b' === req.params.name) { return 2; }
  return impl[req.params.name](req.params.arguments);
});`;
    const facts = parseJs(src, 'server.js');
    expect(
      facts.registrations.map((r) => [
        str(r.name),
        handlerId(r) ?? (r.handler?.kind === 'expr' ? r.handler.expr.k : null),
      ]),
    ).toEqual([
      ['a', 'CallTool#a'],
      ['b', 'CallTool#b'],
      ['c', expect.stringMatching(/^impl\.c$/)],
      ['d', 'doD'],
    ]);
  });
});

describe('TypeScript FastMCP', () => {
  it('reads server.addTool({ name, description, parameters, execute })', () => {
    const facts = fixture('fastmcp-server.ts');
    expect(facts.registrations.map((r) => [str(r.name), str(r.description), r.framework, r.line])).toEqual([
      ['add', 'Add two numbers', 'mcp-fastmcp', 6],
      ['download', 'Downloads a file and returns its size', 'mcp-fastmcp', 13],
    ]);
    expect(facts.registrations[1]?.schema?.k).toBe('call');
    expect(fn(facts, handlerId(facts.registrations[1] as never) as string).params.map((p) => p.name)).toEqual(
      ['{ url }', '{ log }'],
    );
  });
});

describe('Vercel AI SDK', () => {
  const facts = fixture('vercel-ai.ts');
  it('names tools by their key under tools:, by variable otherwise, and reads plain tool objects', () => {
    expect(facts.registrations.map((r) => [str(r.name) ?? r.defaultName, r.framework]).sort()).toEqual([
      ['cityAttractions', 'vercel-ai'],
      ['convert', 'vercel-ai'],
      ['weather', 'vercel-ai'],
    ]);
    const weather = byName(facts, 'weather');
    expect(weather.defaultName).toBe('weatherTool');
    expect(str(weather.description)).toBe('Get the weather in a location');
    expect(weather.schema).toMatchObject({ k: 'call', callee: { k: 'attr', name: 'object' } });
    expect(fn(facts, handlerId(weather) as string).params[0]?.destructured).toEqual(['location']);
    const city = byName(facts, 'cityAttractions');
    expect(city.description).toEqual({
      k: 'concat',
      parts: [{ k: 'str', value: 'Find attractions in a city' }],
    });
    expect(city.schema?.k).toBe('call'); // `parameters:` (AI SDK 4)
    expect(str(byName(facts, 'convert').description)).toBe('Convert units');
  });

  it('ignores tool() from an unknown library unless the shape clearly fits', () => {
    const src = "import { tool } from './my-ui';\nconst t = tool('wrench');\nconst u = tool({ label: 'x' });";
    expect(parseJs(src, 'a.ts').registrations).toEqual([]);
  });
});

describe('LangChain.js', () => {
  const facts = fixture('langchain-tools.ts');
  it('finds tool(fn, {...}), DynamicStructuredTool, DynamicTool and StructuredTool subclasses', () => {
    expect(facts.registrations.map((r) => [str(r.name), r.framework])).toEqual([
      ['calculator', 'langchain'],
      ['shell', 'langchain'],
      ['foo', 'langchain'],
      ['wikipedia', 'langchain'],
    ]);
    const calc = byName(facts, 'calculator');
    expect(calc.schema).toMatchObject({ k: 'name', name: 'calculatorSchema' });
    expect(handlerId(calc)).toMatch(/^<arrow@12:/);
    const wiki = byName(facts, 'wikipedia');
    expect(handlerId(wiki)).toBe('WikipediaTool._call');
    expect(wiki.description?.k).toBe('concat');
    expect(wiki.line).toBe(36);
    expect(fn(facts, 'WikipediaTool._call').doc).toBe('Calls the API.');
    expect(fn(facts, 'WikipediaTool._call').className).toBe('WikipediaTool');
    expect(handlerId(byName(facts, 'shell'))).toMatch(/^<arrow@27:/);
  });

  it('accepts an imported function as the tool body', () => {
    const src =
      "import { tool } from '@langchain/core/tools';\nimport { search } from './search.js';\nexport const searchTool = tool(search, { name: 'search', description: 'Web search' });";
    const regs = parseJs(src, 't.ts').registrations;
    expect(
      regs.map((r) => [
        str(r.name),
        r.handler?.kind === 'expr' && r.handler.expr.k === 'name' ? r.handler.expr.name : null,
      ]),
    ).toEqual([['search', 'search']]);
  });

  it('keeps class fields', () => {
    const cls = facts.classes.find((c) => c.name === 'WikipediaTool');
    expect(cls?.fields.map((f) => f.name)).toEqual(['name', 'description', 'schema']);
    expect(cls?.bases[0]).toMatchObject({ k: 'name', name: 'StructuredTool' });
    expect(cls?.methods).toEqual(['WikipediaTool._call']);
  });
});

describe('OpenAI Agents JS', () => {
  it('reads tool({ name, description, parameters, execute })', () => {
    const facts = fixture('openai-agents.ts');
    expect(facts.registrations).toHaveLength(1);
    const reg = byName(facts, 'get_weather');
    expect(reg.framework).toBe('openai-agents');
    expect(str(reg.description)).toBe('Return the weather for a given city.');
    expect(reg.schema?.k).toBe('call');
    expect(fn(facts, handlerId(reg) as string).params[0]?.destructured).toEqual(['city']);
  });
});

describe('CommonJS requires', () => {
  it('attributes destructured require of the AI SDK', () => {
    const src =
      "const { tool } = require('ai');\nconst z = require('zod');\nmodule.exports.search = tool({ description: 'Search', parameters: z.object({}), execute: async () => 1 });";
    const facts = parseJs(src, 'a.cjs');
    expect(facts.registrations.map((r) => [r.framework, r.defaultName])).toEqual([
      ['vercel-ai', 'module.exports.search'],
    ]);
  });
});
