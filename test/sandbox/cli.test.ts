import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/sandbox/bwrap.js';
import { bwrapSkipReason } from './helpers.js';

const bin = new URL('../../bin/portcullis.js', import.meta.url).pathname;
const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 90_000, input: input ?? '' });

describe('portcullis doctor', () => {
  it('reports every probe with an install command for what is missing', { timeout: 120_000 }, () => {
    const r = cli(['doctor', '--format', 'json']);
    const report = JSON.parse(r.stdout) as {
      probes: { name: string; ok: boolean; remedy?: string }[];
      bwrapReady: boolean;
    };
    expect(report.probes.map((p) => p.name)).toEqual([
      'user namespaces',
      'bwrap',
      'seccomp',
      'bwrap sandbox + seccomp',
      'cgroups',
      'runsc (gVisor)',
      'gVisor platform',
    ]);
    for (const p of report.probes)
      if (!p.ok && p.name !== 'gVisor platform') expect(p.remedy, p.name).toBeTruthy();
    expect(r.status).toBe(report.bwrapReady ? 0 : 1);
  });
});

describe.skipIf(bwrapSkipReason !== undefined)(
  `portcullis run${bwrapSkipReason ? ` (skipped: ${bwrapSkipReason})` : ''}`,
  () => {
    it("exits with the command's status and streams its output", { timeout: 120_000 }, () => {
      const r = cli(['run', '--', '/bin/sh', '-c', 'echo out; echo err >&2; exit 7']);
      expect(r.status).toBe(7);
      expect(r.stdout).toBe('out\n');
      expect(r.stderr).toContain('err\n');
    });

    it('passes standard input through', { timeout: 120_000 }, () => {
      const r = cli(['run', '--', '/bin/cat'], 'piped input\n');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('piped input\n');
    });

    it('says why a run was stopped and exits 137 on a timeout', { timeout: 120_000 }, () => {
      const r = cli(['run', '--timeout', '300ms', '--report', '--', '/bin/sleep', '20']);
      expect(r.status).toBe(137);
      expect(r.stderr).toContain('stopped by timeout');
      expect(r.stderr).toMatch(/"stoppedBy":"timeout"/);
    });

    it.skipIf(!findExecutable('runsc'))(
      'runs under gVisor with --backend gvisor (skipped without runsc)',
      { timeout: 120_000 },
      () => {
        const r = cli(['run', '--backend', 'gvisor', '--', '/bin/sh', '-c', 'echo in-gvisor; exit 4']);
        expect(r.stdout).toBe('in-gvisor\n');
        expect(r.status).toBe(4);
      },
    );

    it('refuses with exit 2 when a requested guarantee is unavailable', { timeout: 120_000 }, () => {
      const n = cli(['run', '--net', 'example.com:443', '--', '/bin/true']);
      expect(n.status).toBe(2);
      expect(n.stderr).toMatch(/refused: .*egress/);
      const bad = cli(['run', '--mem', 'lots', '--', '/bin/true']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/invalid size/);
    });
  },
);
