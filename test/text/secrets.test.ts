import { describe, expect, it } from 'vitest';
import {
  encodedForms,
  findSecrets,
  redactKnownSecrets,
  redactSecrets,
  scanText,
} from '../../src/text/index.js';

// Fake credentials, built by concatenation so no scanner mistakes this file for a leak.
const GH = `ghp_${'a1B2c3D4e5'.repeat(3)}aBcDeF`;
const AWS = `AKIA${'Q7XK2M4P9R3T5V8W'}`;
const SLACK = `xoxb-${'1234567890'}-${'abcdefghijAB'}`;
const STRIPE = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
const OPENAI = `sk-proj-${'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'}`;
const ANTHROPIC = `sk-ant-api03-${'xY9_zW8-vU7tS6rQ5pO4nM3lK2jI1hG0fE9dC8bA7'}`;
const GOOGLE = `AIza${'SyD3xKq9L2mN8pR4tV6wZ1bC5fH7jJ0aB3c'}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiIxMjM0NTY3ODkwIn0'}.${'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'}`;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HEco\n-----END RSA PRIVATE KEY-----`;

describe('findSecrets: provider formats', () => {
  it.each([
    ['github-token', GH],
    ['aws-access-key-id', AWS],
    ['slack-token', SLACK],
    ['stripe-key', STRIPE],
    ['openai-key', OPENAI],
    ['anthropic-key', ANTHROPIC],
    ['google-api-key', GOOGLE],
    ['jwt', JWT],
    ['private-key', PEM],
  ])('finds a %s with its exact span', (kind, secret) => {
    const text = `config dump:\n  value = ${secret}\nend`;
    const found = findSecrets(text);
    expect(found).toHaveLength(1);
    expect(found[0]!.kind).toBe(kind);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(secret);
    expect(found[0]!.masked).not.toContain(secret.slice(6));
  });

  it('finds credentials in assignments, URLs and bearer headers, reporting only the value', () => {
    const text =
      'DB_PASSWORD=Tr0ub4dor&3x\nurl: postgres://app:s3cr3tPass@db.internal:5432/app\nAuthorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ';
    const found = findSecrets(text);
    expect(found.map((f) => f.kind)).toEqual(['assignment', 'url-credentials', 'bearer-token']);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual([
      'Tr0ub4dor&3x',
      's3cr3tPass',
      '9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ',
    ]);
  });

  it('finds a long random token right after a key-like word', () => {
    const text = 'the signing key is Zx8Qp2Lm9Vt4Rw7Ky3Hb6Nd1Fg5Js0Ac';
    expect(findSecrets(text).map((f) => f.kind)).toEqual(['high-entropy']);
  });
});

describe('findSecrets: things that are not secrets', () => {
  it.each([
    ['UUIDs', 'id: 123e4567-e89b-12d3-a456-426614174000, session: 9b2f4c1e-77aa-4e0b-9d35-0c6f1a2b3c4d'],
    [
      'git log hashes',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8\nMerge: 1a2b3c4 5d6e7f8\n    fix token refresh',
    ],
    ['sha256 of a file', 'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    [
      'env references',
      `API_KEY = os.environ['API_KEY']\npassword = getpass.getpass()\ntoken: ${'$'}{GITHUB_TOKEN}`,
    ],
    [
      'placeholders',
      'password: <your-password>\napi_key: YOUR_API_KEY_HERE\nsecret: changeme\npassword: ********',
    ],
    ['docs examples', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    [
      'prose about passwords',
      'Your password must be at least 12 characters. The token expires after one hour.',
    ],
    ['field descriptions', 'password: required\napi_key: string'],
    [
      'ids in tool results',
      '{"file_id": "19", "event_id": "evt_2024_05_26", "message_id": "<CAF3x@mail.gmail.com>"}',
    ],
    [
      'base64 image data',
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    ],
  ])('does not flag %s', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
  });
});

describe('redaction', () => {
  it('redactSecrets replaces each finding with its kind', () => {
    const text = `key=${GH} and ${AWS}`;
    expect(redactSecrets(text)).toBe('key=[REDACTED:github-token] and [REDACTED:aws-access-key-id]');
  });

  it('redactKnownSecrets removes raw, URL-encoded, hex and base64 forms', () => {
    const secret = 'p@ss/w0rd+S3cret!';
    const b64 = Buffer.from(secret).toString('base64');
    const text = [
      `raw ${secret}`,
      `url ${encodeURIComponent(secret)}`,
      `hex ${Buffer.from(secret).toString('hex')}`,
      `b64 ${b64}`,
      `b64url ${Buffer.from(secret).toString('base64url')}`,
    ].join('\n');
    const r = redactKnownSecrets(text, [secret]);
    expect(r.text).not.toContain(secret);
    expect(r.text).not.toContain(encodeURIComponent(secret));
    expect(r.text).not.toContain(Buffer.from(secret).toString('hex'));
    expect(r.text).not.toContain(b64.slice(2, -4));
    expect(r.redactions).toBeGreaterThanOrEqual(5);
  });

  it('redactKnownSecrets finds a secret base64-encoded inside a longer blob at any byte offset', () => {
    const secret = 'sk-test-0123456789abcdef';
    for (const prefix of ['', 'x', 'xy', 'xyz', 'Authorization header: ']) {
      const blob = Buffer.from(`${prefix}${secret} trailing data`).toString('base64');
      const r = redactKnownSecrets(`payload=${blob}`, [secret]);
      expect(r.redactions).toBe(1);
      // What is left of the blob cannot be decoded back to the secret.
      const left = r.text.replace('payload=', '');
      expect(Buffer.from(left.replace('[REDACTED]', ''), 'base64').toString('latin1')).not.toContain(secret);
    }
  });

  it('redactKnownSecrets ignores secrets too short to redact safely', () => {
    expect(redactKnownSecrets('abc abc', ['abc'])).toEqual({ text: 'abc abc', redactions: 0 });
  });

  it('encodedForms lists the raw secret first among forms of equal priority and no empty form', () => {
    const forms = encodedForms('hunter2hunter2');
    expect(forms).toContain('hunter2hunter2');
    expect(forms).not.toContain('');
  });
});

describe('scanText: secrets', () => {
  it('finds a secret split by zero-width characters and reports the span in the original text', () => {
    const split = `${GH.slice(0, 10)}\u200b${GH.slice(10)}`;
    const text = `token ${split} end`;
    const r = scanText(text);
    const f = r.secrets.find((s) => s.kind === 'github-token')!;
    expect(text.slice(f.start, f.end)).toBe(split);
  });
});
