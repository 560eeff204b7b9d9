// Finds the MCP client configs on this machine (or in a fake home, for tests) and reads them.
// Everything machine-specific — environment variables, platform, project folder, file system root —
// is injectable, so discovery is testable without touching the real home directory.

import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { displayPath } from '../manifest/load.js';
import {
  CONFIG_LOCATIONS,
  type ConfigFormat,
  type ConfigLocation,
  type LocationBase,
  type Platform,
} from './locations.js';
import {
  identifyConfigFile,
  parseConfigDocument,
  readConfigFile,
  readConfigSource,
  readNamedConfigFile,
  sniffConfigFormat,
} from './read.js';
import type { ConfigClient, ConfigFileResult, ConfigScope } from './types.js';

export interface DiscoverOptions {
  /** Environment to read HOME, USERPROFILE, APPDATA, XDG_CONFIG_HOME, PROGRAMDATA… from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  platform?: Platform;
  /** Project folders whose project-level configs are read (default: the working directory). */
  projectDirs?: string[];
  /** Prefix for machine-wide paths such as /etc/... (tests point it at a temp folder). Default: `/`. */
  systemRoot?: string;
  /** Read machine-wide (managed) configs too. Default true. */
  includeSystem?: boolean;
  /** Shown paths are relative to this (default process.cwd()). */
  cwd?: string;
  /** Clients to look for (default: all). */
  clients?: readonly ConfigClient[];
}

export interface DiscoveredConfig {
  client: ConfigClient;
  scope: ConfigScope;
  format: ConfigFormat;
  /** Absolute path. */
  path: string;
}

/** Continue's block folder can hold many files; a folder with more than this is not read entirely. */
const MAX_BLOCK_FILES = 200;

function currentPlatform(): Platform {
  return process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
}

function baseDirs(
  base: LocationBase,
  env: Readonly<Record<string, string | undefined>>,
  platform: Platform,
  projectDirs: string[],
  systemRoot: string,
): string[] {
  const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v : undefined);
  const home =
    (platform === 'win32' ? nonEmpty(env.USERPROFILE) : undefined) ??
    nonEmpty(env.HOME) ??
    (env === process.env ? homedir() : undefined);
  const under = (...parts: string[]): string[] => (home ? [join(home, ...parts)] : []);
  switch (base) {
    case 'home':
      return home ? [home] : [];
    case 'xdgConfig': {
      const xdg = nonEmpty(env.XDG_CONFIG_HOME);
      return xdg ? [xdg] : under('.config');
    }
    case 'appData': {
      const appData = nonEmpty(env.APPDATA);
      return appData ? [appData] : under('AppData', 'Roaming');
    }
    case 'appSupport':
      return under('Library', 'Application Support');
    case 'programData': {
      const pd = nonEmpty(env.PROGRAMDATA) ?? nonEmpty(env.ALLUSERSPROFILE);
      return pd ? [pd] : [];
    }
    case 'programFiles': {
      const pf = nonEmpty(env.ProgramFiles) ?? nonEmpty(env.PROGRAMFILES);
      return pf ? [pf] : [];
    }
    case 'root':
      return [systemRoot];
    case 'project':
      return projectDirs;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function filesOf(location: ConfigLocation, dir: string): string[] {
  const full = join(dir, ...location.segments);
  if (!location.directoryOf) return isFile(full) ? [full] : [];
  let names: string[];
  try {
    names = readdirSync(full);
  } catch {
    return [];
  }
  const exts = location.directoryOf;
  return names
    .filter((n) => exts.includes(extname(n).toLowerCase()))
    .sort()
    .slice(0, MAX_BLOCK_FILES)
    .map((n) => join(full, n))
    .filter(isFile);
}

/** The config files that exist, in table order, each once (a path matched twice is read once). */
export function discoverConfigFiles(options: DiscoverOptions = {}): DiscoveredConfig[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? currentPlatform();
  const cwd = options.cwd ?? process.cwd();
  const projectDirs = (options.projectDirs ?? [cwd]).map((d) => resolve(cwd, d));
  const systemRoot = options.systemRoot ?? (platform === 'win32' ? 'C:\\' : '/');
  const seen = new Set<string>();
  const found: DiscoveredConfig[] = [];
  for (const location of CONFIG_LOCATIONS) {
    if (!location.platforms.includes(platform)) continue;
    if (location.scope === 'system' && options.includeSystem === false) continue;
    if (options.clients && !options.clients.includes(location.client)) continue;
    for (const dir of baseDirs(location.base, env, platform, projectDirs, systemRoot)) {
      for (const path of filesOf(location, dir)) {
        const key = resolve(path);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ client: location.client, scope: location.scope, format: location.format, path: key });
      }
    }
  }
  return found;
}

export interface ConfigReadResult {
  files: (ConfigFileResult & { scope?: ConfigScope; path: string })[];
}

/** Discovers and reads every config: the `--configs` half of `portcullis scan`. */
export function readDiscoveredConfigs(options: DiscoverOptions = {}): ConfigReadResult {
  const cwd = options.cwd ?? process.cwd();
  return {
    files: discoverConfigFiles(options).map((d) => ({
      ...readConfigFile(d.path, displayPath(d.path, cwd), d.client, d.format),
      scope: d.scope,
      path: d.path,
    })),
  };
}

/** Reads a config file named on the command line (client and format from its name or shape). */
export function readConfigPath(path: string, cwd: string = process.cwd()): ConfigFileResult {
  const abs = resolve(cwd, path);
  return readNamedConfigFile(abs, displayPath(abs, cwd));
}

/**
 * Whether a path named on the command line is an MCP client config (by name, else by shape) rather
 * than source or a tools/list manifest, so the scan can route it to the config reader.
 */
export function isClientConfigFile(path: string, cwd: string = process.cwd()): boolean {
  const abs = resolve(cwd, path);
  try {
    if (!statSync(abs).isFile()) return false;
  } catch {
    return false;
  }
  if (identifyConfigFile(abs)) return true;
  if (!/\.(?:json|jsonc|ya?ml)$/i.test(abs)) return false;
  const source = readConfigSource(abs);
  if ('error' in source) return false;
  try {
    const doc = parseConfigDocument(source.text, abs, []);
    const value = doc.value as Record<string, unknown> | null;
    if (value && typeof value === 'object' && Array.isArray((value as { tools?: unknown }).tools))
      return false;
    return sniffConfigFormat(value) !== undefined;
  } catch {
    return false;
  }
}
