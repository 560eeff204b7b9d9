import { describe, expect, it } from 'vitest';
import { handlerId, paramDocs, parseFixture, parseSource, registration, str } from './helpers.js';

describe('FastMCP registrations', () => {
  it('finds @mcp.tool(), @mcp.tool and add_tool, with docstrings, overrides and Field/Annotated docs', async () => {
    const facts = await parseFixture('fastmcp_server.py');
    expect(facts.parseErrors).toEqual([]);
    expect(facts.registrations.every((r) => r.framework === 'mcp-fastmcp')).toBe(true);
    expect(facts.registrations).toHaveLength(4);

    const forecast = registration(facts, 'get_forecast');
    expect(forecast.line).toBe(16);
    expect(forecast.column).toBe(1);
    expect(handlerId(forecast)).toBe('get_forecast');
    expect(str(forecast.description)).toBe(
      'Get the weather forecast for a city.\n\nReturns a short text summary.',
    );
    // ctx: Context is injected by the framework and is not a tool parameter.
    expect(paramDocs(forecast)).toEqual({
      city: 'City name, e.g. Berlin',
      days: 'How many days to forecast',
    });
    expect(forecast.params.map((p) => [p.name, p.type, p.required])).toEqual([
      ['city', 'str', true],
      ['days', 'int', false],
    ]);

    const note = registration(facts, 'read_note');
    expect(note.defaultName).toBe('read_note_tool');
    expect(str(note.description)).toBe('Read one note from the local notes folder.');
    expect(handlerId(note)).toBe('read_note_tool');

    const list = registration(facts, 'list_notes');
    expect(list.name).toBeNull();
    expect(handlerId(list)).toBe('list_notes');

    const wc = registration(facts, 'word_count');
    expect(wc.line).toBe(59);
    expect(handlerId(wc)).toBe('_word_count');
    expect(str(wc.description)).toBe('Count words or characters.');
    expect(paramDocs(wc)).toEqual({
      text: 'The text to count.',
      unit: 'Either "words" or "chars". Defaults to words.',
    });
  });

  it('lists @mcp.tool(**opts) as not understood and ignores resources', async () => {
    const facts = await parseFixture('fastmcp_server.py');
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]).toMatchObject({ line: 64, snippet: '@mcp.tool(**opts)' });
    expect(facts.unresolved[0]?.reason).toMatch(/\*\*kwargs/);
    expect(facts.registrations.some((r) => r.defaultName === 'note_resource')).toBe(false);
  });

  it('attributes by imports: fastmcp 2.x, a positional name, and a server object from a sibling module', async () => {
    const v2 = await parseSource(
      'from fastmcp import FastMCP\nserver = FastMCP("x")\n\n@server.tool("shout", description="Upper-case " + "text")\ndef s(t: str):\n    return t.upper()\n',
    );
    expect(v2.registrations).toHaveLength(1);
    expect(v2.registrations[0]).toMatchObject({
      framework: 'mcp-fastmcp',
      name: { k: 'str', value: 'shout' },
      line: 4,
    });
    expect(v2.registrations[0]?.description).toEqual({ k: 'str', value: 'Upper-case text' });

    const sibling = await parseSource(
      'from .app import mcp\n\n@mcp.tool()\ndef ping() -> str:\n    """Ping."""\n    return "pong"\n',
    );
    expect(sibling.registrations).toHaveLength(1);
    expect(sibling.registrations[0]?.framework).toBe('unknown');
  });

  it('keeps a description built from a constant as an expression for flow.ts to fold', async () => {
    const facts = await parseSource(
      'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP()\nDESC = "Adds numbers"\n@mcp.tool(description=DESC)\ndef add(a: int, b: int) -> int:\n    return a + b\n',
    );
    expect(facts.registrations[0]?.description).toMatchObject({ k: 'name', name: 'DESC' });
  });

  it('ignores a locally defined @tool decorator and lists one of unknown origin', async () => {
    const local = await parseSource('def tool(f):\n    return f\n\n@tool\ndef x():\n    pass\n');
    expect(local.registrations).toEqual([]);
    expect(local.unresolved).toEqual([]);
    const star = await parseSource('from helpers import *\n\n@tool("x")\ndef x():\n    pass\n');
    expect(star.registrations).toEqual([]);
    expect(star.unresolved).toHaveLength(1);
    expect(star.unresolved[0]?.line).toBe(3);
    const wrapped = await parseSource('from .registry import tool\n\n@tool\ndef y():\n    pass\n');
    expect(wrapped.registrations).toEqual([]);
    expect(wrapped.unresolved.map((u) => [u.line, u.reason])).toEqual([
      [3, '@tool is not imported from a known agent framework'],
    ]);
  });
  it('attributes <obj>.tool by what the object was built from, not by its name', async () => {
    const facts = await parseSource(
      [
        'from mcp.server.fastmcp import FastMCP',
        'from pydantic_ai import Agent',
        'app = FastMCP("a")',
        'agent = Agent("openai:gpt-4o")',
        '@app.tool()',
        'def served() -> str:',
        '    return "x"',
        '@agent.tool',
        'def for_agent(ctx, q: str) -> str:',
        '    return q',
      ].join('\n'),
    );
    expect(facts.registrations.map((r) => [r.defaultName, r.framework])).toEqual([
      ['served', 'mcp-fastmcp'],
      ['for_agent', 'unknown'],
    ]);
  });
  it('resolves add_tool handlers defined inside the registering function', async () => {
    const facts = await parseSource(
      [
        'from mcp.server.fastmcp import FastMCP',
        'def register(mcp: FastMCP) -> None:',
        '    def helper(q: str) -> str:',
        '        """Answer q."""',
        '        return q',
        '    mcp.add_tool(helper)',
      ].join('\n'),
    );
    expect(facts.registrations.map((r) => [r.defaultName, handlerId(r), r.line])).toEqual([
      ['helper', 'register.helper', 6],
    ]);
    expect(str(facts.registrations[0]?.description)).toBe('Answer q.');
  });
});
