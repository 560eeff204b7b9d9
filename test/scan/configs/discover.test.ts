// Discovery over a fake HOME: every client's file is copied where that client keeps it, per
// platform, and discovery must find each one, read its servers with the right lines, and flag
// the risky entries. Nothing here reads the real home folder.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverConfigFiles, scanClientConfigs, scanConfigFiles } from '../../../src/scan/configs/index.js';
import type { Platform } from '../../../src/scan/configs/locations.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/configs');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

interface FakeMachine {
  root: string;
  env: Record<string, string>;
  project: string;
  place(fixture: string, ...path: string[]): string;
}

function fakeMachine(): FakeMachine {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-configs-'));
  temps.push(root);
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  return {
    root,
    project,
    env: {
      HOME: home,
      USERPROFILE: home,
      APPDATA: join(root, 'appdata'),
      XDG_CONFIG_HOME: join(root, 'xdg'),
      PROGRAMDATA: join(root, 'programdata'),
    },
    place(fixture, ...path) {
      const target = join(root, ...path);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(FIXTURES, fixture), target);
      return target;
    },
  };
}

function lineIn(path: string, needle: string): number {
  const text = readFileSync(path, 'utf8');
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

function discover(m: FakeMachine, platform: Platform) {
  return scanClientConfigs({
    env: m.env,
    platform,
    projectDirs: [m.project],
    systemRoot: join(m.root, 'sysroot'),
    cwd: m.root,
  });
}

describe('discovery on Linux', () => {
  it('finds every client file and reads its servers with their lines', () => {
    const m = fakeMachine();
    const desktop = m.place('claude_desktop_config.json', 'xdg', 'Claude', 'claude_desktop_config.json');
    const claude = m.place('claude.json', 'home', '.claude.json');
    m.place('project-mcp.json', 'project', '.mcp.json');
    const cursor = m.place('cursor-mcp.json', 'home', '.cursor', 'mcp.json');
    m.place('vscode-mcp.json', 'project', '.vscode', 'mcp.json');
    m.place('vscode-settings.json', 'xdg', 'Code', 'User', 'settings.json');
    m.place('windsurf-mcp_config.json', 'home', '.codeium', 'windsurf', 'mcp_config.json');
    m.place('zed-settings.json', 'xdg', 'zed', 'settings.json');
    m.place('continue-config.yaml', 'home', '.continue', 'config.yaml');
    const block = m.place('continue-block.yaml', 'project', '.continue', 'mcpServers', 'playwright.yaml');
    m.place('gemini-settings.json', 'home', '.gemini', 'settings.json');
    m.place('gemini-settings.json', 'sysroot', 'etc', 'gemini-cli', 'settings.json');

    const result = discover(m, 'linux');
    expect(result.errors).toEqual([]);
    const byClient = new Map<string, string[]>();
    for (const s of result.servers) byClient.set(s.client, [...(byClient.get(s.client) ?? []), s.name]);
    expect(Object.fromEntries(byClient)).toEqual({
      'claude-desktop': ['github', 'filesystem'],
      'claude-code': ['sentry', 'db', 'installer'],
      cursor: ['remote-docs', 'local-tool'],
      vscode: ['github', 'fetch', 'time'],
      windsurf: ['figma', 'browser'],
      zed: ['postgres', 'git'],
      continue: ['SQLite', 'Remote', 'Browser search'],
      'gemini-cli': ['stream', 'events', 'local', 'stream', 'events', 'local'],
    });
    expect(result.files.map((f) => f.scope)).toContain('system');

    const github = result.servers.find((s) => s.client === 'claude-desktop' && s.name === 'github')!;
    expect(github.configFile).toBe('xdg/Claude/claude_desktop_config.json');
    expect(github.line).toBe(lineIn(desktop, '"github"'));
    expect(github).toMatchObject({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
    });

    const db = result.servers.find((s) => s.name === 'db')!;
    expect(db.project).toBe('/home/me/work/app');
    expect(db.line).toBe(lineIn(claude, '"db"'));

    const remote = result.servers.find((s) => s.name === 'remote-docs')!;
    expect(remote).toMatchObject({
      transport: 'http',
      url: 'http://docs.example.org/mcp',
      line: lineIn(cursor, '"remote-docs"'),
    });

    const zedOld = result.servers.find((s) => s.client === 'zed' && s.name === 'postgres')!;
    expect(zedOld).toMatchObject({ command: 'npx', args: ['-y', '@zed-industries/postgres-context-server'] });

    const gemini = result.servers.filter((s) => s.client === 'gemini-cli');
    expect(gemini.find((s) => s.name === 'stream')!.transport).toBe('http');
    expect(gemini.find((s) => s.name === 'events')!.transport).toBe('sse');
    expect(gemini.find((s) => s.name === 'local')!.cwd).toBe('/home/me/srv');

    const browser = result.servers.find((s) => s.name === 'Browser search')!;
    expect(browser.line).toBe(lineIn(block, 'Browser search'));
    expect(result.servers.find((s) => s.name === 'Remote')!.transport).toBe('http');
  });

  it('flags the risky entries, each at its line, and leaves the careful ones alone', () => {
    const m = fakeMachine();
    const desktop = m.place('claude_desktop_config.json', 'xdg', 'Claude', 'claude_desktop_config.json');
    const project = m.place('project-mcp.json', 'project', '.mcp.json');
    const cursor = m.place('cursor-mcp.json', 'home', '.cursor', 'mcp.json');
    m.place('claude.json', 'home', '.claude.json');
    m.place('vscode-settings.json', 'xdg', 'Code', 'User', 'settings.json');
    const windsurf = m.place('windsurf-mcp_config.json', 'home', '.codeium', 'windsurf', 'mcp_config.json');
    m.place('gemini-settings.json', 'home', '.gemini', 'settings.json');

    const { findings } = discover(m, 'linux');
    const summary = findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.severity}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        `config-unpinned-package xdg/Claude/claude_desktop_config.json:${lineIn(desktop, '"-y", "@modelcontextprotocol/server-github"')} medium`,
        `config-inline-secret xdg/Claude/claude_desktop_config.json:${lineIn(desktop, '"GITHUB_PERSONAL_ACCESS_TOKEN"')} high`,
        `config-remote-script project/.mcp.json:${lineIn(project, 'curl -fsSL')} high`,
        `config-insecure-transport home/.cursor/mcp.json:${lineIn(cursor, '"remote-docs"')} medium`,
        `config-writable-path home/.cursor/mcp.json:${lineIn(cursor, '/tmp/tools/server.js')} medium`,
        `config-inline-secret home/.codeium/windsurf/mcp_config.json:${lineIn(windsurf, '"Authorization"')} high`,
        `config-unpinned-package home/.codeium/windsurf/mcp_config.json:${lineIn(windsurf, '@browsermcp/mcp@latest')} medium`,
      ]),
    );
    // The pinned filesystem server, the pinned time server and the https remotes are clean.
    const flaggedServers = new Set(findings.map((f) => f.evidence.detail?.split(':')[0]));
    expect(flaggedServers.has('xdg/Claude/claude_desktop_config.json#filesystem')).toBe(false);
    expect(flaggedServers.has('xdg/Code/User/settings.json#time')).toBe(false);
    expect(flaggedServers.has('home/.claude.json#sentry')).toBe(false);
    // Claude Code per-project servers are checked too (secret in a database URL, unpinned uvx).
    expect(
      findings
        .filter((f) => f.file === 'home/.claude.json')
        .map((f) => f.rule)
        .sort(),
    ).toEqual(['config-inline-secret', 'config-unpinned-package']);
  });
});

