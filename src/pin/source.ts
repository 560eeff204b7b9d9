// Where tool definitions come from. Pinning and verification only see this interface, so manifest
// files today, and source trees or live servers later, plug in without touching the lockfile code.

/**
 * One tool definition as a server lists it (MCP `tools/list`). Fields are `unknown` because a live
 * server can send anything; the fingerprint covers whatever was sent.
 */
export interface PinnableTool {
  name: string;
  title?: unknown;
  description?: unknown;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
  /** Where the definition was read from, for messages. */
  location?: { file: string; line: number };
}

/** What one source yields: the tools of one server. */
export interface ToolSnapshot {
  /** Stable key of the server in the lockfile: its declared name, else the source path. */
  serverKey: string;
  /** Human-readable origin (a file path, a command line, a URL). */
  origin: string;
  /** The server's declared version, recorded for information only. */
  version?: string;
  /** The server's `instructions`, which the model reads like a description. */
  instructions?: string;
  tools: PinnableTool[];
}

export interface ToolSource {
  /** Human-readable origin, used before loading (e.g. in errors). */
  readonly origin: string;
  load(): Promise<ToolSnapshot>;
}
