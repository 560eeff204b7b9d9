import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import {
  decodeJsonBytes,
  formatJsonPath,
  parseJsonc,
  parseJsonText,
  readJsonFileBytes,
} from '../../src/core/json-text.js';

describe('parseJsonText', () => {
  it('parses like JSON.parse on valid input', () => {
    const samples = [
      '{"a":[1,-2.5e3,0,true,false,null,"x\\u00e9\\n\\"\\\\\\/"],"b":{}}',
      '[]',
      '"just a string"',
      '  -0.0  ',
      '{"\\ud83d\\ude00":"\\ud800"}',
      '1E+2',
    ];
    for (const text of samples) expect(parseJsonText(text, { file: 'f' }).value).toEqual(JSON.parse(text));
  });

  it('locates members by path: object keys and array elements, with columns', () => {
    const text = '{\n  "tools": [\n    {"name": "a"},\n    {\n      "name": 5\n    }\n  ]\n}';
    const parsed = parseJsonText(text, { file: 'f' });
    expect(parsed.locate(['tools'])).toEqual({ line: 2, column: 3 });
    expect(parsed.locate(['tools', 0])).toEqual({ line: 3, column: 5 });
    expect(parsed.locate(['tools', 1, 'name'])).toEqual({ line: 5, column: 7 });
    // a path that does not exist resolves to its deepest existing part
    expect(parsed.locate(['tools', 1, 'description'])).toEqual({ line: 4, column: 5 });
    expect(parsed.locate(['nope'])).toEqual({ line: 1, column: 1 });
  });

  it('reports the line and column of syntax errors', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{\n  "a": 1,\n  "b" 2\n}', 3, 7, /expected ':'/],
      ['[1,\n2,\n]', 3, 1, /expected a JSON value/],
      ['{"a": tru}', 1, 7, /expected a JSON value/],
      ['{"a": 1.}', 1, 9, /digits expected after "."/],
      ['{"a": 1e}', 1, 9, /digits expected in exponent/],
      ['{"a": "\\u12G4"}', 1, 10, /invalid \\u escape/],
      ["{'a': 1}", 1, 2, /expected a key/],
      ['[1 2]', 1, 4, /expected ',' or ']'/],
    ];
    for (const [text, line, column, message] of cases) {
      try {
        parseJsonText(text, { file: 'x.json', code: 'LOCK_INVALID' });
        expect.unreachable(text);
      } catch (err) {
        expect(err).toBeInstanceOf(PortcullisError);
        const e = err as PortcullisError;
        expect(e.code).toBe('LOCK_INVALID');
        expect([e.location?.line, e.location?.column, e.message], text).toEqual([
          line,
          column,
          expect.stringMatching(message),
        ]);
      }
    }
  });

  it('describes unprintable characters by code point', () => {
    expect(() => parseJsonText('\u200b{}', { file: 'f' })).toThrow(/character U\+200B/);
  });

  it('honours the depth cap exactly', () => {
    expect(parseJsonText('[[[1]]]', { file: 'f', maxDepth: 3 }).value).toEqual([[[1]]]);
    expect(() => parseJsonText('[[[[1]]]]', { file: 'f', maxDepth: 3 })).toThrow(/nesting deeper than 3/);
  });

  it('handles a large document in linear time', () => {
    const big = JSON.stringify({
      tools: Array.from({ length: 20_000 }, (_, i) => ({ name: `t${i}`, description: 'x'.repeat(200) })),
    });
    const start = performance.now();
    const parsed = parseJsonText(big, { file: 'f' });
    expect(performance.now() - start).toBeLessThan(3000);
    expect(parsed.locate(['tools', 19_999, 'name']).line).toBe(1);
  });
});

