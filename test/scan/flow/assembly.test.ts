import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/scan/facts.js';
import { analyze, toolOf } from './helpers.js';
import { arr, assign, at, call, cat, ex, exp, file, fn, id, imp, lit, obj, reg, s } from './ir.js';

/** `z.string()` and a chain of `[method, args]` on it. */
function zchain(base: string, ...chain: [string, Expr[]][]): Expr {
  let e: Expr = call(`z.${base}`, []);
  for (const [m, args] of chain) e = call(at(e, m), args);
  return e;
}

const zImport = imp('z', 'zod', 'z');

describe('tool names and descriptions', () => {
  it('folds names and descriptions built from constants and templates', () => {
    const a = analyze(
      file('a.ts', {
        module: [assign('PREFIX', s('fs_')), assign('DESC', s('Reads files.'))],
        registrations: [
          reg({ name: cat(id('PREFIX'), s('read')), description: cat(id('DESC'), s(' Read-only.')) }),
        ],
      }),
    );
    const t = toolOf(a);
    expect(t.name).toBe('fs_read');
    expect(t.id).toBe('a.ts#fs_read');
    expect(t.description).toBe('Reads files. Read-only.');
    expect(t.descriptionResolved).toBe(true);
    expect(t.framework).toBe('mcp-sdk');
    expect(t.language).toBe('typescript');
  });

  it('keeps the static parts of a description built at run time', () => {
    const a = analyze(
      file('a.ts', {
        functions: [fn('h', [], [])],
        registrations: [
          reg({ name: 't', description: cat(s('Query '), call('getDb', []), s(' safely.')), handler: 'h' }),
        ],
      }),
    );
    const t = toolOf(a);
    expect(t.descriptionResolved).toBe(false);
    expect(t.description).toBe('Query … safely.');
  });

  it('an unresolvable name still makes a tool, plus an unresolved entry', () => {
    const a = analyze(file('a.ts', { registrations: [reg({ name: call('makeName', []), line: 12 })] }));
    expect(a.tools.map((t) => t.name)).toEqual(['<dynamic@a.ts:12>']);
    expect(a.unresolved).toEqual([
      expect.objectContaining({ file: 'a.ts', line: 12, reason: 'tool name is not statically known' }),
    ]);
  });

  it('uses defaultName when the name comes from the handler', () => {
    const a = analyze(
      file('a.py', {
        registrations: [reg({ name: null, defaultName: 'get_weather', framework: 'mcp-fastmcp' })],
      }),
    );
    expect(toolOf(a).name).toBe('get_weather');
  });

  it('reports a handler that cannot be found', () => {
    const a = analyze(file('a.ts', { registrations: [reg({ name: 't', handler: id('missing') })] }));
    expect(a.unresolved.map((u) => u.reason)).toEqual(['handler of tool "t" not found']);
    expect(toolOf(a).effects).toEqual([]);
  });

  it('passes the front ends’ unresolved registrations through', () => {
    const f = file('a.ts');
    f.unresolved.push({ line: 3, column: 1, reason: 'registration in a loop', snippet: 'server.tool(n, …)' });
    expect(analyze(f).unresolved).toEqual([
      { file: 'a.ts', line: 3, reason: 'registration in a loop', snippet: 'server.tool(n, …)' },
    ]);
  });
});

