import { describe, expect, it } from 'vitest';
import type { Expr, FileFacts, FunctionFact, Stmt } from '../../../src/scan/facts.js';
import { analyzePackage } from '../../../src/scan/flow.js';
import { analyze, flowLines, summarize, toolOf } from './helpers.js';
import { assign, at, call, cat, ex, exp, file, fn, id, imp, loop, obj, reg, ret, s, when } from './ir.js';

describe('termination and bounds', () => {
  it('mutual recursion terminates and still finds the effects', () => {
    const a = analyze(
      file('r.ts', {
        functions: [
          fn(
            'ping',
            ['x'],
            [
              when(id('x'), [ex(call('pong', [id('x')]))]),
              ex(call('fetch', [s('https://p.example'), obj({ body: id('x') })])),
            ],
          ),
          fn('pong', ['y'], [ex(call('ping', [id('y')])), ex(call('eval', [id('y')]))]),
          fn('self', ['z'], [ret(call('self', [id('z')]))]),
          fn('h', ['q'], [ex(call('ping', [id('q')])), ex(call('self', [id('q')]))]),
        ],
        registrations: [reg({ name: 't', handler: 'h' })],
      }),
    );
    const t = toolOf(a);
    expect(summarize(t).sort()).toEqual(['dynamic-code eval', 'network fetch https://p.example']);
    expect(flowLines(t).sort()).toEqual(['param:q -> eval', 'param:q -> fetch']);
  });

  it('import cycles between files terminate', () => {
    const a = analyze(
      file('a.ts', {
        imports: [imp('b', './b.js', 'b')],
        exports: [exp('a', { local: 'a' }), exp('*', { from: './b.js' })],
        functions: [fn('a', ['x'], [ex(call('b', [id('x')]))])],
        registrations: [reg({ name: 't', handler: id('a') })],
      }),
      file('b.ts', {
        imports: [imp('a', './a.js', 'a')],
        exports: [exp('b', { local: 'b' }), exp('*', { from: './a.js' })],
        functions: [fn('b', ['y'], [ex(call('a', [id('y')])), ex(call('fetch', [id('y')]))])],
      }),
    );
    expect(flowLines(toolOf(a))).toEqual(['param:x -> fetch']);
  });

  it('3,000-deep expressions and statements do not overflow', () => {
    let e: Expr = id('q');
    for (let i = 0; i < 3000; i++)
      e = i % 3 === 0 ? cat(e, s('x')) : i % 3 === 1 ? at(e, 'p') : call(at(e, 'm'), [s('y')]);
    let st: Stmt[] = [ex(call('fetch', [e]))];
    for (let i = 0; i < 3000; i++) st = [i % 2 ? when(id('q'), st) : loop('v', id('q'), st)];
    const t = toolOf(
      analyze(
        file('d.ts', {
          functions: [fn('h', ['q'], [...st, ex(call('fetch', [s('https://ok.example')]))])],
          registrations: [reg({ name: 't', handler: 'h' })],
        }),
      ),
    );
    expect(t.effects.some((x) => x.target === 'https://ok.example')).toBe(true);
  });

  it('a 3,000-long call chain and a 3,000-file re-export chain are cut, not overflowed', () => {
    const fns: FunctionFact[] = [];
    for (let i = 0; i < 3000; i++) fns.push(fn(`f${i}`, ['x'], [ex(call(`f${i + 1}`, [id('x')]))]));
    fns.push(fn('f3000', ['x'], [ex(call('eval', [id('x')]))]));
    fns.push(fn('h', ['q'], [ex(call('f2990', [id('q')])), ex(call('f0', [id('q')]))]));
    const t = toolOf(
      analyze(file('c.ts', { functions: fns, registrations: [reg({ name: 't', handler: 'h' })] })),
    );
    expect(t.effects[0]?.callPath).toEqual(
      ['h', ...Array.from({ length: 10 }, (_, i) => `f${2990 + i}`), 'f3000'].slice(0, 16),
    );

    const files: FileFacts[] = [];
    for (let i = 0; i < 3000; i++)
      files.push(file(`m${i}.ts`, { exports: [exp('*', { from: `./m${i + 1}.js` })] }));
    files.push(
      file('m3000.ts', {
        exports: [exp('x', { local: 'x' })],
        functions: [fn('x', [], [ex(call('eval', [s('1')]))])],
      }),
    );
    files.push(
      file('main.ts', {
        imports: [imp('x', './m0.js', 'x')],
        registrations: [reg({ name: 't', handler: id('x') })],
      }),
    );
    expect(() => analyze(...files)).not.toThrow();
  });

  it('loops converge: taint carried around a loop reaches the sink', () => {
    const t = toolOf(
      analyze(
        file('l.py', {
          imports: [imp('requests', 'requests')],
          functions: [
            fn(
              'h',
              ['q'],
              [
                assign('acc', s('')),
                assign('out', s('')),
                loop('i', call('range', [{ k: 'num', value: 3 }]), [
                  assign('out', cat(id('out'), id('acc'))),
                  assign('acc', cat(id('acc'), id('q'))),
                ]),
                ex(call('requests.get', [s('https://l.example')], { kw: { params: id('out') } })),
              ],
            ),
          ],
          registrations: [reg({ name: 't', handler: 'h' })],
        }),
      ),
    );
    expect(flowLines(t)).toEqual(['param:q -> requests.get']);
  });

  it('huge string building is capped, not folded without bound', () => {
    let e: Expr = s('x'.repeat(1000));
    for (let i = 0; i < 12; i++) e = cat(e, e);
    const t = toolOf(
      analyze(
        file('h.ts', {
          functions: [fn('h', [], [ex(call('fetch', [e]))])],
          registrations: [reg({ name: 't', handler: 'h' })],
        }),
      ),
    );
    expect(t.effects[0]?.target === undefined || (t.effects[0]?.target?.length ?? 0) <= 64 * 1024).toBe(true);
  });
});

