// Header credentials for remote (Streamable HTTP) upstreams: the schema's checks on header names
// and prefixes, the broker's header map, its fail-closed refusals, and redaction of the header
// value. The end-to-end path is in test/proxy/credentials-header.test.ts.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import {
  createCredentialBroker,
  proxyCredentials,
  REDACTED_SECRET,
  refuseHeadersForCommand,
} from '../../src/guard/credentials.js';
import { loadPolicyText } from '../../src/guard/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-cred-header-'));
const SECRET = 'ghp_headerSecret0123456789abcdef';

function policy(yaml: string) {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, yaml);
  return loadPolicyText(yaml, file);
}

function headerPolicy(server: string, inject: string, from = '{ env: PC_REMOTE_TOKEN }'): string {
  return `version: 1
servers:
  ${server}:
    tools:
      "*":
        credentials:
          - from: ${from}
            inject: ${inject}
`;
}

function errorOf(fn: () => unknown): PortcullisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PortcullisError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('header credentials in the policy schema', () => {
  it('accepts a header with a prefix and without one', () => {
    expect(() =>
      policy(headerPolicy('remote', "{ header: Authorization, prefix: 'Bearer ' }")),
    ).not.toThrow();
    expect(() => policy(headerPolicy('remote', '{ header: X-Api-Key }'))).not.toThrow();
  });

  it.each([
    ['a header name with a space', "{ header: 'X Api' }", /header name/],
    ['a header name with a line break', '{ header: "X-Api\\r\\nEvil: 1" }', /header name/],
    ['a header the proxy sets itself', '{ header: Mcp-Session-Id }', /sets itself/],
    ['Host, in any case', '{ header: hOsT }', /sets itself/],
    ['a prefix with a line break', '{ header: Authorization, prefix: "Bearer\\r\\nX: " }', /printable ASCII/],
    ['an unknown key beside header', '{ header: Authorization, suffix: x }', /suffix|Unrecognized|unknown/i],
  ])('refuses %s, naming the rule', (_what, inject, message) => {
    const e = errorOf(() => policy(headerPolicy('remote', inject)));
    expect(e.message).toMatch(message);
    expect(`${e.message} ${JSON.stringify(e.location ?? {})}`).toMatch(/credentials|inject/);
  });
});

describe('the broker for header credentials', () => {
  it('reads a 0600 file and sends prefix + secret as the header, and redacts it from results', () => {
    const f = join(dir, 'remote.token');
    writeFileSync(f, `${SECRET}\n`, { mode: 0o600 });
    chmodSync(f, 0o600);
    const p = policy(
      headerPolicy('remote', "{ header: Authorization, prefix: 'Bearer ' }", `{ file: ${f} }`),
    );
    const broker = createCredentialBroker(p, {}, { server: 'remote' });
    expect(broker.upstreamHeaders()).toEqual({ Authorization: `Bearer ${SECRET}` });
    // A header credential is never put in the call's arguments or the server's environment.
    expect(broker.inject({ server: 'remote', tool: 'x', args: {} } as never, { a: 1 })).toEqual({ a: 1 });
    expect(broker.upstreamEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin' });
    const echoed = broker.redactValue({ text: `got Authorization: Bearer ${SECRET}` });
    expect(echoed.text).toBe(`got Authorization: Bearer ${REDACTED_SECRET}`);
    expect(
      JSON.stringify(broker.redactValue({ b64: Buffer.from(`Bearer ${SECRET}`).toString('base64') })),
    ).not.toMatch(/Z2hwX2hlYWRlclNlY3JldDAxMjM0NTY3ODlhYmNkZWY/);
  });

  it('refuses a secret file others can read before anything connects', () => {
    const f = join(dir, 'open.token');
    writeFileSync(f, SECRET);
    chmodSync(f, 0o644);
    const p = policy(headerPolicy('remote', '{ header: Authorization }', `{ file: ${f} }`));
    expect(errorOf(() => createCredentialBroker(p, {}, { server: 'remote' })).message).toMatch(/mode 0644/);
  });

  it('sends only this server’s and the `*` rules’ headers', () => {
    const p = policy(`version: 1
servers:
  "*":
    tools:
      "*":
        credentials:
          - { from: { env: PC_ALL }, inject: { header: X-Tenant } }
  remote:
    tools:
      "*":
        credentials:
          - { from: { env: PC_REMOTE_TOKEN }, inject: { header: Authorization, prefix: 'Bearer ' } }
  other:
    tools:
      "*":
        credentials:
          - { from: { env: PC_OTHER }, inject: { header: Authorization } }
`);
    const env = { PC_ALL: 'tenant-42', PC_REMOTE_TOKEN: SECRET, PC_OTHER: 'other-secret' };
    expect(createCredentialBroker(p, env, { server: 'remote' }).upstreamHeaders()).toEqual({
      'X-Tenant': 'tenant-42',
      Authorization: `Bearer ${SECRET}`,
    });
    // The proxy must know which server it connects to before it sends a named server's secret.
    expect(errorOf(() => proxyCredentials(p, env, undefined)).message).toMatch(/give --name/);
  });

  it('fails closed on a missing variable, two sources for one header, and a secret with a line break', () => {
    const p = policy(headerPolicy('remote', '{ header: Authorization }'));
    const missing = errorOf(() => createCredentialBroker(p, {}, { server: 'remote' }));
    expect(missing.message).toMatch(/PC_REMOTE_TOKEN, which is not set/);
    expect(missing.location?.field).toBe('servers.remote.tools.*.credentials[0]');
    const newline = errorOf(() =>
      createCredentialBroker(p, { PC_REMOTE_TOKEN: `${SECRET}\r\nX: 1` }, { server: 'remote' }),
    );
    expect(newline.message).toMatch(/cannot be sent as the header Authorization/);
    expect(newline.message).not.toContain(SECRET);
    const twice = policy(`version: 1
servers:
  remote:
    tools:
      "*":
        credentials:
          - { from: { env: PC_A }, inject: { header: Authorization } }
          - { from: { env: PC_B }, inject: { header: authorization } }
`);
    expect(
      errorOf(() => createCredentialBroker(twice, { PC_A: 'aaaa1', PC_B: 'bbbb2' }, { server: 'remote' }))
        .message,
    ).toMatch(/two different credentials are sent as the header authorization/);
  });

  it('refuses header credentials for a server command, naming the header', () => {
    const p = policy(headerPolicy('remote', "{ header: Authorization, prefix: 'Bearer ' }"));
    const broker = createCredentialBroker(p, { PC_REMOTE_TOKEN: SECRET }, { server: 'remote' });
    const e = errorOf(() => refuseHeadersForCommand(broker));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(
      /HTTP header Authorization, which only a remote server \(--upstream URL\) receives/,
    );
    expect(e.message).not.toContain(SECRET);
    expect(() => refuseHeadersForCommand(undefined)).not.toThrow();
  });
});
