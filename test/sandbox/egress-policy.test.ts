import { describe, expect, it } from 'vitest';
import {
  canonicalIp,
  compileEgressPolicy,
  isSpecialAddress,
  normaliseHost,
} from '../../src/sandbox/egress/policy.js';
import { parseNet } from '../../src/sandbox/options.js';

describe('special-purpose addresses', () => {
  it('flags loopback, private, link-local, CGNAT, multicast, documentation and reserved ranges', () => {
    for (const a of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '192.0.2.1',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::5',
      'ff02::1',
      '2001:db8::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
      '2002:7f00:1::1', // 6to4 is refused outright
      '::127.0.0.1', // deprecated IPv4-compatible
      'fe80::1%eth0',
      'not-an-address',
    ])
      expect(isSpecialAddress(a), a).toBe(true);
  });

  it('lets public addresses through, including their IPv4-mapped and NAT64 forms', () => {
    for (const a of [
      '93.184.215.14',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '::ffff:1.1.1.1',
      '64:ff9b::101:101',
    ])
      expect(isSpecialAddress(a), a).toBe(false);
  });

  it('canonicalises addresses and hosts', () => {
    expect(canonicalIp('::0001')).toBe('::1');
    expect(canonicalIp('::ffff:127.0.0.1')).toBe('::ffff:7f00:1');
    expect(normaliseHost('[::1]')).toBe('::1');
    expect(normaliseHost('API.Example.COM.')).toBe('api.example.com');
    for (const bad of ['exa mple.com', 'a..b', '', 'x'.repeat(300), 'evil.com/path', 'a@b'])
      expect(normaliseHost(bad), bad).toBeUndefined();
  });
});

describe('egress allowlist', () => {
  const net = parseNet(
    'api.example.com:443,pypi.org,*.githubusercontent.com:443,10.0.0.5:5432,localhost:8080',
  );
  const policy = compileEgressPolicy(net.mode === 'allowlist' ? net.allow : []);

  it('matches exact names, ports (80 and 443 when none is given) and *.domain patterns', () => {
    expect(policy.matchName('api.example.com', 443)).toMatchObject({ allowed: true, exact: true });
    expect(policy.matchName('api.example.com', 80)).toMatchObject({
      allowed: false,
      reason: 'port 80 not allowed for api.example.com',
    });
    expect(policy.matchName('pypi.org', 80).allowed).toBe(true);
    expect(policy.matchName('pypi.org', 443).allowed).toBe(true);
    expect(policy.matchName('pypi.org', 22).allowed).toBe(false);
    expect(policy.matchName('raw.githubusercontent.com', 443)).toMatchObject({ allowed: true, exact: false });
    expect(policy.matchName('a.b.githubusercontent.com', 443).allowed).toBe(true);
    // The pattern is for names under the domain, not the domain itself nor look-alikes.
    expect(policy.matchName('githubusercontent.com', 443).allowed).toBe(false);
    expect(policy.matchName('evilgithubusercontent.com', 443).allowed).toBe(false);
    expect(policy.matchName('example.com', 443)).toMatchObject({
      allowed: false,
      reason: 'host not in the allowlist',
    });
    expect(policy.matchName('api.example.com.evil.net', 443).allowed).toBe(false);
  });

  it('refuses non-public addresses a name resolves to unless the address itself is listed (DNS rebinding)', () => {
    expect(policy.checkAddress('api.example.com', '93.184.215.14', 443).allowed).toBe(true);
    expect(policy.checkAddress('api.example.com', '127.0.0.1', 443)).toEqual({
      allowed: false,
      reason: 'api.example.com resolves to non-public address 127.0.0.1; list the address itself to allow it',
    });
    expect(policy.checkAddress('raw.githubusercontent.com', '169.254.169.254', 443).allowed).toBe(false);
    expect(policy.checkAddress('api.example.com', '::ffff:7f00:1', 443).allowed).toBe(false);
    // The listed address, on its listed port only.
    expect(policy.checkAddress('10.0.0.5', '10.0.0.5', 5432).allowed).toBe(true);
    expect(policy.checkAddress('db.internal', '10.0.0.5', 5432).allowed).toBe(true);
    expect(policy.checkAddress('10.0.0.5', '10.0.0.5', 22).allowed).toBe(false);
    // localhost is loopback by definition and resolved from /etc/hosts: listing it is explicit.
    expect(policy.checkAddress('localhost', '127.0.0.1', 8080).allowed).toBe(true);
    expect(policy.checkAddress('localhost', '10.0.0.9', 8080).allowed).toBe(false);
  });

  it('parses patterns and rejects invalid entries', () => {
    expect(parseNet('*.example.com:443')).toEqual({
      mode: 'allowlist',
      allow: [{ host: '*.example.com', port: 443 }],
    });
    expect(() => parseNet('*.*')).toThrow(/invalid host/);
    expect(() => parseNet('a*.example.com')).toThrow(/invalid host/);
    expect(() => compileEgressPolicy([{ host: '*.10.0.0.1' }])).toThrow(/invalid host pattern/);
  });
});
