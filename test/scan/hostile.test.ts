// Hostile input through the whole pipeline: nothing crashes, nothing hangs, every skip is reported.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import { scanPaths } from '../../src/scan/scan.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-hostile-'));
  const w = (rel: string, content: string | Buffer) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  };
  // A syntax error between two tools must not hide either of them.
  w(
    'broken.py',
    [
      'from mcp.server.fastmcp import FastMCP',
      'mcp = FastMCP("x")',
      '@mcp.tool()',
      'def before(a: str) -> str:',
      '    """First tool."""',
      '    return a',
      'def oops(:',
      '    return ]]',
      '@mcp.tool()',
      'def after(b: str) -> str:',
      '    """Second tool."""',
      '    return b',
      '',
    ].join('\n'),
  );
  w(
    'broken.ts',
    [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "const server = new McpServer({ name: 'x', version: '1' });",
      "server.tool('first', 'First tool.', async () => ({ content: [] }));",
      'function broken( { return ) }',
      "server.tool('second', 'Second tool.', async () => ({ content: [] }));",
      '',
    ].join('\n'),
  );
  w('deep.py', `x = ${'['.repeat(3000)}${']'.repeat(3000)}\ny = ${'('.repeat(3000)}1${')'.repeat(3000)}\n`);
  w(
    'deep.js',
    `const x = ${'['.repeat(3000)}${']'.repeat(3000)};\nconst y = ${'('.repeat(3000)}1${')'.repeat(3000)};\n`,
  );
  w('chain.js', `const s = ${Array.from({ length: 50_000 }, (_, i) => `a${i}`).join('+')};\n`);
  // A 5 MB minified bundle: one long line of many small functions.
  const fns: string[] = [];
  for (let i = 0, size = 0; size < 5 * 1024 * 1024; i++) {
    const fn = `function f${i}(a,b){return a+b*${i}+fetch("https://x.example/"+a)}`;
    fns.push(fn);
    size += fn.length + 1;
  }
  w('bundle.min.js', fns.join(';'));
  w('binary.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
  w('latin1.py', Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 1\n')]));
  w('redos.py', `s = "${'a'.repeat(100_000)}!"\n# ${'('.repeat(50_000)}\n`);
  w('empty.ts', '');
  mkdirSync(join(dir, 'loop'));
  symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'again'));
  symlinkSync('/etc/passwd', join(dir, 'outside.py'));
  w('huge.py', `x = 1\n${'#'.repeat(9 * 1024 * 1024)}\n`);
  w('manifest.json', '{"tools": [{"name": 1}]}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan on hostile input', () => {
  it('finishes, finds the tools around syntax errors, and reports every skip', async () => {
    const r = await scanPaths([dir], { cwd: dir });
    const names = r.tools.map((t) => t.name).sort();
    expect(names).toEqual(expect.arrayContaining(['after', 'before', 'first', 'second']));
    const skipped = Object.fromEntries(r.coverage.skipped.map((s) => [s.rel, s.reason]));
    expect(skipped['binary.py']).toBe('binary');
    expect(skipped['huge.py']).toBe('too-large');
    expect(skipped['outside.py']).toBe('link-outside-tree');
    expect(skipped['manifest.json']).toBe('invalid-manifest');
    expect(r.coverage.parseErrors.some((e) => e.file === 'broken.py')).toBe(true);
    expect(r.coverage.parseErrors.some((e) => e.file === 'broken.ts')).toBe(true);
    expect(r.coverage.notes.some((n) => n.file === 'latin1.py' && /UTF-8/.test(n.message))).toBe(true);
    for (const f of ['deep.py', 'deep.js', 'chain.js', 'bundle.min.js', 'redos.py', 'empty.ts'])
      expect(skipped[f], f).toBeUndefined();
  }, 120_000);

  it('a malformed manifest named on the command line is an input error with its location', async () => {
    const err = await scanPaths([join(dir, 'manifest.json')], { cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect((err as PortcullisError).format()).toMatch(/^manifest\.json:1:\d+: .*name/);
  });
});
