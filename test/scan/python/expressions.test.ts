import { describe, expect, it } from 'vitest';
import type { Expr, Stmt } from '../../../src/scan/facts.js';
import { MODULE_FUNCTION_ID } from '../../../src/scan/facts.js';
import { fn, parseSource, shape } from './helpers.js';

/** The value assigned by the first statement of a one-line module. */
async function assignedValue(source: string): Promise<unknown> {
  const facts = await parseSource(source);
  const first = fn(facts, MODULE_FUNCTION_ID).body[0] as Stmt;
  if (first.k !== 'assign' && first.k !== 'expr') throw new Error(`unexpected ${first.k}`);
  return shape(first.value);
}

const nm = (n: string): Expr => ({ k: 'name', name: n }) as Expr;
const s = (value: string): Expr => ({ k: 'str', value });

describe('Python expressions → IR', () => {
  it('folds implicit concatenation, escapes, raw strings and bytes (latin1)', async () => {
    expect(await assignedValue('x = "a" \'b\' """c"""')).toEqual(s('abc'));
    expect(await assignedValue('x = "tab\\there\\x41\\u00e9\\N{BULLET}"')).toEqual(
      s('tab\there\x41é\\N{BULLET}'),
    );
    expect(await assignedValue('x = r"\\d+\\n"')).toEqual(s('\\d+\\n'));
    expect(await assignedValue('x = b"\\xff\\x00os"')).toEqual(s('\xff\x00os'));
    expect(await assignedValue('x = b"\\u0041"')).toEqual(s('\\u0041'));
  });

  it('turns f-strings into concatenations of their parts', async () => {
    expect(await assignedValue('x = f"curl {url!r} -d {{data}}: {payload:>10}"')).toEqual({
      k: 'concat',
      parts: [s('curl '), nm('url'), s(' -d {data}: '), nm('payload')],
    });
    expect(await assignedValue('x = "http://" f"{host}" "/x"')).toEqual({
      k: 'concat',
      parts: [s('http://'), nm('host'), s('/x')],
    });
  });

  it('models +, %, str.format and "".join as concatenation', async () => {
    expect(await assignedValue("x = 'sys' + 'tem'")).toEqual(s('system'));
    expect(await assignedValue("x = base + '/api/' + key")).toEqual({
      k: 'concat',
      parts: [nm('base'), s('/api/'), nm('key')],
    });
    expect(await assignedValue("x = 'rm -rf %s/%d%%' % (path, n)")).toEqual({
      k: 'concat',
      parts: [s('rm -rf '), nm('path'), s('/'), nm('n'), s('%')],
    });
    expect(await assignedValue("x = '%(host)s:1' % {'host': h}")).toEqual({
      k: 'concat',
      parts: [nm('h'), s(':1')],
    });
    expect(await assignedValue("x = '{}{}'.format('ev', 'al')")).toEqual(s('eval'));
    expect(await assignedValue("x = '{0}/{name}'.format(a, name=b)")).toEqual({
      k: 'concat',
      parts: [nm('a'), s('/'), nm('b')],
    });
    expect(await assignedValue('x = tpl.format(a)')).toEqual({ k: 'concat', parts: [nm('tpl'), nm('a')] });
    expect(await assignedValue("x = ''.join(['o', 's'])")).toEqual(s('os'));
    expect(await assignedValue("x = '/'.join([a, 'b'])")).toEqual({ k: 'concat', parts: [nm('a'), s('/b')] });
  });

  it("keeps getattr(__import__('os'), 'sys'+'tem') foldable", async () => {
    expect(await assignedValue("getattr(__import__('os'), 'sys' + 'tem')('id')")).toEqual({
      k: 'call',
      callee: {
        k: 'call',
        callee: nm('getattr'),
        args: [{ k: 'call', callee: nm('__import__'), args: [s('os')], kwargs: [] }, s('system')],
        kwargs: [],
      },
      args: [s('id')],
      kwargs: [],
    });
  });

  it('keeps bytes.fromhex, base64 and os.environ.get calls with literal arguments', async () => {
    expect(await assignedValue("x = bytes.fromhex('6f73')")).toEqual({
      k: 'call',
      callee: { k: 'attr', object: nm('bytes'), name: 'fromhex' },
      args: [s('6f73')],
      kwargs: [],
    });
    expect(await assignedValue("x = base64.b64decode(b'b3M=').decode()")).toMatchObject({
      k: 'call',
      callee: { k: 'attr', name: 'decode', object: { k: 'call', args: [s('b3M=')] } },
    });
    expect(await assignedValue("x = os.environ.get('AWS_SECRET_ACCESS_KEY', '')")).toEqual({
      k: 'call',
      callee: { k: 'attr', object: { k: 'attr', object: nm('os'), name: 'environ' }, name: 'get' },
      args: [s('AWS_SECRET_ACCESS_KEY'), s('')],
      kwargs: [],
    });
    expect(await assignedValue("x = os.environ['HOME']")).toEqual({
      k: 'index',
      object: { k: 'attr', object: nm('os'), name: 'environ' },
      index: s('HOME'),
    });
  });

  it('separates keyword arguments, *args and **kwargs', async () => {
    expect(await assignedValue('f(a, *rest, key=v, **opts)')).toEqual({
      k: 'call',
      callee: nm('f'),
      args: [nm('a'), { k: 'other', parts: [nm('rest')] }],
      kwargs: [
        { name: 'key', value: nm('v') },
        { name: '**', value: nm('opts') },
      ],
    });
  });

  it('maps containers, choices, comprehensions, await and numbers', async () => {
    expect(await assignedValue("x = {'a': 1, **extra, k: v}")).toEqual({
      k: 'object',
      props: [
        { key: 'a', value: { k: 'num', value: 1 } },
        { key: null, value: nm('extra') },
        { key: null, value: nm('v') },
      ],
    });
    expect(await assignedValue('x = [a, (b, c), {d}]')).toEqual({
      k: 'array',
      items: [nm('a'), { k: 'array', items: [nm('b'), nm('c')] }, { k: 'array', items: [nm('d')] }],
    });
    expect(await assignedValue('x = a if t else b')).toEqual({
      k: 'choice',
      options: [nm('a'), nm('b')],
      test: nm('t'),
    });
    expect(await assignedValue('x = a or b')).toEqual({ k: 'choice', options: [nm('a'), nm('b')] });
    expect(await assignedValue('x = [f(i) for i in items if i]')).toEqual({
      k: 'other',
      parts: [{ k: 'call', callee: nm('f'), args: [nm('i')], kwargs: [] }, nm('items'), nm('i')],
    });
    expect(await assignedValue('x = await (fetch(u))')).toEqual({
      k: 'call',
      callee: nm('fetch'),
      args: [nm('u')],
      kwargs: [],
    });
    expect(await assignedValue('x = (0x1F, 1_000, -2.5, True, None)')).toEqual({
      k: 'array',
      items: [
        { k: 'num', value: 31 },
        { k: 'num', value: 1000 },
        { k: 'num', value: -2.5 },
        { k: 'lit', value: true },
        { k: 'lit', value: null },
      ],
    });
  });

  it('turns lambdas into functions and walrus into an assignment before the statement', async () => {
    const facts = await parseSource('cb = lambda p: run(p)\nif (m := match(x)):\n    use(m)\n');
    const body = fn(facts, MODULE_FUNCTION_ID).body;
    expect(shape(body[0])).toEqual({
      k: 'assign',
      target: { k: 'name', name: 'cb' },
      value: { k: 'func', id: '<lambda@1:6>' },
    });
    const lambda = fn(facts, '<lambda@1:6>');
    expect(lambda.params).toEqual([{ name: 'p' }]);
    expect(shape(lambda.body)).toEqual([
      { k: 'return', value: { k: 'call', callee: nm('run'), args: [nm('p')], kwargs: [] } },
    ]);
    expect(shape(body[1])).toEqual({
      k: 'assign',
      target: { k: 'name', name: 'm' },
      value: { k: 'call', callee: nm('match'), args: [nm('x')], kwargs: [] },
    });
    expect(body[2]?.k).toBe('if');
  });
});
