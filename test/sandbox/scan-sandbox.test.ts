// `scan --connect` starts stdio servers in the sandbox by default (and unsandboxed only with
// --no-sandbox): a real MCP server reports, in its instructions, who it runs as, its hostname and
// what reading a host file gave it.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argumentBinds } from '../../src/sandbox/command.js';
import { consentPrompt } from '../../src/scan/live/consent.js';
import { ensureBuilt, runDist } from '../proxy/helpers.js';
import { bwrapSkipReason } from './helpers.js';

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const server = join(root, 'test/sandbox/fixtures/file-server.mjs');
let home: string;

function scan(...args: string[]) {
  const r = spawnSync(process.execPath, [runDist, 'scan', '--no-progress', '--format', 'json', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
  });
  const report = r.stdout
    ? (JSON.parse(r.stdout) as { live: { result?: { server: { instructions?: string } } }[] })
    : undefined;
  const instructions = report?.live[0]?.result?.server.instructions;
  return { status: r.status, stderr: r.stderr, seen: instructions ? JSON.parse(instructions) : undefined };
}

beforeAll(() => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'pc-sbx-scan-'));
}, 360_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.skipIf(bwrapSkipReason !== undefined)(
  `scan --connect in the sandbox${bwrapSkipReason ? ` (skipped: ${bwrapSkipReason})` : ''}`,
  { timeout: 180_000 },
  () => {
    const command = `"${process.execPath}" "${server}" --probe /etc/hostname`;

    it('starts the server in bwrap by default: uid 65534, hostname sandbox, no host files', () => {
      const r = scan('--connect', command, '--yes');
      expect(r.stderr).toBe('');
      expect(r.seen).toEqual({ uid: 65534, hostname: 'sandbox', probe: 'error ENOENT' });
    });

    it('--sandbox gvisor runs it under gVisor; --no-sandbox runs it as the user, reading the host file', () => {
      const g = scan('--connect', command, '--yes', '--sandbox', 'gvisor');
      expect(g.seen).toEqual({ uid: 65534, hostname: 'sandbox', probe: 'error ENOENT' });
      const open = scan('--connect', command, '--yes', '--no-sandbox');
      expect(open.seen.uid).toBe(process.getuid?.());
      expect(open.seen.probe).not.toMatch(/^error/);
    });

    it('a command the sandbox cannot start is an input error (exit 2) that names the command', () => {
      const r = scan('--connect', join(home, 'no-such-server'), '--yes');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `could not start or connect to the server: command not found: ${join(home, 'no-such-server')}`,
      );
    });
  },
);

describe('scan --connect sandbox wiring', () => {
  it('the consent question says where the servers run', () => {
    const t = [{ kind: 'stdio' as const, command: 'node', args: ['x.js'] }];
    expect(consentPrompt(t, 'bwrap sandbox (no network)')).toContain(
      'They run in the bwrap sandbox (no network) until',
    );
    expect(consentPrompt(t)).toContain('They run unsandboxed, with your user rights');
  });

  it("binds the server's project read-only, never system paths, the home directory or its hidden entries", () => {
    expect(argumentBinds(['node', server, '--flag', 'not-a-path'])).toEqual([root]);
    expect(argumentBinds(['node', '/etc/shadow', '/proc/1/environ', '/'])).toEqual([]);
    expect(argumentBinds(['cat', homedir()], '/', homedir())).toEqual([]);
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'id_ed25519'), 'key');
    writeFileSync(join(home, 'server.toml'), 'x');
    expect(argumentBinds(['cat', join(home, '.ssh', 'id_ed25519'), join(home, '.ssh')], '/', home)).toEqual(
      [],
    );
    // A file outside any project is bound alone.
    expect(argumentBinds(['srv', '--config', join(home, 'server.toml')], '/', home)).toEqual([
      join(home, 'server.toml'),
    ]);
  });
});
