// The guard's contract: what every transport (stdio proxy, HTTP proxy) and every in-process
// wrapper hands to the one decision engine, and what it gets back. Transports never decide; they
// ask, record and enforce.

export type Action = 'allow' | 'deny' | 'require-approval';
export type Decision = 'allow' | 'deny' | 'require-approval' | 'transform';

export type SourceLabel = 'untrusted' | 'private';
export type SinkLabel = 'external' | 'destructive' | 'execute';

export interface ToolLabels {
  source: SourceLabel[];
  sink: SinkLabel[];
}

/** A tool as the guard knows it, from the upstream server's tools/list. */
export interface GuardedTool {
  server: string;
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
    [k: string]: unknown;
  };
}

export interface ToolCall {
  /** Unique per call (JSON-RPC id is not unique across sessions). */
  callId: string;
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
}

/** Content as MCP returns it; only the text-bearing parts are scanned and rewritten. */
export interface ToolResultContent {
  type: string;
  text?: string;
  [k: string]: unknown;
}

export interface ToolResult {
  content: ToolResultContent[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** Why the engine decided as it did: the rule that fired and a sentence a person can act on. */
export interface Verdict {
  decision: Decision;
  /** Policy rule or built-in check that decided, e.g. `servers.mail.tools.send_email`, `rule-of-two`, `provenance`. */
  rule: string;
  reason: string;
  /** Session labels at the time of the decision (after this call's own labels). */
  labels: string[];
  /** For `transform`: the arguments to forward instead (credentials injected, values normalised). */
  arguments?: Record<string, unknown>;
  /** Stable hash of tool + canonical arguments; approvals bind to it. */
  approvalKey?: string;
}

export type ResultFlag = 'injection' | 'secret' | 'hidden-content' | 'encoded-payload' | 'oversize';

export interface ResultVerdict {
  decision: 'allow' | 'transform' | 'deny';
  rule: string;
  reason: string;
  flags: ResultFlag[];
  labels: string[];
  /** The result to hand to the client (rewritten when flagged, fenced, redacted or quarantined). */
  result: ToolResult;
  /** SHA-256 of the upstream result's canonical JSON, for the audit log. */
  digest: string;
}

/** What the scanner found a tool's code can do; used by the default policy to label tools. */
export type ScannedCapability =
  | 'network'
  | 'file.read'
  | 'file.write'
  | 'file.delete'
  | 'process'
  | 'env'
  | 'secret'
  | 'dynamic-code';

/** Registration input: a listed tool, optionally with the scanner's capabilities for it. */
export interface RegisteredTool extends GuardedTool {
  capabilities?: ScannedCapability[];
}

export interface BlockedTool {
  tool: string;
  reason: string;
  /** The definition itself is the attack (poisoned): clients get it without description and schema texts. */
  withhold?: boolean;
}

export interface RegisterResult {
  blocked: BlockedTool[];
}

/**
 * The context of one agent conversation. Labels only rise; provenance remembers values that came
 * from untrusted results so a later sink call carrying them can be caught.
 */
export interface GuardSession {
  readonly id: string;
  /** Source labels that have entered the context (`untrusted`, `private`). */
  readonly labels: ReadonlySet<SourceLabel>;
  /** Text the user supplied (their prompt); values in it are never tainted. */
  addTrustedInput(text: string): void;
  /** The original text of a quarantined result, for explicit retrieval by the user (never the model). */
  releaseQuarantined(handle: string): string | undefined;
}

/**
 * Approvals already granted (issue 5 plugs its channels in here). The engine asks before returning
 * require-approval: a granted key turns the verdict into allow with rule `approved`.
 */
export interface ApprovalLookup {
  isApproved(sessionId: string, approvalKey: string): boolean;
}

export interface Guard {
  /** Pin check and labelling of one server's tools/list; call again on list_changed. */
  registerTools(server: string, tools: RegisteredTool[]): RegisterResult;
  /** Get or create the session with this id. */
  session(id: string): GuardSession;
  decideCall(session: GuardSession, call: ToolCall): Verdict;
  inspectResult(session: GuardSession, call: ToolCall, result: ToolResult): ResultVerdict;
  /** Labels the guard uses for a tool (policy labels, else inferred). */
  labelsOf(server: string, tool: string): ToolLabels;
  /** Credentials the policy gives this tool; the transport resolves and injects them (issue 5). */
  credentialsFor(server: string, tool: string): ToolCredential[];
}

/** A per-tool secret from the policy: where the proxy reads it and where it injects it. */
export interface ToolCredential {
  from: { env: string } | { file: string };
  inject: { argument: string } | { env: string } | { header: string; prefix?: string };
}
