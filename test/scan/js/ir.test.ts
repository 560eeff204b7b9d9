import { describe, expect, it } from 'vitest';
import type { Expr, Stmt } from '../../../src/scan/facts.js';
import { parseJs } from '../../../src/scan/js/index.js';
import { fixture, fn, moduleBody } from './helpers.js';

/** The value of the first assignment to `name` in the module body. */
function assigned(src: string, name: string, file = 'a.ts'): Expr {
  const facts = parseJs(src, file);
  const s = moduleBody(facts).find(
    (x) => x.k === 'assign' && x.target.k === 'name' && x.target.name === name,
  );
  if (s?.k !== 'assign') throw new Error(`no assignment to ${name}`);
  return s.value;
}

describe('expressions', () => {
  it('templates and + become concat; quasis are strings', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is JavaScript source under test
    expect(assigned('const u = `https://${host}/x?q=${q}`;', 'u')).toEqual({
      k: 'concat',
      parts: [
        { k: 'str', value: 'https://' },
        { k: 'name', name: 'host', line: 1 },
        { k: 'str', value: '/x?q=' },
        { k: 'name', name: 'q', line: 1 },
      ],
    });
    expect(assigned("const s = 'ev' + 'a' + 'l';", 's')).toEqual({
      k: 'concat',
      parts: [
        { k: 'str', value: 'ev' },
        { k: 'str', value: 'a' },
        { k: 'str', value: 'l' },
      ],
    });
  });

  it('?:, ||, ?? and && become choice', () => {
    expect(assigned('const v = a ? "x" : "y";', 'v')).toMatchObject({
      k: 'choice',
      options: [{ value: 'x' }, { value: 'y' }],
      test: { name: 'a' },
    });
    expect(assigned('const v = a || b ?? c;', 'v', 'a.js')).toMatchObject({ k: 'choice' });
    expect(assigned('const v = process.env.HOME ?? "/root";', 'v')).toMatchObject({
      k: 'choice',
      options: [
        { k: 'attr', name: 'HOME', object: { k: 'attr', name: 'env', object: { name: 'process' } } },
        { k: 'str', value: '/root' },
      ],
    });
  });

  it('keeps obfuscation shapes as plain IR for the flow engine to fold', () => {
    expect(assigned("const f = globalThis['fe' + 'tch'];", 'f')).toMatchObject({
      k: 'index',
      object: { k: 'name', name: 'globalThis' },
      index: { k: 'concat', parts: [{ value: 'fe' }, { value: 'tch' }] },
    });
    expect(assigned("const d = Buffer.from('ZXZhbA==', 'base64').toString();", 'd')).toMatchObject({
      k: 'call',
      callee: {
        k: 'attr',
        name: 'toString',
        object: {
          k: 'call',
          callee: { k: 'attr', name: 'from' },
          args: [{ value: 'ZXZhbA==' }, { value: 'base64' }],
        },
      },
    });
    expect(assigned("const j = ['ev', 'al'].join('');", 'j')).toMatchObject({
      k: 'call',
      callee: { k: 'attr', name: 'join', object: { k: 'array', items: [{ value: 'ev' }, { value: 'al' }] } },
    });
    expect(assigned('const c = String.fromCharCode(101, 118);', 'c')).toMatchObject({
      k: 'call',
      args: [
        { k: 'num', value: 101 },
        { k: 'num', value: 118 },
      ],
    });
    expect(assigned("const k = process.env['API_KEY'];", 'k')).toMatchObject({
      k: 'index',
      index: { k: 'str', value: 'API_KEY' },
    });
    expect(assigned("const a = atob('ZXZhbA==');", 'a')).toMatchObject({
      k: 'call',
      callee: { k: 'name', name: 'atob' },
    });
  });

  it('makes await, parentheses, as, satisfies and ! transparent; optional chaining is plain access', () => {
    // (an ES module: in a script, top-level `await (x)` is a call of a function named await)
    expect(
      assigned("import u from 'u';\nconst r = (await (fetch(u) as Promise<Response>))!;", 'r'),
    ).toMatchObject({ k: 'call', callee: { k: 'name', name: 'fetch' } });
    expect(assigned('const c = { a: 1 } satisfies C;', 'c')).toMatchObject({ k: 'object' });
    expect(assigned('const r = a?.b?.[c]?.(d);', 'r')).toMatchObject({
      k: 'call',
      callee: {
        k: 'index',
        object: { k: 'attr', name: 'b', object: { k: 'name', name: 'a' } },
        index: { k: 'name', name: 'c' },
      },
      args: [{ k: 'name', name: 'd' }],
    });
  });

  it('new, tagged templates, spread, dynamic import, sequence', () => {
    expect(assigned('const x = new URL(p, base);', 'x')).toMatchObject({
      k: 'call',
      isNew: true,
      callee: { name: 'URL' },
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is JavaScript source under test
    expect(assigned('const x = $`rm -rf ${dir}`;', 'x')).toMatchObject({
      k: 'call',
      callee: { name: '$' },
      args: [{ k: 'concat', parts: [{ value: 'rm -rf ' }, { name: 'dir' }] }],
    });
    expect(assigned('const x = f(...args);', 'x')).toMatchObject({
      k: 'call',
      args: [{ k: 'other', parts: [{ name: 'args' }] }],
    });
    expect(assigned("const m = await import('node:fs');", 'm')).toMatchObject({
      k: 'call',
      callee: { name: 'import' },
      args: [{ value: 'node:fs' }],
    });
    // bundler idiom: (0, _fs.readFileSync)(p) calls readFileSync
    expect(assigned('const t = (0, _fs.readFileSync)(p);', 't', 'a.js')).toMatchObject({
      k: 'call',
      callee: { k: 'attr', name: 'readFileSync' },
    });
  });

  it('records call line and column at the called name', () => {
    const v = assigned('const r = axios\n  .post(url);', 'r');
    expect(v).toMatchObject({ k: 'call', line: 2, column: 4 });
  });

  it('flattens a 50,000-term + chain without losing operands', () => {
    const src = `const big = ${Array.from({ length: 50_000 }, (_, i) => `'${i % 10}'`).join(' + ')};`;
    const v = assigned(src, 'big', 'a.js');
    expect(v.k === 'concat' && v.parts.length).toBe(50_000);
  });
});

describe('statements', () => {
  function body(src: string, id = '<module>'): Stmt[] {
    return fn(parseJs(src, 'a.ts'), id).body;
  }

  it('turns switch into sibling ifs testing discriminant == case, with fallthrough cases merged', () => {
    const b = body(
      "function f(x) { switch (x) { case 'a': case 'b': g(); break; case 'c': h(); break; default: k(); } }",
      'f',
    );
    expect(b.map((s) => s.k)).toEqual(['if', 'if', 'block']);
    expect(b[0]).toMatchObject({
      k: 'if',
      test: { k: 'other', parts: [{ name: 'x' }, { value: 'a' }, { value: 'b' }] },
    });
  });

  it('converts loops, try, labels, throw, += and member targets', () => {
    const b = body(
      'function f(list) { let s = ""; outer: for (const { path } of list) { s += path; } try { this.x = 1; } catch (e) { throw e; } finally { done(); } while (a) {} }',
      'f',
    );
    expect(b.map((s) => s.k)).toEqual(['assign', 'loop', 'block', 'loop']);
    const loop = b[1] as Extract<Stmt, { k: 'loop' }>;
    expect(loop.target).toEqual({
      k: 'pattern',
      items: [{ key: 'path', target: { k: 'name', name: 'path' } }],
    });
    expect(loop.body[0]).toMatchObject({
      k: 'assign',
      target: { k: 'name', name: 's' },
      value: { k: 'concat', parts: [{ name: 's' }, { name: 'path' }] },
    });
    const tryBlock = b[2] as Extract<Stmt, { k: 'block' }>;
    expect(tryBlock.body.map((s) => s.k)).toEqual(['assign', 'assign', 'throw', 'expr']);
    expect(tryBlock.body[0]).toMatchObject({ target: { k: 'member', name: 'x', object: { name: 'this' } } });
  });

  it('hoists assignments nested in expressions before their statement', () => {
    const b = body('let m; if ((m = re.exec(s))) use(m);');
    expect(b.map((s) => s.k)).toEqual(['assign', 'if']);
  });

  it('expression-bodied arrows return their expression', () => {
    const facts = parseJs('const get = (u) => fetch(u);', 'a.js');
    expect(fn(facts, 'get').body).toMatchObject([{ k: 'return', value: { k: 'call' } }]);
    expect(moduleBody(facts)[0]).toMatchObject({ k: 'assign', value: { k: 'func', id: 'get' } });
  });
});

describe('functions, params and docs', () => {
  const facts = parseJs(
    [
      '/**',
      ' * Sends a message.',
      ' * @param to recipient',
      ' */',
      "export async function send(to: string, body = 'hi', { cc, bcc: [first] }: Opts = {}, ...rest: string[]) {}",
      'class Mailer { /** Connects. */ connect(host) {} static make = () => new Mailer(); }',
      'const api = { get(url) {}, post: async function (url, data) {} };',
      'setTimeout(() => 1, 10);',
    ].join('\n'),
    'a.ts',
  );

  it('reads params with defaults, annotations, destructuring and rest', () => {
    const send = fn(facts, 'send');
    expect(send.doc).toBe('Sends a message.\n@param to recipient');
    expect(send.params.map((p) => p.name)).toEqual(['to', 'body', '{ cc, bcc: [first] }', 'rest']);
    expect(send.params[0]?.annotation).toBe('string');
    expect(send.params[1]?.default).toEqual({ k: 'str', value: 'hi' });
    expect(send.params[2]?.destructured).toEqual(['cc', 'first']);
    expect(send.params[3]?.rest).toBe(true);
    expect(send.line).toBe(5);
  });

  it('names methods Class.method and obj.method, anonymous functions <arrow@L:C>', () => {
    expect(fn(facts, 'Mailer.connect').doc).toBe('Connects.');
    expect(fn(facts, 'Mailer.connect').className).toBe('Mailer');
    expect(fn(facts, 'Mailer.make').name).toBe('make');
    expect(fn(facts, 'api.get').name).toBe('get');
    expect(fn(facts, 'api.post').params.map((p) => p.name)).toEqual(['url', 'data']);
    expect(facts.functions.some((f) => f.id === '<arrow@8:12>')).toBe(true);
  });
});

describe('imports and exports', () => {
  it('reads ESM imports (default, named with alias, namespace), strips node:, skips type-only', () => {
    const facts = parseJs(
      "import fs, { readFile as rf } from 'node:fs';\nimport * as cp from 'child_process';\nimport type { X } from 'x';\nimport { type Y, z } from 'zod';\nimport 'side-effect';",
      'a.ts',
    );
    expect(facts.imports).toEqual([
      { local: 'fs', module: 'fs', imported: 'default', line: 1 },
      { local: 'rf', module: 'fs', imported: 'readFile', line: 1 },
      { local: 'cp', module: 'child_process', imported: '*', line: 2 },
      { local: 'z', module: 'zod', imported: 'z', line: 4 },
    ]);
  });

  it('reads ESM and TS exports', () => {
    const facts = parseJs(
      [
        'export function a() {}',
        'export const b = 1, { c } = o;',
        'export class D {}',
        'export { b as e };',
        "export { f as g } from './f';",
        "export * from './all';",
        "export * as ns from './ns';",
        'export type { T } from "./t";',
        'export default async () => 1;',
      ].join('\n'),
      'a.ts',
    );
    expect(facts.exports).toEqual([
      { exported: 'a', local: 'a', line: 1 },
      { exported: 'b', local: 'b', line: 2 },
      { exported: 'c', local: 'c', line: 2 },
      { exported: 'D', local: 'D', line: 3 },
      { exported: 'e', local: 'b', line: 4 },
      { exported: 'g', from: './f', imported: 'f', line: 5 },
      { exported: '*', from: './all', imported: '*', line: 6 },
      { exported: 'ns', from: './ns', imported: '*', line: 7 },
      { exported: 'default', local: 'default', line: 9 },
    ]);
    expect(fn(facts, 'default').line).toBe(9);
  });

  it('reads CommonJS exports and top-level requires', () => {
    const facts = fixture('commonjs.js');
    expect(facts.language).toBe('javascript');
    expect(facts.imports).toEqual([
      { local: 'run', module: 'child_process', imported: 'exec', line: 2 },
      { local: 'https', module: 'https', imported: '*', line: 3 },
      { local: 'helper', module: './helper', imported: 'helper', line: 4 },
    ]);
    expect(facts.exports).toEqual([
      { exported: 'runCommand', local: 'runCommand', line: 19 },
      { exported: 'util', local: 'util', line: 19 },
      { exported: 'other', local: 'helper', line: 19 },
      { exported: 'extra', local: 'module.exports.extra', line: 20 },
      { exported: 'version', line: 21 },
    ]);
    expect(fn(facts, 'util.get').doc).toBe('Gets a URL.');
    expect(fn(facts, 'module.exports.extra').name).toBe('extra');
  });
});
