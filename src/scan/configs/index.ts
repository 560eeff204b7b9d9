// Client configs: find them, read their MCP servers, flag risky launch lines.

import type { Finding } from '../../core/types.js';
import { type DiscoverOptions, readConfigPath, readDiscoveredConfigs } from './discover.js';
import { type ConfigRuleOptions, runConfigRules } from './rules/index.js';
import type { ConfigError, ConfigFileResult, ConfigScope, ConfigServer } from './types.js';

export { parseJsonc } from '../../core/json-text.js';
export {
  type DiscoveredConfig,
  type DiscoverOptions,
  discoverConfigFiles,
  isClientConfigFile,
  readConfigPath,
  readDiscoveredConfigs,
} from './discover.js';
export { readLaunchLine } from './launch.js';
export { CONFIG_LOCATIONS, type ConfigLocation, describeLocation, type Platform } from './locations.js';
export { identifyConfigFile, parseConfigText, readConfigFile } from './read.js';
export {
  CONFIG_RULES,
  type ConfigRule,
  type ConfigRuleOptions,
  runConfigRules,
  serverKey,
} from './rules/index.js';
export * from './types.js';

export interface ConfigScanResult {
  files: {
    client: ConfigFileResult['client'];
    configFile: string;
    scope?: ConfigScope;
    servers: number;
    errors: number;
  }[];
  servers: ConfigServer[];
  errors: ConfigError[];
  notes: { configFile: string; line: number; message: string }[];
  findings: Finding[];
}

function collect(
  results: (ConfigFileResult & { scope?: ConfigScope })[],
  rules: ConfigRuleOptions,
): ConfigScanResult {
  const servers = results.flatMap((r) => r.servers);
  return {
    files: results.map((r) => ({
      client: r.client,
      configFile: r.configFile,
      ...(r.scope ? { scope: r.scope } : {}),
      servers: r.servers.length,
      errors: r.errors.length,
    })),
    servers,
    errors: results.flatMap((r) => r.errors),
    notes: results.flatMap((r) => r.notes.map((n) => ({ configFile: r.configFile, ...n }))),
    findings: runConfigRules(servers, rules),
  };
}

/** `portcullis scan --configs`: every client config on this machine (or under the injected home). */
export function scanClientConfigs(options: DiscoverOptions & ConfigRuleOptions = {}): ConfigScanResult {
  const { rules, checkFilesystem, ...discover } = options;
  return collect(readDiscoveredConfigs(discover).files, {
    ...(rules ? { rules } : {}),
    checkFilesystem: checkFilesystem ?? true,
  });
}

/** Config files named by the user. The disk check for writable folders is off unless asked for. */
export function scanConfigFiles(
  paths: readonly string[],
  options: ConfigRuleOptions & { cwd?: string } = {},
): ConfigScanResult {
  const { cwd, ...rules } = options;
  return collect(
    paths.map((p) => readConfigPath(p, cwd)),
    rules,
  );
}
