// Scoped credentials: reading (env, 0600 files, fail closed), injection, and redaction in every
// encoding. The end-to-end path over real stdio is in test/proxy/credentials.test.ts.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import {
  createCredentialBroker,
  proxyCredentials,
  REDACTED_SECRET,
  readSecretFile,
  secretForms,
} from '../../src/guard/credentials.js';
import { loadPolicyText } from '../../src/guard/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-cred-'));
const SECRET = 'tok_9f8e7d6c5b4a3210ZYXW';
// Characters that every encoding treats differently: quote, backslash, slash, plus, space, non-ASCII.
const AWKWARD = 'p@ss "w\\rd"/+ é&k=1';

function policy(yaml: string, file = join(dir, 'policy.yaml')) {
  writeFileSync(file, yaml);
  return loadPolicyText(yaml, file);
}

const POLICY = `version: 1
servers:
  api:
    tools:
      call_api:
        credentials:
          - from: { env: PC_API_KEY }
            inject: { argument: api_key }
      other:
        action: allow
  spawned:
    tools:
      "*":
        credentials:
          - from: { env: PC_SPAWN_KEY }
            inject: { env: SERVICE_TOKEN }
`;

function errorOf(fn: () => unknown): PortcullisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PortcullisError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('reading secrets', () => {
  it('reads a 0600 file of the user, dropping one trailing newline', () => {
    const f = join(dir, 'ok.key');
    writeFileSync(f, `${SECRET}\n`, { mode: 0o600 });
    chmodSync(f, 0o600);
    expect(readSecretFile(f, process.getuid?.(), 'x')).toBe(SECRET);
    chmodSync(f, 0o400);
    expect(readSecretFile(f, process.getuid?.(), 'x')).toBe(SECRET);
  });

  it('refuses a file others can read, naming the file and its mode', () => {
    const f = join(dir, 'open.key');
    writeFileSync(f, SECRET);
    chmodSync(f, 0o644);
    const e = errorOf(() => readSecretFile(f, process.getuid?.(), 'x'));
    expect(e.message).toContain(f);
    expect(e.message).toContain('0644');
    chmodSync(f, 0o640);
    expect(errorOf(() => readSecretFile(f, process.getuid?.(), 'x')).message).toContain('0640');
  });

  it('refuses a file of another owner, a symbolic link, a folder and a missing file', () => {
    const f = join(dir, 'owned.key');
    writeFileSync(f, SECRET, { mode: 0o600 });
    const uid = process.getuid?.() ?? 0;
    expect(errorOf(() => readSecretFile(f, uid + 1, 'x')).message).toMatch(/belongs to uid/);
    const link = join(dir, 'link.key');
    symlinkSync(f, link);
    expect(errorOf(() => readSecretFile(link, uid, 'x')).message).toMatch(/symbolic link/);
    const folder = join(dir, 'folder.key');
    mkdirSync(folder, { mode: 0o700 });
    expect(errorOf(() => readSecretFile(folder, uid, 'x')).message).toMatch(/not a regular file/);
    expect(errorOf(() => readSecretFile(join(dir, 'none.key'), uid, 'x')).message).toMatch(/does not exist/);
  });

  it('fails closed at startup when a variable is missing, naming the rule', () => {
    const e = errorOf(() => createCredentialBroker(policy(POLICY), { PC_SPAWN_KEY: SECRET }));
    expect(e.message).toContain('PC_API_KEY');
    expect(e.location?.field).toBe('servers.api.tools.call_api.credentials[0]');
    // Scoped to the server being started, the other server's missing variable does not matter.
    expect(createCredentialBroker(policy(POLICY), { PC_SPAWN_KEY: SECRET }, { server: 'spawned' }).size).toBe(
      1,
    );
  });

  it('resolves relative files against the policy folder and refuses too-short secrets', () => {
    const sub = join(dir, 'rel');
    mkdirSync(sub);
    writeFileSync(join(sub, 'short.key'), 'ab', { mode: 0o600 });
    const p = policy(
      'version: 1\nservers:\n  s:\n    tools:\n      t:\n        credentials:\n          - from: { file: short.key }\n            inject: { argument: k }\n',
      join(sub, 'p.yaml'),
    );
    expect(errorOf(() => createCredentialBroker(p, {})).message).toMatch(/shorter than 4/);
  });

  it('needs --name when the policy injects into a named server environment', () => {
    const env = { PC_API_KEY: SECRET, PC_SPAWN_KEY: SECRET };
    expect(errorOf(() => proxyCredentials(policy(POLICY), env, undefined)).message).toMatch(/--name/);
    expect(proxyCredentials(policy('version: 1\n'), env, undefined)).toBeUndefined();
  });
});

