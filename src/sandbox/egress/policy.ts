// The egress allowlist, compiled once: which host:port a sandbox may ask the proxy for, and which
// resolved addresses may actually be dialled. Names are matched first (an unlisted name is never
// even resolved); then every address the name resolves to is checked, so a listed public name that
// resolves (or is rebound) to a private, loopback or link-local address is refused.

import { BlockList, isIP } from 'node:net';

export interface EgressRule {
  host: string;
  port?: number;
}

/** Ports a rule without an explicit port allows. */
export const DEFAULT_EGRESS_PORTS: readonly number[] = [80, 443];

/** Special-purpose ranges (IANA IPv4/IPv6 special-purpose registries, plus multicast and reserved). */
const SPECIAL_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const SPECIAL_V6: readonly [string, number][] = [
  ['::', 96], // unspecified, loopback, deprecated IPv4-compatible
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, ...)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (deprecated; may carry any IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

// IPv4-mapped addresses are checked by their IPv4 part (embeddedV4). Note: a BlockList matches IPv4
// addresses against IPv6 rules through their mapped form, so ::ffff:0:0/96 must not be a rule here.
const special = new BlockList();
for (const [net, prefix] of SPECIAL_V4) special.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of SPECIAL_V6) special.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address carried by an IPv4-mapped or NAT64 IPv6 address (canonical form), if any. */
function embeddedV4(v6: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!m) return undefined;
  const hi = Number.parseInt(m[1] as string, 16);
  const lo = Number.parseInt(m[2] as string, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Canonical text of an IP address, so "::0001" and "::1", "::ffff:127.0.0.1" and "::ffff:7f00:1" compare equal. */
export function canonicalIp(address: string): string {
  const family = isIP(address);
  if (family === 4) return address.split('.').map(Number).join('.');
  if (family !== 6) return address.toLowerCase();
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase(); // zone ids and the like: isSpecialAddress refuses them
  }
}

/** True for loopback, private, link-local, multicast, documentation and other non-public addresses. */
export function isSpecialAddress(address: string): boolean {
  const canonical = canonicalIp(address);
  const family = isIP(canonical);
  if (family === 4) return special.check(canonical, 'ipv4');
  if (family !== 6) return true; // not an address (or one with a zone id): never dial it
  const v4 = embeddedV4(canonical);
  if (v4 !== undefined) return special.check(v4, 'ipv4');
  return special.check(canonical, 'ipv6');
}

const NAME_RE =
  /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/;

/** A request's host in canonical form (lower case, no trailing dot, no brackets), or undefined when invalid. */
export function normaliseHost(raw: string): string | undefined {
  let h = raw.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (isIP(h)) return canonicalIp(h);
  return NAME_RE.test(h) ? h : undefined;
}

export interface NameVerdict {
  allowed: boolean;
  reason: string;
  /** The matching rule was an exact name or address (not a `*.` pattern). */
  exact: boolean;
}

export interface EgressPolicy {
  readonly rules: readonly EgressRule[];
  /** Whether a request for host:port is on the allowlist (before any DNS). */
  matchName(host: string, port: number): NameVerdict;
  /** Whether a resolved address may be dialled for a request that matched by name. */
  checkAddress(host: string, address: string, port: number): { allowed: boolean; reason: string };
}

const portOk = (rule: EgressRule, port: number) =>
  rule.port === undefined ? DEFAULT_EGRESS_PORTS.includes(port) : rule.port === port;

/** Compiles the allowlist; throws on an entry that is neither a name, a `*.domain` pattern nor an address. */
export function compileEgressPolicy(allow: readonly EgressRule[]): EgressPolicy {
  const exact: EgressRule[] = [];
  const wildcard: { suffix: string; rule: EgressRule }[] = [];
  const addresses: { address: string; rule: EgressRule }[] = [];
  for (const rule of allow) {
    if (rule.host.startsWith('*.')) {
      const base = normaliseHost(rule.host.slice(2));
      if (!base || isIP(base)) throw new Error(`invalid host pattern '${rule.host}'`);
      wildcard.push({ suffix: `.${base}`, rule });
      continue;
    }
    const host = normaliseHost(rule.host);
    if (!host) throw new Error(`invalid host '${rule.host}'`);
    if (isIP(host)) addresses.push({ address: host, rule });
    exact.push({ ...rule, host });
  }
  return {
    rules: allow,
    matchName(host, port) {
      const named = exact.filter((r) => r.host === host);
      if (named.some((r) => portOk(r, port))) return { allowed: true, reason: 'listed', exact: true };
      const wild = wildcard.filter((w) => host.endsWith(w.suffix));
      if (wild.some((w) => portOk(w.rule, port)))
        return { allowed: true, reason: `matches *${(wild[0] as { suffix: string }).suffix}`, exact: false };
      if (named.length > 0 || wild.length > 0)
        return { allowed: false, reason: `port ${port} not allowed for ${host}`, exact: false };
      return { allowed: false, reason: 'host not in the allowlist', exact: false };
    },
    checkAddress(host, address, port) {
      const canonical = canonicalIp(address);
      if (!isSpecialAddress(canonical)) return { allowed: true, reason: 'public address' };
      if (addresses.some((a) => a.address === canonical && portOk(a.rule, port)))
        return { allowed: true, reason: `address ${canonical} listed` };
      // "localhost" is loopback by definition (RFC 6761) and resolved from /etc/hosts, not DNS, so it
      // cannot be rebound; any other name must not lead to a non-public address unless it is listed.
      const loopback = canonical === '::1' || canonical.startsWith('127.');
      if (host === 'localhost' && loopback && exact.some((r) => r.host === 'localhost' && portOk(r, port)))
        return { allowed: true, reason: 'localhost listed' };
      return {
        allowed: false,
        reason: `${host} resolves to non-public address ${canonical}; list the address itself to allow it`,
      };
    },
  };
}
