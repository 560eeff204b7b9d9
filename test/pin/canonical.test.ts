import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalBytes, canonicalize } from '../../src/pin/canonical.js';

/** RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text. */
const NUMBER_VECTORS: [string, string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'], // -0
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('RFC 8785 canonicalisation', () => {
  it.each(NUMBER_VECTORS)('serialises the double %s as %s', (bits, expected) => {
    expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it('rejects NaN and the infinities (not JSON numbers)', () => {
    for (const bits of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
      expect(() => canonicalize(fromBits(bits))).toThrow(CanonicalizationError);
    }
  });

  it('writes sums that are not exactly representable with the shortest round-tripping digits', () => {
    expect(canonicalize(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(canonicalize([1e21, 1e-7, 123e-20, 100, -0])).toBe('[1e+21,1e-7,1.23e-18,100,0]');
  });

  it('produces the RFC §3.2.2 example output from its input text', () => {
    // The input exactly as the RFC writes it (parsed by a JSON parser first).
    const input = JSON.parse(
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
        '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
        '  "literals": [null, true, false]\n}',
    );
    const expected =
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    expect(canonicalize(input)).toBe(expected);
    // The RFC gives the UTF-8 bytes too; spot-check the euro sign and the escaped control.
    const bytes = Buffer.from(canonicalBytes(input));
    expect(bytes.includes(Buffer.from([0xe2, 0x82, 0xac]))).toBe(true);
    expect(bytes.toString('utf8')).toBe(expected);
  });

  it('sorts keys by UTF-16 code units (RFC §3.2.3), not by code points', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts nested objects and keeps array order', () => {
    expect(canonicalize({ b: [3, { z: 1, a: 2 }], a: { d: null, c: true } })).toBe(
      '{"a":{"c":true,"d":null},"b":[3,{"a":2,"z":1}]}',
    );
  });

  it('escapes only what JSON requires, with lowercase hex for other controls', () => {
    expect(canonicalize('\u0000\u001f\u007f\u2028</script>')).toBe('"\\u0000\\u001f\u007f\u2028</script>"');
    expect(canonicalize('\b\f\n\r\t"\\/')).toBe('"\\b\\f\\n\\r\\t\\"\\\\/"');
  });

  it('rejects lone surrogates in strings and in keys, naming where', () => {
    expect(() => canonicalize('a\ud800b')).toThrow(/lone surrogate U\+D800/);
    expect(() => canonicalize('\udc00')).toThrow(/lone surrogate/);
    expect(() => canonicalize('\ud83d')).toThrow(/lone surrogate/);
    try {
      canonicalize({ outer: { 'k\udfff': 1 } });
      expect.unreachable();
    } catch (err) {
      expect((err as CanonicalizationError).path).toEqual(['outer', 'k\udfff']);
    }
    expect(canonicalize('\ud83d\ude00')).toBe('"😀"');
  });

  it('rejects values that are not JSON', () => {
    for (const bad of [undefined, () => 1, Symbol('x'), 10n, new Date(0), new Map(), { a: undefined }]) {
      expect(() => canonicalize(bad)).toThrow(CanonicalizationError);
    }
  });

  it('treats a __proto__ key as an ordinary member', () => {
    const obj = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    expect(canonicalize(obj)).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('caps nesting instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => canonicalize(deep)).toThrow(/nesting deeper/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/nesting deeper/);
  });
});