describe('injecting', () => {
  const env = { PC_API_KEY: SECRET, PC_SPAWN_KEY: 'spawn-secret-value', PATH: '/bin' };

  it('overwrites a model-supplied value and leaves other tools alone', () => {
    const b = createCredentialBroker(policy(POLICY), env);
    const call = { callId: '1', server: 'api', tool: 'call_api', arguments: {} };
    expect(b.inject(call, { query: 'q', api_key: 'guessed-by-model' })).toEqual({
      query: 'q',
      api_key: SECRET,
    });
    expect(b.inject({ ...call, tool: 'other' }, { api_key: 'x' })).toEqual({ api_key: 'x' });
    expect(b.inject({ ...call, server: 'elsewhere' }, { q: 1 })).toEqual({ q: 1 });
  });

  it('gives the upstream its injected variables and withholds the variables secrets came from', () => {
    const b = createCredentialBroker(policy(POLICY), env, { server: 'spawned' });
    const upstream = b.upstreamEnv(env);
    expect(upstream.SERVICE_TOKEN).toBe('spawn-secret-value');
    expect(upstream.PC_SPAWN_KEY).toBeUndefined();
    expect(upstream.PC_API_KEY).toBeUndefined();
    expect(upstream.PATH).toBe('/bin');
    // The `api` server's proxy does not inject `spawned`'s variable.
    expect(
      createCredentialBroker(policy(POLICY), env, { server: 'api' }).upstreamEnv(env).SERVICE_TOKEN,
    ).toBeUndefined();
  });

  it('masks the injected argument in audit records and hides it from the listed schema', () => {
    const b = createCredentialBroker(policy(POLICY), env);
    const rec = b.redactRecord({
      server: 'api',
      tool: 'call_api',
      method: 'tools/call',
      decision: 'allow',
      reason: `forwarded with ${SECRET}`,
      args: { query: 'q', api_key: 'model value' },
      meta: { note: Buffer.from(SECRET).toString('base64') },
    });
    expect(rec.args).toEqual({ query: 'q', api_key: '[masked]' });
    expect(JSON.stringify(rec)).not.toContain(SECRET);
    expect(rec.reason).toBe(`forwarded with ${REDACTED_SECRET}`);
    const tool = b.presentTool('api', {
      name: 'call_api',
      description: `uses ${SECRET}`,
      inputSchema: { type: 'object', properties: { query: {}, api_key: {} }, required: ['query', 'api_key'] },
    });
    expect(tool.inputSchema).toEqual({ type: 'object', properties: { query: {} }, required: ['query'] });
    expect(tool.description).toBe(`uses ${REDACTED_SECRET}`);
  });
});

describe('redacting', () => {
  const awkwardPolicy = `version: 1\nservers:\n  s:\n    tools:\n      t:\n        credentials:\n          - from: { env: A }\n            inject: { argument: k }\n          - from: { env: B }\n            inject: { argument: j }\n`;
  const b = createCredentialBroker(policy(awkwardPolicy), { A: SECRET, B: AWKWARD });

  for (const secret of [SECRET, AWKWARD]) {
    const bytes = Buffer.from(secret, 'utf8');
    const encoded: [string, string][] = [
      ['plain', secret],
      ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
      [
        'JSON-escaped ASCII',
        JSON.stringify(secret).replace(
          /[\u007f-\uffff]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
      ],
      ['URL-encoded', encodeURIComponent(secret)],
      ['form-encoded', encodeURIComponent(secret).replace(/%20/g, '+')],
      ['hex', bytes.toString('hex')],
    ];
    for (const prefix of ['', 'a', 'ab']) {
      const blob = Buffer.concat([Buffer.from(prefix), bytes, Buffer.from('zz')]);
      encoded.push([`base64 offset ${prefix.length}`, blob.toString('base64')]);
      encoded.push([`base64url offset ${prefix.length}`, blob.toString('base64url')]);
    }
    for (const [how, form] of encoded) {
      it(`removes ${JSON.stringify(secret).slice(0, 12)}… ${how}`, () => {
        const out = b.redactText(`before ${form} after`);
        // One redaction, with at most the few characters around it that do not depend on the secret.
        expect(out).toMatch(/^before .{0,8}\[REDACTED:credential\].{0,8} after$/);
        // Nothing long enough to carry the secret survives: no form of it is left in the output.
        for (const f of secretForms(secret)) expect(out).not.toContain(f);
        if (how.startsWith('base64')) {
          const decoded = Buffer.from(out.replace(/[^A-Za-z0-9+/_-]/g, ''), 'base64').toString('latin1');
          expect(decoded).not.toContain(secret);
        }
      });
    }
  }

  it('redacts keys and values at any depth, and caps hostile depth', () => {
    const value = { a: [{ [SECRET]: { note: `x${SECRET}y` } }], n: 3, t: true };
    const out = b.redactValue(value);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out.n).toBe(3);
    let deep: unknown = SECRET;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(JSON.stringify(b.redactValue(deep))).not.toContain(SECRET);
  });

  it('leaves text without secrets unchanged', () => {
    const text = 'an ordinary answer with tok_ and p@ss words';
    expect(b.redactText(text)).toBe(text);
  });
});
