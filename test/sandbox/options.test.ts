import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import { bwrapArgs, ISOLATION_FLAGS } from '../../src/sandbox/bwrap.js';
import { buildMountPlan, resolveCommand } from '../../src/sandbox/mounts.js';
import { parseDuration, parseNet, parseSize, resolveOptions } from '../../src/sandbox/options.js';

describe('option parsing', () => {
  it('parses sizes and durations', () => {
    expect(parseSize('256m')).toBe(256 * 1024 * 1024);
    expect(parseSize('1g')).toBe(1024 ** 3);
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('4096')).toBe(4096);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5')).toBe(1500);
    for (const bad of ['', 'm', '-1m', '1t', '1e9'.repeat(10)])
      expect(() => parseSize(bad)).toThrow(PortcullisError);
    for (const bad of ['', 's', '1h', '-5s']) expect(() => parseDuration(bad)).toThrow(PortcullisError);
  });

  it('parses network policies', () => {
    expect(parseNet('none')).toEqual({ mode: 'none' });
    expect(parseNet('api.example.com:443,pypi.org')).toEqual({
      mode: 'allowlist',
      allow: [{ host: 'api.example.com', port: 443 }, { host: 'pypi.org' }],
    });
    expect(parseNet('[::1]:8080')).toEqual({ mode: 'allowlist', allow: [{ host: '::1', port: 8080 }] });
    expect(() => parseNet('exa mple.com')).toThrow(/invalid host/);
    expect(() => parseNet('example.com:99999')).toThrow(/invalid port/);
  });

  it('validates limits and names the field', () => {
    expect(() => resolveOptions({ pids: 0 })).toThrow(
      expect.objectContaining({ location: { field: 'pids' } }),
    );
    expect(() => resolveOptions({ cpus: -1 })).toThrow(/cpus/);
    expect(() => resolveOptions({ memoryBytes: 1024 })).toThrow(/below 8 MiB/);
    expect(() => resolveOptions({ cwd: 'relative' })).toThrow(/absolute/);
    expect(() => resolveOptions({ env: ['BAD-NAME'] })).toThrow(/invalid environment variable/);
    expect(() => resolveOptions({ backend: 'docker' as 'bwrap' })).toThrow(/unknown backend/);
  });

  it('passes only declared environment variables, from the given source', () => {
    const o = resolveOptions({ env: ['A', 'B=2', 'MISSING'], envSource: { A: '1', SECRET: 'x' } });
    expect(o.env).toEqual({ A: '1', B: '2' });
  });
});

describe('mount plan', () => {
  const opts = resolveOptions({});

  it('binds the runtime read-only and nothing from /etc beyond the linker cache, CA bundle and alternatives', () => {
    const plan = buildMountPlan(['/bin/true'], opts);
    const dests = plan.entries.map((e) => e.dest);
    expect(plan.entries).toContainEqual({ kind: 'ro-bind', source: '/usr', dest: '/usr' });
    expect(
      dests
        .filter((d) => d.startsWith('/etc/'))
        .every((d) =>
          ['/etc/ld.so.cache', '/etc/ssl/certs/ca-certificates.crt', '/etc/alternatives'].includes(d),
        ),
    ).toBe(true);
    expect(plan.entries.some((e) => e.kind === 'rw-bind')).toBe(false);
    // The CA bundle only comes with network access (--net HOST,...): without it there is no TLS peer.
    const ca = '/etc/ssl/certs/ca-certificates.crt';
    expect(dests).not.toContain(ca);
    if (existsSync(ca))
      expect(
        buildMountPlan(['/bin/true'], resolveOptions({ net: parseNet('example.com') })).entries.map(
          (e) => e.dest,
        ),
      ).toContain(ca);
    expect(plan.entries).toContainEqual({ kind: 'tmpfs', dest: '/tmp', sizeBytes: opts.tmpfsBytes });
    expect(plan.entries).toContainEqual({ kind: 'tmpfs', dest: '/work', sizeBytes: opts.tmpfsBytes });
    expect(plan.argv[0]).toBe(resolveCommand('/bin/true'));
  });

  it("binds the command's own directory when it is outside the runtime", () => {
    const plan = buildMountPlan([process.execPath, '-e', '0'], opts);
    expect(plan.argv.slice(1)).toEqual(['-e', '0']);
    const dir = plan.argv[0]?.slice(0, plan.argv[0].lastIndexOf('/')) ?? '';
    expect(plan.entries.some((e) => e.kind === 'ro-bind' && dir.startsWith(e.dest))).toBe(true);
  });

  it('refuses writable binds of system directories and missing paths', () => {
    expect(() => buildMountPlan(['/bin/true'], resolveOptions({ rw: ['/etc'] }))).toThrow(
      /refusing a writable bind/,
    );
    expect(() => buildMountPlan(['/bin/true'], resolveOptions({ rw: ['/'] }))).toThrow(
      /refusing a writable bind/,
    );
    expect(() => buildMountPlan(['/bin/true'], resolveOptions({ ro: ['/no/such/path'] }))).toThrow(
      /does not exist/,
    );
    expect(() => buildMountPlan(['no-such-command-xyz'], opts)).toThrow(/command not found/);
    expect(() => buildMountPlan([], opts)).toThrow(/no command/);
  });

  it('bwrap arguments carry every isolation flag, the filter fd and a read-only root', () => {
    const args = bwrapArgs(buildMountPlan(['/bin/true'], opts), { seccomp: true });
    expect(args.slice(0, ISOLATION_FLAGS.length)).toEqual([...ISOLATION_FLAGS]);
    for (const f of ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv'])
      expect(args).toContain(f);
    expect(args.join(' ')).toContain('--cap-drop ALL');
    expect(args.join(' ')).toContain('--uid 65534 --gid 65534');
    expect(args.join(' ')).toContain('--remount-ro /');
    expect(args.join(' ')).toContain('--seccomp 3');
    expect(args.indexOf('--')).toBe(args.length - 2);
  });
});
