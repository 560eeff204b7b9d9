// What the config reader produces: one entry per MCP server a client would start or connect to, and
// one error entry per file that could not be read — never an exception for a bad file.

export const CONFIG_CLIENTS = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'zed',
  'continue',
  'gemini-cli',
] as const;
/** `unknown`: a file named on the command line whose name and shape match no particular client. */
export type ConfigClient = (typeof CONFIG_CLIENTS)[number] | 'unknown';

export type ServerTransport = 'stdio' | 'http' | 'sse';

/** Where a config file applies: the user's own, one project's, or machine-wide (managed). */
export type ConfigScope = 'user' | 'project' | 'system';

export interface ConfigServer {
  client: ConfigClient;
  /** The config file, as shown (relative to the working directory when inside it). */
  configFile: string;
  /** The server's key in the config (Claude Code per-project servers: `name` as written, see `project`). */
  name: string;
  transport: ServerTransport;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  /** 1-based line of the server's entry. */
  line: number;
  /** Lines of individual fields, keyed `command`, `args[2]`, `env.API_KEY`, `url`, `headers.Authorization`, `cwd`. */
  fieldLines: Record<string, number>;
  /** Claude Code `projects[<path>]`: the project the entry belongs to. */
  project?: string;
  /** The entry says it is disabled (`disabled: true`, `enabled: false`). It is still checked. */
  disabled?: boolean;
}

export interface ConfigError {
  client: ConfigClient;
  configFile: string;
  line: number;
  column?: number;
  /** Dotted path of the offending field, when there is one. */
  field?: string;
  message: string;
}

export interface ConfigFileResult {
  client: ConfigClient;
  configFile: string;
  servers: ConfigServer[];
  errors: ConfigError[];
  /** Not errors, worth a look: duplicate keys, entries that were skipped and why. */
  notes: { line: number; message: string }[];
}