describe('parseJsonc (the same reader in its editor-settings dialect)', () => {
  it('accepts comments and trailing commas, keeping lines', () => {
    const text = '// servers\n{\n  /* one\n  two */ "a": [1, 2,],\n  "b": {"c": true,}, // end\n}';
    const parsed = parseJsonc(text, 'settings.json');
    expect(parsed.value).toEqual({ a: [1, 2], b: { c: true } });
    expect(parsed.locate(['a'])).toEqual({ line: 4, column: 10 });
    expect(parsed.locate(['b', 'c'])).toEqual({ line: 5, column: 9 });
    expect(parsed.duplicates).toEqual([]);
  });

  it('records duplicate keys and uses the last one, where strict JSON refuses them', () => {
    const text = '{\n  "a": 1,\n  "a": 2\n}';
    const parsed = parseJsonc(text, 'f');
    expect(parsed.value).toEqual({ a: 2 });
    expect(parsed.duplicates).toEqual([{ key: 'a', line: 3, column: 3 }]);
    expect(() => parseJsonText(text, { file: 'f' })).toThrow(/duplicate key "a"/);
  });

  it('still refuses what is not JSONC, with a location', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{"a": 1 /* open', 1, 9, /unterminated \/\* comment/],
      ['{,}', 1, 2, /expected a key or '}'/],
      ['[1,,]', 1, 4, /expected a JSON value/],
    ];
    for (const [text, line, column, message] of cases) {
      let error: PortcullisError | undefined;
      try {
        parseJsonc(text, 'f');
      } catch (err) {
        error = err as PortcullisError;
      }
      expect([error?.code, error?.location?.line, error?.location?.column, error?.message], text).toEqual([
        'INPUT_INVALID',
        line,
        column,
        expect.stringMatching(message),
      ]);
    }
    // comments and trailing commas stay errors in strict JSON
    expect(() => parseJsonText('{"a": 1} // x', { file: 'f' })).toThrow(/after the JSON value/);
    expect(() => parseJsonText('[1,]', { file: 'f' })).toThrow(/expected a JSON value/);
    expect(() => parseJsonText('{"a": 1,}', { file: 'f' })).toThrow(/expected a key$/);
  });
});

describe('decodeJsonBytes and formatJsonPath', () => {
  it('strips a BOM and refuses binary', () => {
    expect(decodeJsonBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'f')).toBe('{}');
    expect(() => decodeJsonBytes(new Uint8Array([0x7b, 0x00]), 'f')).toThrow(/NUL/);
    expect(() => decodeJsonBytes(new Uint8Array([0xc3, 0x28]), 'f')).toThrow(/UTF-8/);
  });

  it('formats paths as people write them', () => {
    expect(formatJsonPath(['tools', 3, 'name'])).toBe('tools[3].name');
    expect(formatJsonPath(['a b', 'c-d', '$ok', '1x'])).toBe('["a b"]["c-d"].$ok["1x"]');
    expect(formatJsonPath([])).toBe('(root)');
  });
});

describe('readJsonFileBytes', () => {
  const limits = {
    what: 'lockfile',
    maxBytes: 8,
    tooLargeCode: 'LOCK_INVALID' as const,
    missingHint: ' (hint)',
  };
  const failure = (path: string) => {
    try {
      readJsonFileBytes(path, limits);
    } catch (err) {
      const e = err as PortcullisError;
      return [e.code, e.message, e.location?.file];
    }
    return undefined;
  };

  it('reads a regular file within the cap and refuses the rest, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-json-file-'));
    try {
      writeFileSync(join(dir, 'small.json'), '{}');
      writeFileSync(join(dir, 'big.json'), '[1,2,3,4,5]');
      expect(Buffer.from(readJsonFileBytes(join(dir, 'small.json'), limits)).toString()).toBe('{}');
      expect(failure(join(dir, 'big.json'))).toEqual([
        'LOCK_INVALID',
        'lockfile is larger than 8 bytes',
        join(dir, 'big.json'),
      ]);
      expect(failure(join(dir, 'absent.json'))).toEqual([
        'INPUT_NOT_FOUND',
        'lockfile not found (hint)',
        join(dir, 'absent.json'),
      ]);
      expect(failure(dir)).toEqual(['INPUT_INVALID', 'not a regular file', dir]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