describe('parameters from schemas', () => {
  it('a raw zod shape with describe anywhere in the chain, optional and default', () => {
    const schema = obj({
      path: zchain('string', ['describe', [s('File to read')]]),
      limit: zchain(
        'number',
        ['int', []],
        ['min', [{ k: 'num', value: 1 }]],
        ['default', [{ k: 'num', value: 10 }]],
        ['describe', [s('Max lines')]],
      ),
      mode: call('z.enum', [arr(s('a'), s('b'))]),
      flag: zchain('boolean', ['optional', []]),
    });
    const t = toolOf(
      analyze(file('a.ts', { imports: [zImport], registrations: [reg({ name: 't', schema })] })),
    );
    expect(t.parameters).toEqual([
      { name: 'path', description: 'File to read', type: 'string', required: true },
      { name: 'limit', description: 'Max lines', type: 'integer', required: false },
      { name: 'mode', type: 'string', required: true },
      { name: 'flag', type: 'boolean', required: false },
    ]);
  });

  it('z.object(...).describe(), a schema held in a variable, and one imported from another file', () => {
    const local = analyze(
      file('a.ts', {
        imports: [zImport],
        module: [
          assign(
            'Input',
            call(
              at(call('z.object', [obj({ q: zchain('string', ['describe', [s('Query')]]) })]), 'describe'),
              [s('input')],
            ),
          ),
        ],
        registrations: [reg({ name: 't', schema: id('Input') })],
      }),
    );
    expect(toolOf(local).parameters).toEqual([
      { name: 'q', description: 'Query', type: 'string', required: true },
    ]);
    const imported = analyze(
      file('a.ts', {
        imports: [
          imp('Schema', './schemas.js', 'Schema'),
          imp('zodToJsonSchema', 'zod-to-json-schema', 'zodToJsonSchema'),
        ],
        registrations: [reg({ name: 't', schema: call('zodToJsonSchema', [id('Schema')]) })],
      }),
      file('schemas.ts', {
        imports: [imp('z', 'zod', 'z')],
        exports: [exp('Schema', { local: 'Schema' })],
        module: [
          assign(
            'Schema',
            call('z.object', [obj({ url: zchain('string', ['url', []], ['describe', [s('Page URL')]]) })]),
          ),
        ],
      }),
    );
    expect(toolOf(imported).parameters).toEqual([
      { name: 'url', description: 'Page URL', type: 'string', required: true },
    ]);
  });

  it('JSON Schema object literals (JS objects and Python dicts)', () => {
    const schema = obj({
      type: s('object'),
      properties: obj({
        city: obj({ type: s('string'), description: s('City name') }),
        days: obj({ type: s('integer') }),
      }),
      required: arr(s('city')),
    });
    for (const name of ['a.ts', 'a.py']) {
      const t = toolOf(analyze(file(name, { registrations: [reg({ name: 't', schema })] })));
      expect(t.parameters).toEqual([
        { name: 'city', description: 'City name', type: 'string', required: true },
        { name: 'days', type: 'integer', required: false },
      ]);
    }
  });

  it('keeps front-end parameters and folds their descriptions', () => {
    const t = toolOf(
      analyze(
        file('a.py', {
          module: [assign('HELP', s('Where to look'))],
          registrations: [
            reg({
              name: 't',
              params: [{ name: 'path', description: id('HELP'), type: 'str', required: true }],
            }),
          ],
        }),
      ),
    );
    expect(t.parameters).toEqual([
      { name: 'path', description: 'Where to look', type: 'str', required: true },
    ]);
  });

  it('a schema it cannot read is reported, not guessed', () => {
    const a = analyze(
      file('a.ts', { registrations: [reg({ name: 't', schema: call('buildSchema', [lit(true)]) })] }),
    );
    expect(toolOf(a).parameters).toEqual([]);
    expect(a.unresolved[0]?.reason).toMatch(/schema/);
  });

  it('a registration inside a function sees that function’s locals', () => {
    const a = analyze(
      file('a.ts', {
        imports: [zImport],
        functions: [
          fn(
            'register',
            ['server'],
            [
              assign('NAME', s('local_tool')),
              assign('shape', obj({ x: zchain('string') })),
              ex(call('server.tool', [id('NAME')])),
            ],
            {
              line: 2,
              endLine: 9,
            },
          ),
        ],
        registrations: [reg({ name: id('NAME'), schema: id('shape'), line: 5 })],
      }),
    );
    expect(toolOf(a).name).toBe('local_tool');
    expect(toolOf(a).parameters.map((p) => p.name)).toEqual(['x']);
  });
});
