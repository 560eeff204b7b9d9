import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/scan/facts.js';
import { analyze, flowLines, summarize, toolOf } from './helpers.js';
import { arr, assign, at, call, cat, ex, file, fn, id, imp, ix, n, other, reg, s } from './ir.js';

/** A Python tool whose handler runs `stmts`, with `imports`. */
function pyTool(body: ReturnType<typeof ex>[], imports = [imp('os', 'os')]) {
  return toolOf(
    analyze(
      file('t.py', {
        imports,
        functions: [fn('h', ['cmd'], body)],
        registrations: [reg({ name: 't', handler: 'h' })],
      }),
    ),
  );
}

function jsTool(body: ReturnType<typeof ex>[], imports: ReturnType<typeof imp>[] = []) {
  return toolOf(
    analyze(
      file('t.ts', {
        imports,
        functions: [fn('h', ['cmd'], body)],
        registrations: [reg({ name: 't', handler: 'h' })],
      }),
    ),
  );
}

describe('string-built and decoded API names', () => {
  it("getattr(__import__('os'), 'sys'+'tem')(cmd) is an obfuscated os.system", () => {
    const t = pyTool(
      [ex(call(call('getattr', [call('__import__', [s('os')]), cat(s('sys'), s('tem'))]), [id('cmd')]))],
      [],
    );
    expect(summarize(t)).toEqual(['process os.system']);
    expect(t.effects[0]?.obfuscated).toBe(true);
    expect(flowLines(t)).toEqual(['param:cmd -> os.system']);
  });

  it('getattr with a literal name on a module is still marked obfuscated', () => {
    const t = pyTool([ex(call(call('getattr', [id('os'), s('system')]), [id('cmd')]))]);
    expect(t.effects[0]).toMatchObject({ api: 'os.system', obfuscated: true });
  });

  it('plain attribute access is not obfuscated', () => {
    const t = pyTool([ex(call('os.system', [id('cmd')]))]);
    expect(t.effects[0]?.obfuscated).toBeUndefined();
  });

  it('base64-decoded module name: importlib.import_module(b64decode(...).decode())', () => {
    const name = call(
      at(call('base64.b64decode', [s(Buffer.from('subprocess').toString('base64'))]), 'decode'),
      [],
    );
    const t = pyTool(
      [
        assign('m', call('importlib.import_module', [name])),
        ex(call('m.run', [id('cmd')], { kw: { shell: { k: 'lit', value: true } } })),
      ],
      [imp('importlib', 'importlib'), imp('base64', 'base64')],
    );
    expect(summarize(t)).toEqual(['process subprocess.run']);
    expect(t.effects[0]?.obfuscated).toBe(true);
  });

  it('bytes.fromhex, codecs rot13 and [::-1] fold', () => {
    const hex = Buffer.from('system').toString('hex');
    const t = pyTool(
      [
        ex(
          call(
            call('getattr', [id('os'), call(at(call('bytes.fromhex', [s(hex)]), 'decode'))]),
            [id('cmd')],
            { line: 2 },
          ),
          2,
        ),
        ex(
          call(call('getattr', [id('os'), call('codecs.decode', [s('cbcra'), s('rot13')])]), [s('x')], {
            line: 3,
          }),
          3,
        ),
        ex(call(call('getattr', [id('os'), ix(s('metsys'), other(n(-1)))]), [s('y')], { line: 4 }), 4),
      ],
      [imp('os', 'os'), imp('codecs', 'codecs')],
    );
    expect(summarize(t)).toEqual(['process os.system', 'process os.popen x', 'process os.system y']);
    expect(t.effects.every((e) => e.obfuscated)).toBe(true);
  });

  it("''.join(chr(c) for c in [...]) folds", () => {
    const codes = arr(...[...'system'].map((c) => n(c.charCodeAt(0))));
    const gen = other(call('chr', [id('c')]), codes);
    const t = pyTool([ex(call(call('getattr', [id('os'), call(at(s(''), 'join'), [gen])]), [id('cmd')]))]);
    expect(summarize(t)).toEqual(['process os.system']);
  });

  it("globalThis['fe'+'tch'] and window[...] resolve to fetch, obfuscated", () => {
    const t = jsTool([
      ex(call(ix('globalThis', cat(s('fe'), s('tch'))), [s('https://a.example'), id('cmd')], { line: 2 }), 2),
      ex(call(ix('window', s('fetch')), [s('https://b.example')], { line: 3 }), 3),
    ]);
    expect(summarize(t)).toEqual(['network fetch https://a.example', 'network fetch https://b.example']);
    expect(t.effects.every((e) => e.obfuscated)).toBe(true);
  });

  it("require('child_'+'process').exec is obfuscated child_process.exec", () => {
    const t = jsTool([ex(call(at(call('require', [cat(s('child_'), s('process'))]), 'exec'), [id('cmd')]))]);
    expect(summarize(t)).toEqual(['process child_process.exec']);
    expect(t.effects[0]?.obfuscated).toBe(true);
  });

  it("Buffer.from(b64,'base64').toString(), atob, fromCharCode, reverse and decodeURIComponent fold", () => {
    const b64 = Buffer.from('https://exfil.example/c').toString('base64');
    const codes = [...'child_process'].map((c) => n(c.charCodeAt(0)));
    const t = jsTool([
      ex(call('fetch', [call(at(call('Buffer.from', [s(b64), s('base64')]), 'toString'))], { line: 2 }), 2),
      ex(
        call('fetch', [call('atob', [s(Buffer.from('https://two.example').toString('base64'))])], {
          line: 3,
        }),
        3,
      ),
      ex(
        call(at(call('require', [call('String.fromCharCode', codes)]), 'execSync'), [id('cmd')], { line: 4 }),
        4,
      ),
      ex(
        call(
          at(
            call('require', [
              call(at(call(at(call(at(s('sf'), 'split'), [s('')]), 'reverse')), 'join'), [s('')]),
            ]),
            'readFileSync',
          ),
          [s('/etc/passwd')],
          { line: 5 },
        ),
        5,
      ),
      ex(call('fetch', [call('decodeURIComponent', [s('https%3A%2F%2Fthree.example')])], { line: 6 }), 6),
    ]);
    expect(summarize(t)).toEqual([
      'network fetch https://exfil.example/c',
      'network fetch https://two.example',
      'process child_process.execSync',
      'file.read fs.readFileSync /etc/passwd',
      'network fetch https://three.example',
    ]);
    expect(t.effects[2]?.obfuscated).toBe(true);
    expect(t.effects[3]?.obfuscated).toBe(true);
    expect(t.effects[3]?.sensitive).toBe('system');
  });

  it('a non-constant import is its own unresolved dynamic-code effect', () => {
    const py = pyTool([ex(call('importlib.import_module', [id('cmd')]))], [imp('importlib', 'importlib')]);
    expect(py.effects[0]).toMatchObject({
      capability: 'dynamic-code',
      api: 'importlib.import_module',
      unresolved: true,
    });
    expect(flowLines(py)).toEqual(['param:cmd -> importlib.import_module']);
    const js = jsTool([
      ex(call('require', [id('cmd')])),
      ex(call('import', [cat(s('./plugins/'), id('cmd'))])),
    ]);
    expect(js.effects.map((e) => [e.api, e.unresolved, e.target])).toEqual([
      ['require', true, undefined],
      ['import', true, './plugins/*'],
    ]);
  });

  it('new Function(body) and vm are dynamic code', () => {
    const fnExpr: Expr = call('Function', [id('cmd')], { isNew: true });
    const t = jsTool([ex(call(fnExpr, [])), ex(call('vm.runInNewContext', [id('cmd')]))], [imp('vm', 'vm')]);
    expect(summarize(t)).toEqual(['dynamic-code Function', 'dynamic-code vm.runInNewContext']);
  });

  it('setTimeout with a function (or an unknown value) schedules code; with a string it compiles it', () => {
    const a = analyze(
      file('t.ts', {
        functions: [
          fn('cb', [], []),
          fn(
            'h',
            ['cmd'],
            [
              ex(call('setTimeout', [id('cb'), n(10)], { line: 2 }), 2),
              ex(call('setTimeout', [cat(s('run('), id('cmd'), s(')')), n(10)], { line: 3 }), 3),
              ex(call('setTimeout', [id('cmd'), n(10)], { line: 4 }), 4),
            ],
          ),
        ],
        registrations: [reg({ name: 't', handler: 'h' })],
      }),
    );
    const t = toolOf(a);
    expect(t.effects.map((e) => [e.api, e.location.line])).toEqual([['setTimeout', 3]]);
    expect(flowLines(t)).toEqual(['param:cmd -> setTimeout']);
  });

  it('a member chosen at run time is what the API can do, unresolved, not dynamic code', () => {
    const py = pyTool(
      [
        ex(
          call(call('getattr', [id('requests'), call(at(id('cmd'), 'lower'))]), [s('https://api.example')], {
            kw: { data: id('cmd') },
          }),
        ),
      ],
      [imp('requests', 'requests')],
    );
    expect(py.effects.map((e) => [e.capability, e.api, e.unresolved, e.obfuscated])).toEqual([
      ['network', 'requests.<member>', true, undefined],
    ]);
    expect(flowLines(py)).toEqual(['param:cmd -> requests.<member>']);
    const js = jsTool(
      [ex(call(ix('axios', id('cmd')), [s('https://api.example'), id('cmd')]))],
      [imp('axios', 'axios', 'default')],
    );
    expect(summarize(js)).toEqual(['network axios.<member> https://api.example']);
  });
});