describe('performance', () => {
  /** `n` files of 30 functions each: string building, branches, loops, calls within and across files. */
  function corpus(n: number): FileFacts[] {
    const files: FileFacts[] = [];
    for (let f = 0; f < n; f++) {
      const fns: FunctionFact[] = [];
      for (let i = 0; i < 30; i++) {
        fns.push(
          fn(
            `fn${i}`,
            ['a', 'b'],
            [
              assign('u', cat(s('https://api.example/'), id('a'), s('/'), id('b')), 1),
              when(
                id('a'),
                [ex(call('fetch', [id('u'), obj({ body: id('b') })]))],
                [ex(call(`fn${(i + 1) % 30}`, [id('b'), id('a')]))],
              ),
              loop('x', id('b'), [assign('c', call(at('x', 'trim'), []))]),
              ret(id('u')),
            ],
          ),
        );
      }
      files.push(
        file(`f${f}.ts`, {
          imports: [imp('helper', `./f${(f + 1) % n}.js`, 'fn0')],
          exports: fns.map((x) => exp(x.id, { local: x.id })),
          functions: [
            ...fns,
            fn('h', ['q'], [ex(call('helper', [id('q'), s('k')])), ex(call('fn3', [id('q'), id('q')]))]),
          ],
          registrations: [reg({ name: `tool${f}`, handler: 'h' })],
        }),
      );
    }
    return files;
  }

  it('work grows linearly with the package', () => {
    const small = { steps: 0 };
    const large = { steps: 0 };
    analyzePackage(corpus(40), small);
    const start = performance.now();
    const a = analyzePackage(corpus(80), large);
    const ms = performance.now() - start;
    expect(a.tools.length).toBe(80);
    const ratio = large.steps / small.steps;
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(2.2);
    // ~2,400 functions; wall time is loose because the test machine is shared.
    expect(ms).toBeLessThan(15_000);
  });
});
