import { describe, expect, it } from 'vitest';
import { MODULE_FUNCTION_ID } from '../../../src/scan/facts.js';
import { fn, parseSource, shape } from './helpers.js';

const SOURCE = `import os
BASE = "https://x"

def outer(path, *args, mode: str = "r", **kw):
    """Open a file.
    Detail:
        Indented detail.
    """
    global COUNTER
    a, (b, *c) = split(path)
    obj.attr = a
    table["k"] = b
    total: int = 0
    total += 1
    msg = "x"
    msg += path
    for i, line in enumerate(open(path)):
        use(line)
    else:
        done()
    while check():
        step()
    with open(path) as f, lock:
        data = f.read()
    try:
        risky()
    except OSError as e:
        log(e)
    finally:
        close()
    if a:
        one()
    elif b:
        two()
    else:
        three()
    match mode:
        case "r" | "rb":
            read()
        case "w":
            write()
        case _:
            other()
    def inner(q):
        return q
    raise ValueError(msg)

class Weather(Base, metaclass=Meta):
    """A class."""
    name: str = "weather"
    description = "Get " + "weather"
    count: int
    def _run(self, city):
        return city
    class Inner:
        def deep(self):
            pass

@decorate(1)
@other
async def top():
    return None
`;

describe('Python statements → IR', () => {
  it('collects every function with qualified ids and keeps defs out of <module>', async () => {
    const facts = await parseSource(SOURCE);
    expect(facts.functions.map((f) => f.id)).toEqual([
      MODULE_FUNCTION_ID,
      'outer.inner',
      'outer',
      'Weather._run',
      'Weather.Inner.deep',
      'top',
    ]);
    const module = fn(facts, MODULE_FUNCTION_ID);
    expect(shape(module.body)).toEqual([
      { k: 'assign', target: { k: 'name', name: 'BASE' }, value: { k: 'str', value: 'https://x' } },
    ]);
    expect(fn(facts, 'top').decorators.map((d) => d.k)).toEqual(['call', 'name']);
    expect(fn(facts, 'Weather._run').className).toBe('Weather');
    expect(fn(facts, 'Weather.Inner.deep').className).toBe('Weather.Inner');
  });

  it('reads params, docstring (cleandoc) and line ranges', async () => {
    const facts = await parseSource(SOURCE);
    const outer = fn(facts, 'outer');
    expect(outer).toMatchObject({ line: 4, endLine: 46, doc: 'Open a file.\nDetail:\n    Indented detail.' });
    expect(shape(outer.params)).toEqual([
      { name: 'path' },
      { name: 'args', rest: true },
      { name: 'mode', annotation: 'str', default: { k: 'str', value: 'r' } },
      { name: 'kw', rest: true },
    ]);
  });

  it('converts assignments, loops, with, try, if/elif, match and raise', async () => {
    const facts = await parseSource(SOURCE);
    const body = shape(fn(facts, 'outer').body) as { k: string }[];
    expect(body.map((s) => s.k)).toEqual([
      'assign', // a, (b, *c) = ...
      'assign', // obj.attr
      'assign', // table["k"]
      'assign', // total: int = 0
      'assign', // total += 1
      'assign', // msg = "x"
      'assign', // msg += path
      'loop',
      'block', // for-else
      'loop',
      'with',
      'block', // try
      'if',
      'if', // match
      'assign', // def inner
      'throw',
    ]);
    expect(body[0]).toMatchObject({
      target: {
        k: 'pattern',
        items: [
          { key: null, target: { k: 'name', name: 'a' } },
          {
            key: null,
            target: {
              k: 'pattern',
              items: [{ key: null, target: { k: 'name', name: 'b' } }],
              rest: { k: 'name', name: 'c' },
            },
          },
        ],
      },
    });
    expect(body[1]).toMatchObject({
      target: { k: 'member', object: { k: 'name', name: 'obj' }, name: 'attr' },
    });
    expect(body[2]).toMatchObject({ target: { k: 'member', name: 'k' } });
    expect(body[6]).toEqual({
      k: 'assign',
      target: { k: 'name', name: 'msg' },
      value: {
        k: 'concat',
        parts: [
          { k: 'name', name: 'msg' },
          { k: 'name', name: 'path' },
        ],
      },
    });
    expect(body[7]).toMatchObject({
      k: 'loop',
      target: { k: 'pattern' },
      iter: { k: 'call', callee: { k: 'name', name: 'enumerate' } },
    });
    expect(body[9]).toMatchObject({
      k: 'loop',
      target: null,
      iter: { k: 'call', callee: { k: 'name', name: 'check' } },
    });
    expect(body[10]).toMatchObject({
      k: 'with',
      items: [
        { value: { k: 'call', callee: { k: 'name', name: 'open' } }, target: { k: 'name', name: 'f' } },
        { value: { k: 'name', name: 'lock' }, target: null },
      ],
    });
    expect((body[11] as unknown as { body: unknown[] }).body).toHaveLength(3);
    expect(body[12]).toMatchObject({
      k: 'if',
      body: [{ k: 'expr' }],
      orelse: [{ k: 'if', orelse: [{ k: 'expr' }] }],
    });
    expect(body[13]).toMatchObject({
      k: 'if',
      test: {
        k: 'other',
        parts: [
          { k: 'name', name: 'mode' },
          { k: 'str', value: '"r" | "rb"' },
        ],
      },
      orelse: [
        { k: 'if', orelse: [{ k: 'expr', value: { k: 'call', callee: { k: 'name', name: 'other' } } }] },
      ],
    });
    expect(body[14]).toEqual({
      k: 'assign',
      target: { k: 'name', name: 'inner' },
      value: { k: 'func', id: 'outer.inner' },
    });
    expect(body[15]).toMatchObject({
      k: 'throw',
      value: { k: 'call', callee: { k: 'name', name: 'ValueError' } },
    });
  });

  it('records classes with bases, fields (annotated too) and methods', async () => {
    const facts = await parseSource(SOURCE);
    expect(facts.classes.map((c) => c.name)).toEqual(['Weather.Inner', 'Weather']);
    const weather = facts.classes.find((c) => c.name === 'Weather');
    expect(weather).toMatchObject({ line: 48, endLine: 57, methods: ['Weather._run'] });
    expect(shape(weather?.bases)).toEqual([{ k: 'name', name: 'Base' }]);
    expect(shape(weather?.fields)).toEqual([
      { name: 'name', value: { k: 'str', value: 'weather' } },
      { name: 'description', value: { k: 'str', value: 'Get weather' } },
    ]);
  });
});

describe('imports', () => {
  it('records every import form with its local binding', async () => {
    const facts = await parseSource(
      [
        'import a.b as c, os.path',
        'import requests as r',
        'from os import system as s, popen',
        'from .util import f',
        'from . import util',
        'from ..pkg.mod import *',
        'from x import (y as z,',
        '    w)',
        'def later():',
        '    import subprocess',
      ].join('\n'),
    );
    expect(facts.imports.map(({ local, module, imported, line }) => [local, module, imported, line])).toEqual(
      [
        ['c', 'a.b', '*', 1],
        ['os', 'os', '*', 1],
        ['r', 'requests', '*', 2],
        ['s', 'os', 'system', 3],
        ['popen', 'os', 'popen', 3],
        ['f', '.util', 'f', 4],
        ['util', '.', 'util', 5],
        ['*', '..pkg.mod', '*', 6],
        ['z', 'x', 'y', 7],
        ['w', 'x', 'w', 7],
        ['subprocess', 'subprocess', '*', 10],
      ],
    );
  });
});
