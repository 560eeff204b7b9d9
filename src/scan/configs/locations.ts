// Where each client keeps its MCP configuration, per operating system. This table is data: the
// discovery code walks it, docs/configs.md documents it, and a test checks the two agree.

import type { ConfigClient, ConfigScope } from './types.js';

export type Platform = 'linux' | 'darwin' | 'win32';

/**
 * The folder a location is relative to:
 * - `home`: `HOME` (Windows: `USERPROFILE`, else `HOME`)
 * - `xdgConfig`: `XDG_CONFIG_HOME`, else `~/.config`
 * - `appData`: Windows `APPDATA`, else `~/AppData/Roaming`
 * - `appSupport`: macOS `~/Library/Application Support`
 * - `programData` / `programFiles`: Windows `PROGRAMDATA` (`C:\ProgramData`), `ProgramFiles` (`C:\Program Files`)
 * - `root`: the file system root (managed, machine-wide files such as `/etc/...`)
 * - `project`: the project folder being scanned (default: the working directory)
 */
export type LocationBase =
  | 'home'
  | 'xdgConfig'
  | 'appData'
  | 'appSupport'
  | 'programData'
  | 'programFiles'
  | 'root'
  | 'project';

/** Which shape of file the reader expects there. */
export type ConfigFormat =
  | 'mcpServers' // { "mcpServers": { name: entry } } — Claude Desktop, Cursor, Windsurf, Gemini, .mcp.json
  | 'claudeCode' // ~/.claude.json: top-level mcpServers plus projects[path].mcpServers
  | 'vscodeMcp' // .vscode/mcp.json: { "servers": {...}, "inputs": [...] } (JSONC)
  | 'vscodeSettings' // settings.json: { "mcp": { "servers": {...} } } (JSONC)
  | 'zedSettings' // settings.json: { "context_servers": {...} } (JSONC)
  | 'continueConfig' // config.yaml `mcpServers: [...]` or config.json `experimental.modelContextProtocolServers`
  | 'continueBlock'; // .continue/mcpServers/*.yaml|json: a block with `mcpServers: [...]`, or an mcpServers JSON

export interface ConfigLocation {
  client: ConfigClient;
  scope: ConfigScope;
  platforms: readonly Platform[];
  base: LocationBase;
  /** Path segments below the base. */
  segments: readonly string[];
  format: ConfigFormat;
  /** A folder whose files with these extensions are each a config (Continue's mcpServers folder). */
  directoryOf?: readonly string[];
}

const ALL: readonly Platform[] = ['linux', 'darwin', 'win32'];

function at(
  client: ConfigClient,
  scope: ConfigScope,
  platforms: readonly Platform[],
  base: LocationBase,
  segments: readonly string[],
  format: ConfigFormat,
  directoryOf?: readonly string[],
): ConfigLocation {
  return directoryOf
    ? { client, scope, platforms, base, segments, format, directoryOf }
    : { client, scope, platforms, base, segments, format };
}

const VSCODE_FLAVOURS = ['Code', 'Code - Insiders'] as const;

function vscodeUser(): ConfigLocation[] {
  const out: ConfigLocation[] = [];
  for (const flavour of VSCODE_FLAVOURS) {
    for (const [platform, base] of [
      ['linux', 'xdgConfig'],
      ['darwin', 'appSupport'],
      ['win32', 'appData'],
    ] as const) {
      out.push(at('vscode', 'user', [platform], base, [flavour, 'User', 'mcp.json'], 'vscodeMcp'));
      out.push(at('vscode', 'user', [platform], base, [flavour, 'User', 'settings.json'], 'vscodeSettings'));
    }
  }
  return out;
}

