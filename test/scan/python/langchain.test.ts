import { describe, expect, it } from 'vitest';
import { handlerId, paramDocs, parseFixture, parseSource, registration, str } from './helpers.js';

describe('LangChain registrations', () => {
  it('reads @tool, @tool("name", args_schema=...), @tool(description=...)', async () => {
    const facts = await parseFixture('langchain_tools.py');
    expect(facts.parseErrors).toEqual([]);
    expect(facts.registrations.every((r) => r.framework === 'langchain')).toBe(true);

    const multiply = registration(facts, 'multiply');
    expect(multiply).toMatchObject({ line: 14, name: null, defaultName: 'multiply' });
    // The whole (dedented) docstring is the description, as the model sees it.
    expect(str(multiply.description)).toBe(
      'Multiply two integers.\n\nArgs:\n    a: First factor.\n    b: Second factor.',
    );
    expect(paramDocs(multiply)).toEqual({ a: 'First factor.', b: 'Second factor.' });

    const search = registration(facts, 'web_search');
    expect(search.line).toBe(30);
    expect(handlerId(search)).toBe('search');
    expect(str(search.description)).toBe('Search the web and return the top results.');
    // args_schema defined in this file: its fields are the parameters.
    expect(search.params).toEqual([
      { name: 'query', type: 'str', required: true, description: { k: 'str', value: 'What to search for' } },
      {
        name: 'limit',
        type: 'int',
        required: false,
        description: { k: 'str', value: 'Maximum number of results' },
      },
    ]);

    const read = registration(facts, 'read_file');
    expect(str(read.description)).toBe('Read a text file from the workspace.');
    expect(paramDocs(read)).toEqual({ path: 'Path relative to the workspace root.' });
  });

  it('reads StructuredTool.from_function and Tool(...) with numpy docstrings and lambdas', async () => {
    const facts = await parseFixture('langchain_tools.py');
    const summary = registration(facts, 'summarize');
    expect(summary).toMatchObject({ line: 58, column: 16 });
    expect(handlerId(summary)).toBe('summarize');
    expect(str(summary.description)).toBe('Summarise text to at most max_words words.');
    expect(paramDocs(summary)).toEqual({
      text: 'The text to summarise.',
      max_words: 'Upper bound on the summary length.',
    });

    const lookup = registration(facts, 'lookup');
    expect(handlerId(lookup)).toBe('<lambda@64:40>');
    expect(str(lookup.description)).toBe('Look up a term.');
    expect(lookup.params.map((p) => p.name)).toEqual(['q']);
  });

  it('reads BaseTool subclasses: fields, args_schema, _run (skipping run_manager) or _arun', async () => {
    const facts = await parseFixture('langchain_tools.py');
    const calc = registration(facts, 'calculator');
    expect(calc).toMatchObject({ line: 71, framework: 'langchain' });
    expect(handlerId(calc)).toBe('CalculatorTool._run');
    expect(str(calc.description)).toBe('Evaluate an arithmetic expression. Pure, no side effects.');
    expect(paramDocs(calc)).toEqual({ expression: 'A Python arithmetic expression' });
    expect(handlerId(registration(facts, 'async_only'))).toBe('AsyncOnlyTool._arun');
  });

  it('lists from_function(*spec) and Tool(...) built in loops as not understood', async () => {
    const facts = await parseFixture('langchain_tools.py');
    expect(facts.unresolved.map((u) => [u.line, u.reason])).toEqual([
      [92, 'StructuredTool(...) arguments passed as *args/**kwargs'],
      [93, 'Tool(...) built in a loop from data'],
    ]);
    expect(facts.unresolved[0]?.snippet).toBe('StructuredTool.from_function(*spec)');
  });

  it('follows aliases and module imports, and ignores pydantic models that are not tools', async () => {
    const facts = await parseSource(
      [
        'import langchain_core.tools as lct',
        'from langchain.tools import Tool as LCTool',
        'from pydantic import BaseModel',
        '',
        '@lct.tool',
        'def ping() -> str:',
        '    """Ping the service."""',
        '    return "pong"',
        '',
        'echo = LCTool("echo", lambda s: s, "Echo the input.")',
        '',
        'class NotATool(BaseModel):',
        '    name: str = "x"',
      ].join('\n'),
    );
    expect(
      facts.registrations.map((r) => [r.line, r.name?.k === 'str' ? r.name.value : r.defaultName]),
    ).toEqual([
      [5, 'ping'],
      [10, 'echo'],
    ]);
    expect(str(registration(facts, 'echo').description)).toBe('Echo the input.');
  });

  it('inherits the framework through a local intermediate base class', async () => {
    const facts = await parseSource(
      [
        'from langchain.tools import BaseTool',
        'class Base(BaseTool):',
        '    def helper(self):',
        '        pass',
        'class Concrete(Base):',
        '    name: str = "concrete"',
        '    description: str = "A concrete tool."',
        '    def _run(self, q: str) -> str:',
        '        return q',
      ].join('\n'),
    );
    expect(facts.registrations).toHaveLength(1);
    expect(handlerId(registration(facts, 'concrete'))).toBe('Concrete._run');
  });
});