describe('discovery on macOS and Windows layouts', () => {
  it('macOS: Claude Desktop under Application Support, Zed under ~/.config, VS Code user mcp.json', () => {
    const m = fakeMachine();
    m.place(
      'claude_desktop_config.json',
      'home',
      'Library',
      'Application Support',
      'Claude',
      'claude_desktop_config.json',
    );
    m.place('zed-settings.json', 'home', '.config', 'zed', 'settings.json');
    m.place('vscode-mcp.json', 'home', 'Library', 'Application Support', 'Code', 'User', 'mcp.json');
    const files = discoverConfigFiles({
      env: m.env,
      platform: 'darwin',
      projectDirs: [m.project],
      includeSystem: false,
    });
    expect(files.map((f) => f.client)).toEqual(['claude-desktop', 'vscode', 'zed']);
  });

  it('Windows: %APPDATA% for Claude Desktop, VS Code and Zed; %USERPROFILE% for the dot-folders', () => {
    const m = fakeMachine();
    m.place('claude_desktop_config.json', 'appdata', 'Claude', 'claude_desktop_config.json');
    m.place('vscode-settings.json', 'appdata', 'Code - Insiders', 'User', 'settings.json');
    m.place('zed-settings.json', 'appdata', 'Zed', 'settings.json');
    m.place('cursor-mcp.json', 'home', '.cursor', 'mcp.json');
    m.place('gemini-settings.json', 'programdata', 'gemini-cli', 'settings.json');
    // A Linux-only location must not be read on Windows.
    m.place('claude_desktop_config.json', 'xdg', 'Claude', 'claude_desktop_config.json');
    const files = discoverConfigFiles({ env: m.env, platform: 'win32', projectDirs: [m.project] });
    expect(files.map((f) => `${f.client}:${f.scope}`)).toEqual([
      'claude-desktop:user',
      'cursor:user',
      'vscode:user',
      'zed:user',
      'gemini-cli:system',
    ]);
  });

  it('XDG_CONFIG_HOME unset falls back to ~/.config; an empty environment finds nothing and does not throw', () => {
    const m = fakeMachine();
    m.place('zed-settings.json', 'home', '.config', 'zed', 'settings.json');
    const env = { HOME: m.env.HOME! };
    expect(
      discoverConfigFiles({ env, platform: 'linux', projectDirs: [m.project] }).map((f) => f.client),
    ).toEqual(['zed']);
    expect(
      discoverConfigFiles({ env: {}, platform: 'linux', projectDirs: [], includeSystem: false }),
    ).toEqual([]);
  });
});