export const CONFIG_LOCATIONS: readonly ConfigLocation[] = [
  // Claude Desktop (Linux builds are unofficial but use the same layout under ~/.config).
  at(
    'claude-desktop',
    'user',
    ['darwin'],
    'appSupport',
    ['Claude', 'claude_desktop_config.json'],
    'mcpServers',
  ),
  at('claude-desktop', 'user', ['win32'], 'appData', ['Claude', 'claude_desktop_config.json'], 'mcpServers'),
  at(
    'claude-desktop',
    'user',
    ['linux'],
    'xdgConfig',
    ['Claude', 'claude_desktop_config.json'],
    'mcpServers',
  ),
  // Claude Code: user file with per-project sections, the project's .mcp.json, managed machine-wide file.
  at('claude-code', 'user', ALL, 'home', ['.claude.json'], 'claudeCode'),
  at('claude-code', 'project', ALL, 'project', ['.mcp.json'], 'mcpServers'),
  at('claude-code', 'system', ['linux'], 'root', ['etc', 'claude-code', 'managed-mcp.json'], 'mcpServers'),
  at(
    'claude-code',
    'system',
    ['darwin'],
    'root',
    ['Library', 'Application Support', 'ClaudeCode', 'managed-mcp.json'],
    'mcpServers',
  ),
  at('claude-code', 'system', ['win32'], 'programFiles', ['ClaudeCode', 'managed-mcp.json'], 'mcpServers'),
  at('claude-code', 'system', ['win32'], 'programData', ['ClaudeCode', 'managed-mcp.json'], 'mcpServers'),
  // Cursor
  at('cursor', 'user', ALL, 'home', ['.cursor', 'mcp.json'], 'mcpServers'),
  at('cursor', 'project', ALL, 'project', ['.cursor', 'mcp.json'], 'mcpServers'),
  // VS Code: workspace mcp.json, user mcp.json and the older `mcp.servers` user/workspace setting.
  at('vscode', 'project', ALL, 'project', ['.vscode', 'mcp.json'], 'vscodeMcp'),
  at('vscode', 'project', ALL, 'project', ['.vscode', 'settings.json'], 'vscodeSettings'),
  ...vscodeUser(),
  // Windsurf
  at('windsurf', 'user', ALL, 'home', ['.codeium', 'windsurf', 'mcp_config.json'], 'mcpServers'),
  // Zed (macOS also keeps its settings under ~/.config/zed).
  at('zed', 'user', ['linux'], 'xdgConfig', ['zed', 'settings.json'], 'zedSettings'),
  at('zed', 'user', ['darwin'], 'home', ['.config', 'zed', 'settings.json'], 'zedSettings'),
  at('zed', 'user', ['win32'], 'appData', ['Zed', 'settings.json'], 'zedSettings'),
  at('zed', 'project', ALL, 'project', ['.zed', 'settings.json'], 'zedSettings'),
  // Continue
  at('continue', 'user', ALL, 'home', ['.continue', 'config.yaml'], 'continueConfig'),
  at('continue', 'user', ALL, 'home', ['.continue', 'config.json'], 'continueConfig'),
  at('continue', 'project', ALL, 'project', ['.continue', 'mcpServers'], 'continueBlock', [
    '.yaml',
    '.yml',
    '.json',
  ]),
  // Gemini CLI
  at('gemini-cli', 'user', ALL, 'home', ['.gemini', 'settings.json'], 'mcpServers'),
  at('gemini-cli', 'project', ALL, 'project', ['.gemini', 'settings.json'], 'mcpServers'),
  at('gemini-cli', 'system', ['linux'], 'root', ['etc', 'gemini-cli', 'settings.json'], 'mcpServers'),
  at(
    'gemini-cli',
    'system',
    ['darwin'],
    'root',
    ['Library', 'Application Support', 'GeminiCli', 'settings.json'],
    'mcpServers',
  ),
  at('gemini-cli', 'system', ['win32'], 'programData', ['gemini-cli', 'settings.json'], 'mcpServers'),
];

/** How a base is written in documentation, per platform. */
export function describeBase(base: LocationBase, platform: Platform): string {
  switch (base) {
    case 'home':
      return platform === 'win32' ? '%USERPROFILE%' : '~';
    case 'xdgConfig':
      return '$XDG_CONFIG_HOME';
    case 'appData':
      return '%APPDATA%';
    case 'appSupport':
      return '~/Library/Application Support';
    case 'programData':
      return '%PROGRAMDATA%';
    case 'programFiles':
      return '%ProgramFiles%';
    case 'root':
      return '';
    case 'project':
      return '<project>';
  }
}

/** `~/.cursor/mcp.json`, `%APPDATA%\Claude\claude_desktop_config.json`, `/etc/gemini-cli/settings.json`. */
export function describeLocation(location: ConfigLocation, platform: Platform): string {
  const sep = platform === 'win32' ? '\\' : '/';
  const tail =
    location.segments.join(sep) + (location.directoryOf ? `${sep}*{${location.directoryOf.join(',')}}` : '');
  const base = describeBase(location.base, platform);
  if (location.base === 'root') return platform === 'win32' ? `C:\\${tail}` : `/${tail}`;
  return `${base}${sep}${tail}`;
}
