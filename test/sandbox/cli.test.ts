import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/sandbox/bwrap.js';
import { bwrapSkipReason, PYTHON, pythonSkipReason } from './helpers.js';

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

    it.skipIf(pythonSkipReason !== undefined)(
      'reports refused egress on stderr and every decision in --report',
      { timeout: 120_000 },
      () => {
        const code =
          "import urllib.request\ntry: urllib.request.urlopen('http://example.com/', timeout=5)\nexcept Exception as e: print(getattr(e, 'code', 'err'))";
        const r = cli(['run', '--net', 'example.com:8443', '--report', '--', PYTHON, '-c', code]);
        expect(r.stdout).toBe('403\n');
        expect(r.stderr).toContain(
          'portcullis run: egress refused: example.com:80 (port 80 not allowed for example.com)',
        );
        expect(r.stderr).toMatch(
          /"egress":\[\{"time":"[^"]+","method":"GET","host":"example.com","port":80,"allowed":false/,
        );
        expect(r.status).toBe(0);
      },
    );

    it('refuses invalid limits and network policies with exit 2, naming the value', {
      timeout: 120_000,
    }, () => {
      const n = cli(['run', '--net', 'exa mple.com:443', '--', '/bin/true']);
      expect(n.status).toBe(2);
      expect(n.stderr).toMatch(/invalid host 'exa mple.com'/);
      const bad = cli(['run', '--mem', 'lots', '--', '/bin/true']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/invalid size/);
    });
  },
);
