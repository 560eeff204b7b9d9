import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, toJsonValue } from '../../src/audit/canonical.js';
import { auditKeyId } from '../../src/audit/format.js';
import { boundArgs, isSecretKey, looksLikeSecret, MASKED, maskArgs } from '../../src/audit/mask.js';
import { canonicalize } from '../../src/pin/canonical.js';
import { keyIdOf } from '../../src/pin/sign.js';

describe('canonical JSON', () => {
  const values: unknown[] = [
    { b: 1, a: [true, null, 'x'], '10': 'ten', '2': 'two', '1': 'one' },
    { é: 1, e: 2, '\u20ac': 3, '\ud83d\ude00': 4, Z: 5 },
    [1e21, 1e-7, 0.1, -0, 123456789012345680000, 5e-324],
    'line\nbreak\t"quoted" \\ \u0001 \u001f \u007f \u2028',
    { nested: { deeper: { deepest: [[], {}] } } },
  ];
  it.each(values)('matches the RFC 8785 canonicaliser of src/pin (%#)', (value) => {
    expect(canonicalJson(toJsonValue(value))).toBe(canonicalize(value));
  });

  it('turns non-JSON into JSON that says what it was, never throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = [deep];
    const value = toJsonValue({
      lone: 'a\ud800b',
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      big: 12n,
      fn: () => 1,
      undef: undefined,
      date: new Date(0),
      bytes: new Uint8Array(3),
      cyclic,
      deep,
    });
    const text = canonicalJson(value);
    expect(() => canonicalize(JSON.parse(text))).not.toThrow();
    expect(value).toMatchObject({
      lone: 'a\ufffdb',
      nan: 'NaN',
      inf: 'Infinity',
      big: '12',
      date: '1970-01-01T00:00:00.000Z',
      bytes: '[3 bytes]',
      cyclic: { a: 1, self: '[circular]' },
    });
    expect(text).not.toContain('fn');
    expect(text).not.toContain('undef');
    expect(text).toContain('[nested too deep]');
  });
});

describe('masking', () => {
  it('masks keys that name a secret, in any spelling', () => {
    for (const key of [
      'password',
      'db_password',
      'userPassword',
      'api_key',
      'apiKey',
      'APIKey',
      'X-Api-Key',
      'Authorization',
      'access_token',
      'refreshToken',
      'client_secret',
      'csrftoken',
      'private_key',
      'Cookie',
      'Set-Cookie',
      'credentials',
      'passphrase',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
  });

  it('leaves ordinary keys alone', () => {
    for (const key of [
      'max_tokens',
      'author',
      'authorId',
      'tokenizer',
      'path',
      'subject',
      'keyboard',
      'monkey',
      'passage',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('masks strings and whole subtrees under secret keys but keeps numbers and booleans', () => {
    const masked = maskArgs({
      url: 'https://api.example.com',
      headers: { Authorization: 'Bearer abc', 'Content-Type': 'json' },
      credentials: { user: 'bob', pass: 'hunter2' },
      max_tokens: 1000,
      auth: false,
      list: [{ password: 'p' }],
    });
    expect(masked).toEqual({
      url: 'https://api.example.com',
      headers: { Authorization: MASKED, 'Content-Type': 'json' },
      credentials: MASKED,
      max_tokens: 1000,
      auth: false,
      list: [{ password: MASKED }],
    });
  });

  it('masks credential-looking values under any key', () => {
    expect(looksLikeSecret(`note: ghp_${'a'.repeat(36)}`)).toBe(true);
    expect(looksLikeSecret('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(looksLikeSecret('-----BEGIN OPENSSH PRIVATE KEY-----\nabc')).toBe(true);
    expect(looksLikeSecret('Bearer eyJhbGciOiJIUzI1NiJ9abcdefgh')).toBe(true);
    expect(looksLikeSecret('scikit-learn and sk-learn are libraries')).toBe(false);
    expect(looksLikeSecret('a plain sentence about tokens')).toBe(false);
    expect(maskArgs({ body: `key sk-${'x'.repeat(40)}` })).toEqual({ body: MASKED });
  });

  it('applies the caller hook first', () => {
    const masked = maskArgs({ ssn: '123-45-6789', keep: 1 }, (v) => ({ ...(v as object), ssn: '[hooked]' }));
    expect(masked).toEqual({ ssn: '[hooked]', keep: 1 });
  });

  it('replaces oversized arguments by size, digest and preview', () => {
    const big = { text: 'x'.repeat(100_000) };
    const bounded = boundArgs(toJsonValue(big), 1024) as {
      $truncated: { bytes: number; sha256: string; preview: string };
    };
    expect(bounded.$truncated.bytes).toBe(canonicalJson(toJsonValue(big)).length);
    expect(bounded.$truncated.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bounded.$truncated.preview.length).toBeLessThanOrEqual(512);
    expect(boundArgs({ small: 1 }, 1024)).toEqual({ small: 1 });
  });
});

describe('key ids', () => {
  it('follow the convention of src/pin', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(auditKeyId(privateKey)).toBe(keyIdOf(publicKey));
    expect(auditKeyId(publicKey)).toMatch(/^[0-9a-f]{16}$/);
  });
});