describe('malformed and hostile configs', () => {
  it('a syntax error is an error entry with file and line, and the other files are still read', () => {
    const m = fakeMachine();
    m.place('broken.json', 'home', '.cursor', 'mcp.json');
    m.place('claude_desktop_config.json', 'xdg', 'Claude', 'claude_desktop_config.json');
    const result = discover(m, 'linux');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      client: 'cursor',
      configFile: 'home/.cursor/mcp.json',
      line: 4,
    });
    expect(result.errors[0]!.message).toMatch(/expected ',' or '}'/);
    expect(result.servers.map((s) => s.name)).toEqual(['github', 'filesystem']);
  });

  it('YAML errors carry line and column', () => {
    const m = fakeMachine();
    const p = join(m.root, 'home', '.continue', 'config.yaml');
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, 'mcpServers:\n  - name: a\n    command: npx\n   args: [oops\n');
    const result = discover(m, 'linux');
    expect(result.errors[0]!.configFile).toBe('home/.continue/config.yaml');
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(3);
    expect(result.errors[0]!.column).toBeDefined();
  });

  it('wrongly typed fields are reported with their field and line; good entries survive', () => {
    const m = fakeMachine();
    const p = join(m.root, 'home', '.cursor', 'mcp.json');
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(
      p,
      '{\n  "mcpServers": {\n    "bad": { "command": 42 },\n    "worse": "npx",\n    "ok": { "command": "node", "args": ["s.js", {"x": 1}] }\n  }\n}\n',
    );
    const result = discover(m, 'linux');
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'mcpServers.bad.command'],
      [3, 'mcpServers.bad'],
      [4, 'mcpServers.worse'],
      [5, 'mcpServers.ok.args[1]'],
    ]);
    expect(result.servers.map((s) => [s.name, s.args])).toEqual([['ok', ['s.js']]]);
  });

  it('binary files, deep nesting and alias bombs are refused as error entries', () => {
    const m = fakeMachine();
    const bin = join(m.root, 'home', '.cursor', 'mcp.json');
    mkdirSync(dirname(bin), { recursive: true });
    writeFileSync(bin, Buffer.from([0x7b, 0x00, 0x7d]));
    const deep = join(m.root, 'home', '.gemini', 'settings.json');
    mkdirSync(dirname(deep), { recursive: true });
    writeFileSync(deep, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const bomb = join(m.root, 'home', '.continue', 'config.yaml');
    mkdirSync(dirname(bomb), { recursive: true });
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    lines.push('mcpServers: *l');
    writeFileSync(bomb, lines.join('\n'));
    const result = discover(m, 'linux');
    expect(result.errors.map((e) => e.configFile).sort()).toEqual([
      'home/.continue/config.yaml',
      'home/.cursor/mcp.json',
      'home/.gemini/settings.json',
    ]);
    expect(result.errors.find((e) => e.configFile.endsWith('mcp.json'))!.message).toMatch(/NUL/);
    expect(result.errors.find((e) => e.configFile.endsWith('settings.json'))!.message).toMatch(/nesting/);
  });

  it('duplicate keys: the last one is used and a note says so', () => {
    const m = fakeMachine();
    const p = join(m.root, 'project', '.vscode', 'mcp.json');
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(
      p,
      '{ "servers": {\n "a": { "command": "node", "args": ["one.js"] },\n "a": { "command": "node", "args": ["two.js"] }\n} }\n',
    );
    const result = discover(m, 'linux');
    expect(result.servers.map((s) => s.args)).toEqual([['two.js']]);
    expect(result.notes).toEqual([
      { configFile: 'project/.vscode/mcp.json', line: 3, message: 'duplicate key "a": the last one is used' },
    ]);
  });
});

describe('config files named on the command line', () => {
  it('are identified by name, else by shape; a JSON file that is no config is an error entry', () => {
    const m = fakeMachine();
    const named = m.place('windsurf-mcp_config.json', 'anywhere', 'mcp_config.json');
    const shaped = m.place('cursor-mcp.json', 'anywhere', 'servers-backup.json');
    const other = join(m.root, 'anywhere', 'package.json');
    writeFileSync(other, '{"name": "x"}');
    const result = scanConfigFiles([named, shaped, other], { cwd: m.root });
    expect(result.files.map((f) => [f.configFile, f.client, f.servers])).toEqual([
      ['anywhere/mcp_config.json', 'windsurf', 2],
      ['anywhere/servers-backup.json', 'unknown', 2],
      ['anywhere/package.json', 'unknown', 0],
    ]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(/not an MCP client config/);
  });
});
