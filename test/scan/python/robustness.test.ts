import { describe, expect, it } from 'vitest';
import { MAX_IR_DEPTH, MODULE_FUNCTION_ID } from '../../../src/scan/facts.js';
import { initPython, parsePython } from '../../../src/scan/python/index.js';
import { fn, parseFixture, parseSource, registration, str } from './helpers.js';

/** Maximum nesting depth of a JSON-like value, measured iteratively. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    max = Math.max(max, d);
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

describe('hostile and broken input', () => {
  it('reports syntax errors with lines and still finds the tools that parse', async () => {
    const facts = await parseFixture('broken_server.py');
    expect(facts.parseErrors.length).toBeGreaterThan(0);
    expect(facts.parseErrors.some((e) => e.line === 13)).toBe(true);
    expect(facts.notes.map((n) => n.message)).toEqual([
      'syntax error: lines 12-15 skipped so that the code after them could be analysed',
    ]);
    expect(facts.registrations.map((r) => r.defaultName)).toEqual(['before', 'after']);
    expect(str(registration(facts, 'after').description)).toBe('Still found after the broken function.');
    expect(facts.registrations[1]?.line).toBe(16);
  });

  it('survives 3,000-deep nesting of every kind without overflowing, cutting at MAX_IR_DEPTH with a note', async () => {
    const n = 3000;
    const cases = [
      `x = ${'('.repeat(n)}1${')'.repeat(n)}`,
      `x = ${'['.repeat(n)}1${']'.repeat(n)}`,
      `x = ${'{"k": '.repeat(n)}1${'}'.repeat(n)}`,
      `x = ${'f('.repeat(n)}1${')'.repeat(n)}`,
      `x = ${'-'.repeat(n)}1`,
      `x = ${'not '.repeat(n)}y`,
      `x = ${'lambda: '.repeat(n)}1`,
      `x = a${'.b'.repeat(n)}`,
      `x = a${'[0]'.repeat(n)}`,
      `x = ${'1 if c else '.repeat(n)}2`,
      Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}if x${i}:`).join('\n') +
        `\n${' '.repeat(400)}pass`,
    ];
    for (const source of cases) {
      const facts = await parseSource(source);
      expect(
        facts.notes.some((note) => note.message.includes(`${MAX_IR_DEPTH}`)),
        source.slice(0, 20),
      ).toBe(true);
      // The IR itself stays shallow enough for recursive consumers.
      for (const f of facts.functions) expect(depthOf(f.body)).toBeLessThan(MAX_IR_DEPTH * 6);
    }
  });

  it('keeps long flat + and or chains whole (they are not nesting)', async () => {
    const parts = Array.from({ length: 1000 }, (_, i) => `"p${i}"`);
    const facts = await parseSource(
      `x = ${parts.join(' + ')}\ny = ${Array.from({ length: 1000 }, (_, i) => `v${i}`).join(' or ')}`,
    );
    expect(facts.notes).toEqual([]);
    const [x, y] = fn(facts, MODULE_FUNCTION_ID).body;
    expect(x).toMatchObject({
      k: 'assign',
      value: { k: 'str', value: parts.map((p) => p.slice(1, -1)).join('') },
    });
    expect(y?.k === 'assign' && y.value.k === 'choice' && y.value.options.length).toBe(1000);
  });

  it('does not throw on binary garbage, NULs, lone surrogates or an empty file', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const garbage = Array.from({ length: 20000 }, () => String.fromCharCode(random() % 0xffff)).join('');
    for (const source of [
      garbage,
      '\0\0\0def x(:\0',
      '\ud800\udfff\ud800 = 1',
      '',
      '\n\n\n',
      '"""unterminated',
      'def f(\n',
    ]) {
      const facts = await parseSource(source);
      expect(facts.language).toBe('python');
      expect(facts.functions[0]?.id).toBe(MODULE_FUNCTION_ID);
    }
  });

  it('parses a 1 MB file', async () => {
    const chunk = [
      'from mcp.server.fastmcp import FastMCP',
      'import requests',
      'mcp = FastMCP("big")',
      '',
      '@mcp.tool()',
      'def tool_N(city: str, days: int = 3) -> str:',
      '    """Forecast number N.',
      '',
      '    Args:',
      '        city: The city.',
      '    """',
      '    url = f"https://api.example/{city}?d={days}"',
      '    data = requests.get(url, headers={"X-Key": KEY}).json()',
      '    return ", ".join(str(v) for v in data["values"] if v)',
      '',
    ].join('\n');
    let source = '';
    for (let i = 0; source.length < 1_000_000; i++)
      source += chunk.replaceAll('_N', `_${i}`).replace('number N', `number ${i}`);
    const facts = await parseSource(source);
    expect(facts.parseErrors).toEqual([]);
    expect(facts.registrations.length).toBeGreaterThan(1000);
    expect(facts.registrations.length).toBe(facts.functions.filter((f) => f.id.startsWith('tool_')).length);
  });

  it('recovers from many syntax errors in a large file without losing the valid tools', async () => {
    const good = '@mcp.tool()\ndef ok_N(x: str) -> str:\n    """Fine."""\n    return x\n\n';
    const bad = 'def bad_N(a, b:\n    return [a +\n\n';
    let source = 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("m")\n';
    for (let i = 0; i < 300; i++) source += (i % 50 === 0 ? bad : '') + good.replace('_N', `_${i}`);
    const facts = await parseSource(source);
    expect(facts.parseErrors.length).toBeGreaterThan(0);
    // Each unclosed bracket swallows what follows; the recovery re-parses a bounded number of times.
    expect(facts.registrations.length).toBe(300);
    expect(facts.notes.filter((n) => n.message.includes('skipped'))).toHaveLength(6);
  });
  it('abandons a pathological parse after its time budget and says so', async () => {
    await initPython();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = '()[]{}:\n    "\'#@defclassif+=*.,abcxyz0123456789\\';
    const garbage = Array.from({ length: 300_000 }, () => alphabet[random() % alphabet.length]).join('');
    const facts = parsePython(garbage, 'garbage.py', { parseBudgetMs: 50 });
    expect(facts.parseErrors).toEqual([
      { line: 1, message: 'parse abandoned: the file took too long to parse (not analysed)' },
    ]);
    expect(facts.functions.map((f) => f.id)).toEqual([MODULE_FUNCTION_ID]);
    // The parser is usable again afterwards.
    expect(parsePython('def f():\n    return 1\n', 'ok.py').functions.map((f) => f.id)).toEqual([
      MODULE_FUNCTION_ID,
      'f',
    ]);
  });
});
