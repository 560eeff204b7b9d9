import { describe, expect, it } from 'vitest';
import { docstringParams } from '../../../src/scan/python/docstring-params.js';
import { cleandoc, decodeStringLiteral } from '../../../src/scan/python/string-literals.js';
import { handlerId, paramDocs, parseSource, registration } from './helpers.js';

describe('docstring parameter sections', () => {
  it('reads Google Args with types, continuation lines and *args', () => {
    const doc = cleandoc(`Do a thing.

    Args:
        path (str): Where to read.
            Must be absolute.
        *names: Extra names.
        mode: One of r, w.

    Returns:
        The thing.
    `);
    expect(Object.fromEntries(docstringParams(doc))).toEqual({
      path: 'Where to read. Must be absolute.',
      names: 'Extra names.',
      mode: 'One of r, w.',
    });
  });

  it('reads reST :param: fields, with and without a type', () => {
    const doc =
      ':param str url: The URL to fetch.\n    Follows redirects.\n:param timeout: Seconds.\n:returns: body';
    expect(Object.fromEntries(docstringParams(doc))).toEqual({
      url: 'The URL to fetch. Follows redirects.',
      timeout: 'Seconds.',
    });
  });

  it('reads numpy Parameters sections and stops at the next section', () => {
    const doc =
      'Sum.\n\nParameters\n----------\nx : int\n    First.\ny : int, optional\n    Second.\n\nReturns\n-------\nint\n    The sum.';
    expect(Object.fromEntries(docstringParams(doc))).toEqual({ x: 'First.', y: 'Second.' });
  });

  it('does not mistake prose for parameters', () => {
    expect(docstringParams('Returns the weather: sunny or not.\nNote: cached.').size).toBe(0);
  });

  it('cleans docstrings like inspect.cleandoc and decodes literals', () => {
    expect(cleandoc('\n    First.\n\n      Indented.\n    Last.\n    ')).toBe('First.\n\n  Indented.\nLast.');
    expect(decodeStringLiteral(`'''a\\\nb'''`)).toBe('ab');
    expect(decodeStringLiteral(`U"\\101\\U0001F600"`)).toBe('A😀');
    expect(decodeStringLiteral('"""a\r\nb\rc"""')).toBe('a\nb\nc');
  });
});

describe('parameter descriptions from signatures', () => {
  it('uses Annotated[T, "doc"], typing.Annotated, Doc(), Field(description) and skips injected params', async () => {
    const facts = await parseSource(
      [
        'import typing',
        'from typing import Annotated',
        'from typing_extensions import Doc',
        'from pydantic import Field',
        'from mcp.server.fastmcp import FastMCP, Context',
        'mcp = FastMCP("p")',
        '',
        '@mcp.tool()',
        'async def run(',
        '    a: Annotated[str, "The a value"],',
        '    b: typing.Annotated[int, Field(description="The b value", ge=0)],',
        '    c: Annotated[str, Doc("The c value")],',
        '    d: str = Field("x", description="The d value"),',
        '    e: str = Field(..., description="The e value"),',
        '    context: Context | None = None,',
        '    *rest,',
        '    **kw,',
        '):',
        '    """Run.',
        '',
        '    Args:',
        '        a: docstring loses to Annotated',
        '    """',
      ].join('\n'),
    );
    const reg = registration(facts, 'run');
    expect(paramDocs(reg)).toEqual({
      a: 'The a value',
      b: 'The b value',
      c: 'The c value',
      d: 'The d value',
      e: 'The e value',
    });
    expect(reg.params.map((p) => [p.name, p.type, p.required])).toEqual([
      ['a', 'str', true],
      ['b', 'int', true],
      ['c', 'str', true],
      ['d', 'str', false],
      ['e', 'str', true],
    ]);
  });
});

describe('registration call forms', () => {
  it('reads decorators applied by hand and tells *args from negation', async () => {
    const facts = await parseSource(
      [
        'from mcp.server.fastmcp import FastMCP',
        'from langchain_core.tools import tool',
        'from agents import function_tool',
        'mcp = FastMCP("x")',
        'def a(x: str):',
        '    """A."""',
        'def b(y: str):',
        '    """B."""',
        'def c(z: str):',
        '    """C."""',
        'mcp.tool(name="tool_a", description="Tool A.")(a)',
        'lc = tool("tool_b")(b)',
        'oa = function_tool(c)',
        'mcp.tool()(*handlers)',
      ].join('\n'),
    );
    expect(
      facts.registrations.map((r) => [
        r.framework,
        r.line,
        r.name?.k === 'str' ? r.name.value : r.defaultName,
        handlerId(r),
      ]),
    ).toEqual([
      ['mcp-fastmcp', 11, 'tool_a', 'a'],
      ['langchain', 12, 'tool_b', 'b'],
      ['openai-agents', 13, 'c', 'c'],
    ]);
    expect(facts.unresolved.map((u) => [u.line, u.snippet])).toEqual([[14, 'mcp.tool()(*handlers)']]);
  });
});
