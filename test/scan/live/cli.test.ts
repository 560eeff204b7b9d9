// `portcullis scan --configs / --connect / --yes` through the real command (in process): exit codes,
// consent, the JSON additions, and that secrets from configs never reach the report.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const TOKEN = 'ghp_Zq4Lm8Rt2Wx6Yb1Nc5Vd9Kf3Hj7Gp0Ts4Ua8';
let root: string;
const saved: Record<string, string | undefined> = {};

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'portcullis', 'scan', '--no-progress', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portcullis-scan-live-'));
  for (const k of ['HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'APPDATA', 'PROGRAMDATA']) {
    saved[k] = process.env[k];
    process.env[k] = join(root, k === 'XDG_CONFIG_HOME' ? 'xdg' : 'home');
  }
  const target = join(root, 'xdg', 'Claude', 'claude_desktop_config.json');
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(FIXTURES, 'configs', 'claude_desktop_config.json'), target);
});

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(root, { recursive: true, force: true });
});

describe('scan --configs', () => {
  it('reports the configured servers and their risky lines; exits 1 on the inline token; never prints it', async () => {
    const r = await run('--configs', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(1);
    const names = report.configs.servers.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['github', 'filesystem']));
    const rules = report.findings.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['config-inline-secret', 'config-unpinned-package']));
    expect(r.stdout).not.toContain(TOKEN);
  });

  it('text output lists servers per config file, and --rules narrows to config rules', async () => {
    const r = await run('--configs', '--rules', 'config-unpinned-package');
    expect(r.stdout).toMatch(/MCP client configs: \d+ files?, \d+ servers?/);
    expect(r.stdout).toContain('github [stdio]');
    expect(r.stdout).not.toContain(TOKEN);
    expect(r.stdout).toContain('config-unpinned-package');
    expect(r.stdout).not.toContain('config-inline-secret');
    expect(r.code).toBe(0); // medium findings only, default --fail-on high
  });
});

describe('scan --connect', () => {
  it('without a terminal and without --yes, refuses with exit 2 and starts nothing', async () => {
    const marker = join(root, 'started');
    const r = await run('--connect', `node -e "require('fs').writeFileSync('${marker}', 'x')"`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(existsSync(marker)).toBe(false);
  });

  it('with --yes, inspects a real stdio server and reports its tools as live:<name>#<tool>', async () => {
    const server = join(FIXTURES, 'servers', 'stdio-server.mjs');
    const r = await run('--connect', `"${process.execPath}" "${server}"`, '--yes', '--format', 'json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.tools.map((t: { id: string }) => t.id)).toEqual([
      'live:stdio-server.mjs#add',
      'live:stdio-server.mjs#get_forecast',
    ]);
    expect(report.tools[1].line).toBe(0);
    expect(report.live[0].result.server).toMatchObject({ name: 'fixture-weather', version: '1.2.3' });
    expect(report.live[0].result.processTreeEnded).toBe(true);
  });

  it('a named target that cannot be started is an input error (exit 2)', async () => {
    const r = await run('--connect', join(root, 'no-such-server'), '--yes');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not start or connect/);
  });

  it('--connect alone needs --configs; no path and no source is a usage error', async () => {
    expect((await run('--connect')).code).toBe(2);
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to scan/);
  });
});

describe('scan CONFIG_FILE', () => {
  it('a client config named as a path is read as a config, next to an ordinary manifest', async () => {
    const cfg = join(root, 'mcp_config.json');
    copyFileSync(join(FIXTURES, 'configs', 'windsurf-mcp_config.json'), cfg);
    const manifest = join(root, 'tools.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        tools: [{ name: 'echo', description: 'Echo the text back.', inputSchema: { type: 'object' } }],
      }),
    );
    const r = await run(cfg, manifest, '--format', 'json');
    const report = JSON.parse(r.stdout);
    expect(report.configs.files.map((f: { client: string }) => f.client)).toEqual(['windsurf']);
    expect(report.tools.map((t: { name: string }) => t.name)).toEqual(['echo']);
    expect(report.findings.map((f: { rule: string }) => f.rule).sort()).toEqual([
      'config-inline-secret',
      'config-unpinned-package',
    ]);
    expect(r.stdout).not.toContain('figd_k2Jx9Lq4Mz7Np1Rv5Tw8Yb3Cd6Fh0Gs');
    expect(r.code).toBe(1);
  });
});
