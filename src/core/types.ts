// The shared vocabulary of Portcullis. This module imports nothing of ours.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: critical = 4 … info = 0. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s);
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

export type Language = 'python' | 'javascript' | 'typescript';

/** A place in a source file. Lines and columns are 1-based; file is relative to the working directory. */
export interface Location {
  file: string;
  line: number;
  column?: number;
}

/**
 * What code can do. Capabilities are what claims talk about and what effects are classified as.
 * `file.*` covers the local filesystem; `secret` is reading credentials (env vars with secret names,
 * credential files, keychains); `dynamic-code` is eval/exec/Function/pickle and unresolvable imports.
 */
export const CAPABILITIES = [
  'network',
  'file.read',
  'file.write',
  'file.delete',
  'process',
  'env',
  'secret',
  'dynamic-code',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Sensitive locations a path can point at. */
export type SensitiveKind =
  | 'ssh'
  | 'cloud-credentials'
  | 'dotenv'
  | 'netrc'
  | 'browser-profile'
  | 'wallet'
  | 'keychain'
  | 'agent-config'
  | 'system'
  | 'shell-history'
  | 'git-credentials';

/** A source of data inside a tool: a parameter of the tool, or a secret the code reads. */
export type DataSource =
  | { kind: 'param'; name: string }
  | { kind: 'secret'; detail: string; location: Location; sensitive?: SensitiveKind }
  | { kind: 'env'; detail: string; location: Location };

/** One thing a tool handler (or something it calls) can do. */
export interface Effect {
  capability: Capability;
  /** Canonical API, e.g. `requests.post`, `fs.readFileSync`, `child_process.exec`, `eval`. */
  api: string;
  location: Location;
  /** Statically known target: a URL, host, path, command or env var name. */
  target?: string;
  /** Set when the target is a sensitive location. */
  sensitive?: SensitiveKind;
  /** Function names from the handler to the function containing the effect, handler first. */
  callPath: string[];
  /**
   * The API name was reached through obfuscation (string building, decoding, getattr/globalThis
   * indexing), or, for dynamic code, the code it runs was decoded from a constant.
   */
  obfuscated?: boolean;
  /** The callee or module could not be resolved statically (`require(x)`, `import_module(name)`). */
  unresolved?: boolean;
  /** Human description of a condition that gates the effect (time, environment, counter). */
  gate?: string;
  /** Network effects: the HTTP method (uppercase) when statically known (`requests.delete`, `fetch(u, { method: 'PUT' })`). */
  method?: string;
}

/** A source reaching a sink effect. */
export interface Flow {
  source: DataSource;
  sink: Effect;
  /** Steps from the source to the sink (assignments, calls), in order. */
  path: Location[];
}

export type ClaimPolarity = 'affirms' | 'denies' | 'implies';

/** Something a description says (or implies) about what the tool does. */
export interface Claim {
  polarity: ClaimPolarity;
  capability: Capability | 'persist' | 'mutation';
  /** The words that made the claim. */
  text: string;
  /**
   * Where it came from: the description, a parameter's description, or the tool's name (`name`,
   * domain implications only). `start`/`end` are character offsets into that text.
   */
  source: 'description' | 'name' | `param:${string}`;
  start: number;
  end: number;
  /**
   * An assurance or a qualified denial ("safe for file paths", "no third parties"): it raises
   * confidence in another finding but is never a contradiction on its own.
   */
  weak?: boolean;
}

export interface ToolParameter {
  name: string;
  description?: string;
  type?: string;
  required?: boolean;
}

export type Framework =
  | 'mcp-fastmcp'
  | 'mcp-lowlevel'
  | 'mcp-sdk'
  | 'langchain'
  | 'smolagents'
  | 'crewai'
  | 'openai-agents'
  | 'vercel-ai'
  | 'manifest'
  | 'unknown';

/** A tool as the scanner found it. `id` is `FILE#NAME` with FILE the registration file relative to cwd. */
export interface ToolDefinition {
  id: string;
  name: string;
  file: string;
  line: number;
  language: Language | 'manifest';
  framework: Framework;
  description: string;
  /** False when the description could not be resolved statically (built at run time). */
  descriptionResolved: boolean;
  parameters: ToolParameter[];
  handler?: { name: string; file: string; line: number };
  /** The tool's display title, when the source gives one (MCP `title`). */
  title?: string;
  /** The raw JSON Schema of the arguments, when the source gives one (manifests): defaults, enums, examples. */
  inputSchema?: unknown;
  effects: Effect[];
  flows: Flow[];
  claims: Claim[];
}

export interface Evidence {
  /** The sink or offending place. */
  location?: Location;
  /** Function names from the handler to the sink. */
  callPath?: string[];
  /** Steps from the data source to the sink. */
  dataPath?: Location[];
  /** The words of the description this finding contrasts with. */
  claim?: string;
  /** Free-form extra context (decoded payload, matched text). */
  detail?: string;
}

export interface Finding {
  /** Stable id: hash of rule, tool and location, so baselines survive reordering. */
  id: string;
  rule: string;
  severity: Severity;
  /** The tool's id (`FILE#NAME`), or undefined for file-level findings. */
  tool?: string;
  file: string;
  line: number;
  message: string;
  evidence: Evidence;
}
