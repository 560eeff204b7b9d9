import { describe, expect, it } from 'vitest';
import { parseJs } from '../../../src/scan/js/index.js';
import { fixture, str } from './helpers.js';

const BEFORE =
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconst server = new McpServer({ name: 's', version: '1' });\nserver.tool('before', 'First tool', async () => ({ content: [] }));\n";
const AFTER = "\nserver.tool('after', 'Last tool', async () => ({ content: [] }));\n";

function toolNames(src: string, file = 'deep.js'): string[] {
  return parseJs(src, file)
    .registrations.map((r) => str(r.name) ?? '?')
    .sort();
}

describe('syntax errors', () => {
  it('finds tools before and after a broken function and records the error line', () => {
    const facts = fixture('syntax-error.ts');
    expect(facts.registrations.map((r) => [str(r.name), str(r.description), r.line])).toEqual([
      ['before', 'Registered before the broken function', 6],
      ['after', 'Registered after the broken function', 15],
    ]);
    expect(facts.parseErrors.length).toBeGreaterThan(0);
    expect(facts.parseErrors[0]?.line).toBe(11);
    expect(facts.imports.map((i) => i.module)).toEqual(['@modelcontextprotocol/sdk/server/mcp.js', 'zod']);
    // the recovered handler still has its body (a fetch call)
    const after = facts.registrations[1];
    const handler = facts.functions.find(
      (f) => after?.handler?.kind === 'function' && f.id === after.handler.id,
    );
    expect(JSON.stringify(handler?.body)).toContain('"fetch"');
  });

  it('recovers in plain JavaScript too', () => {
    const src = `${BEFORE}function oops() { return )( ; }${AFTER}`;
    expect(toolNames(src)).toEqual(['after', 'before']);
  });
});

describe('deep nesting', () => {
  const shapes: Record<string, (d: number) => string> = {
    brackets: (d) => `x = ${'['.repeat(d)}${']'.repeat(d)};`,
    parens: (d) => `x = ${'('.repeat(d)}a${')'.repeat(d)};`,
    objects: (d) => `x = ${'{a:'.repeat(d)}1${'}'.repeat(d)};`,
    functions: (d) => `${'function f(){'.repeat(d)}${'}'.repeat(d)}`,
    ifs: (d) => `${'if(a){'.repeat(d)}${'}'.repeat(d)}`,
    elseIfs: (d) => `if(a){}${'else if(a){}'.repeat(d)}`,
    ternaries: (d) => `x = ${'a?b:'.repeat(d)}c;`,
    arrows: (d) => `x = ${'a=>'.repeat(d)}1;`,
    templates: (d) => `x = ${'`${'.repeat(d)}1${'}`'.repeat(d)};`,
    unary: (d) => `x = ${'- '.repeat(d)}a;`,
    calls: (d) => `x = ${'f('.repeat(d)}${')'.repeat(d)};`,
    members: (d) => `x = a${'.b'.repeat(d)};`,
  };
  for (const [shape, make] of Object.entries(shapes)) {
    it(`survives 30,000-deep ${shape} and keeps the tools around them`, () => {
      const facts = parseJs(`${BEFORE}${make(30_000)}${AFTER}`, 'deep.js');
      expect(facts.registrations.map((r) => str(r.name)).sort()).toEqual(['after', 'before']);
    });
  }

  it('notes the cut', () => {
    const facts = parseJs(`${BEFORE}${shapes.parens?.(5000)}${AFTER}`, 'deep.js');
    expect(facts.notes.some((n) => n.message.includes('nesting deeper than'))).toBe(true);
  });

  it('cuts 3,000-deep arrays at MAX_IR_DEPTH with a note', () => {
    const facts = parseJs(`const x = ${'['.repeat(3000)}${']'.repeat(3000)};`, 'a.js');
    expect(facts.notes.length).toBeGreaterThan(0);
    let depth = 0;
    let e = facts.functions[0]?.body[0];
    let v = e?.k === 'assign' ? e.value : undefined;
    while (v?.k === 'array' && v.items[0]) {
      depth++;
      v = v.items[0];
    }
    expect(depth).toBeLessThanOrEqual(200);
    e = undefined;
  });

  it('survives deep nesting inside a file with syntax errors (TypeScript recovery path)', () => {
    const facts = parseJs(
      `${BEFORE}let = ;\nx = ${'('.repeat(20_000)}a${')'.repeat(20_000)};${AFTER}`,
      'deep.ts',
    );
    expect(facts.registrations.map((r) => str(r.name)).sort()).toEqual(['after', 'before']);
    expect(facts.parseErrors.length).toBeGreaterThan(0);
  });

  it('survives deep TypeScript type arguments', () => {
    const facts = parseJs(
      `${BEFORE}type T = ${'A<'.repeat(30_000)}B${'>'.repeat(30_000)};${AFTER}`,
      'deep.ts',
    );
    expect(facts.registrations.map((r) => str(r.name)).sort()).toEqual(['after', 'before']);
  });

  it('survives deep JSX', () => {
    const facts = parseJs(
      `${BEFORE}const el = ${'<a>'.repeat(30_000)}${'</a>'.repeat(30_000)};${AFTER}`,
      'deep.jsx',
    );
    expect(facts.registrations.map((r) => str(r.name)).sort()).toEqual(['after', 'before']);
  });
});

describe('garbage input', () => {
  it('does not throw on binary data', () => {
    let bytes = '';
    let seed = 12345;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes += String.fromCharCode(seed % 256);
    }
    const facts = parseJs(bytes, 'blob.js');
    expect(facts.registrations).toEqual([]);
    expect(facts.parseErrors.length).toBeGreaterThan(0);
  });

  it('does not throw on lone surrogates, NUL bytes and replacement characters', () => {
    const src = `${BEFORE}const s = '\uD800\u0000\uFFFD';\n\uDC00\u0000${AFTER}`;
    expect(() => parseJs(src, 'weird.ts')).not.toThrow();
  });

  it('parses declaration files as declarations', () => {
    const facts = parseJs(
      'export declare const version: string;\nexport declare function run(cmd: string): void;',
      'types/index.d.ts',
    );
    expect(facts.parseErrors).toEqual([]);
  });

  it('handles empty files and unknown extensions', () => {
    expect(parseJs('', 'empty.js').functions.map((f) => f.id)).toEqual(['<module>']);
    expect(parseJs('export const a = 1;', 'weird.es6').exports).toHaveLength(1);
  });
});

describe('large minified bundles', () => {
  it('completes on a ~5 MB single-line bundle and finds the tool inside it', { timeout: 300_000 }, () => {
    const modules: string[] = [];
    let length = 0;
    for (let i = 0; length < 5_000_000; i++) {
      const module = `${i}:function(e,t,n){"use strict";var r=n(${i + 1}),o=r&&r.__esModule?r:{default:r};function a${i}(e){return e+"${'x'.repeat(20)}"+(t.a||t.b?o.default(e):[1,2,3].map(function(x){return x*${i}}))}t.f${i}=a${i};},`;
      modules.push(module);
      length += module.length;
    }
    const tool =
      'rb:function(e,t,n){var s=new(n(7).McpServer)({name:"b"});s.tool("bundled","In a bundle",{},async()=>({content:[]}))},';
    const src = `!function(e){var t={};function n(r){return t[r]}n.m=e}({${modules.join('')}${tool}});`;
    const facts = parseJs(src, 'dist/bundle.min.js');
    expect(facts.functions.length).toBeGreaterThan(10_000);
    expect(facts.registrations.map((r) => str(r.name))).toEqual(['bundled']);
  });
});
