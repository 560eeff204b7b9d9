// guardClient: the official MCP SDK Client with the guard in process. It is the proxy's own core
// (ProxyCore, on CallGate) driven by the app's connected Client instead of a spawned upstream, so a
// tools/list, tools/call, a prompt or resource listing, resources/read or prompts/get gets exactly
// the proxy's decisions, labels, pins, result handling and audit records — without a second process.

import type {
  Client,
  ListPromptsResult,
  ListResourcesResult,
  ListResourceTemplatesResult,
} from '@modelcontextprotocol/client';
import { PortcullisError } from '../core/errors.js';
import type { GuardSession, ToolResult } from '../guard/index.js';
import type { PromptMessage, ResourceContents } from '../proxy/content.js';
import { type ListedTool, ProxyCore } from '../proxy/core.js';
import { ProxyLog } from '../proxy/log.js';
import type { Upstream } from '../proxy/upstream.js';
import { type AdapterOptions, createAdapterContext } from './setup.js';

export interface GuardClientOptions extends AdapterOptions {
  /** Per-request timeout towards the server, ms. Default 60 s, like the proxy. */
  callTimeoutMs?: number;
}

/** Per-request options of the guarded methods (a subset of the SDK's RequestOptions). */
export interface GuardedRequestOptions {
  signal?: AbortSignal;
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

const signalOf = (options: GuardedRequestOptions): AbortSignal =>
  options.signal ?? new AbortController().signal;

/**
 * A connected MCP client behind the guard. The raw `client` stays reachable for the app's own use;
 * what the model may trigger should go through this object.
 */
export class GuardedClient {
  private constructor(
    readonly client: Client,
    private readonly core: ProxyCore,
    private readonly closeAudit: () => Promise<void>,
  ) {}

  /** @internal Use guardClient(). */
  static create(client: Client, core: ProxyCore, closeAudit: () => Promise<void>): GuardedClient {
    return new GuardedClient(client, core, closeAudit);
  }

  /** The server name used for policy rules, pins and audit records. */
  get server(): string {
    return this.core.server;
  }

  get session(): GuardSession {
    return this.core.session;
  }

  /** Text the user supplied (their prompt): values in it are never tainted by provenance. */
  addTrustedInput(text: string): void {
    this.core.session.addTrustedInput(text);
  }

  /** The server's instructions, withheld when they differ from the pinned ones. */
  getInstructions(): string | undefined {
    return this.core.instructions();
  }

  /**
   * Lists every tool (all pages), registers them with the guard (labels, pins) and returns them as
   * the proxy shows them: labels in `_meta.portcullis`, blocked tools marked or hidden. Call it
   * again when the server says its tools changed.
   */
  async listTools(): Promise<{ tools: ListedTool[] }> {
    return { tools: this.core.view(await this.core.listTools()) };
  }

  /** A tool call, decided, recorded, forwarded and its result inspected; a refusal is an `isError` result. */
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    options: GuardedRequestOptions = {},
  ): Promise<ToolResult> {
    return this.core.callTool(params, options.signal ?? new AbortController().signal, options.onprogress);
  }

  /**
   * prompts/list as the proxy serves it: every prompt judged by the poisoning judges, a poisoned one
   * listed by name only (or left out with `blockedTools: 'hide'`). Without a cursor the SDK walks
   * every page; with one, that page and its `nextCursor`.
   */
  async listPrompts(
    params?: { cursor?: string },
    options: GuardedRequestOptions = {},
  ): Promise<ListPromptsResult> {
    return (await this.core.listContent('prompt', params, signalOf(options))) as ListPromptsResult;
  }

  /** resources/list, judged like listPrompts; a poisoned resource keeps its uri only. */
  async listResources(
    params?: { cursor?: string },
    options: GuardedRequestOptions = {},
  ): Promise<ListResourcesResult> {
    return (await this.core.listContent('resource', params, signalOf(options))) as ListResourcesResult;
  }

  /** resources/templates/list, judged like listPrompts; a poisoned template keeps its uriTemplate only. */
  async listResourceTemplates(
    params?: { cursor?: string },
    options: GuardedRequestOptions = {},
  ): Promise<ListResourceTemplatesResult> {
    return (await this.core.listContent(
      'template',
      params,
      signalOf(options),
    )) as ListResourceTemplatesResult;
  }

  /** resources/read, decided and inspected like a call; a refusal throws the proxy's Refusal error. */
  readResource(
    params: { uri: string },
    options: GuardedRequestOptions = {},
  ): Promise<{ contents: ResourceContents[] }> {
    return this.core.readResource(params, options.signal ?? new AbortController().signal);
  }

  /** prompts/get, decided and inspected like a call; a refusal throws the proxy's Refusal error. */
  getPrompt(
    params: { name: string; arguments?: Record<string, string> },
    options: GuardedRequestOptions = {},
  ): Promise<{ messages: PromptMessage[] }> {
    return this.core.getPrompt(params, options.signal ?? new AbortController().signal);
  }

  /** Closes the audit log when guardClient opened it. The client itself is the app's to close. */
  close(): Promise<void> {
    return this.closeAudit();
  }
}

/**
 * Puts the guard in front of a connected MCP SDK Client. Opens the audit log (so it is async), and
 * lists and registers the server's tools so labels and pins apply from the first call.
 */
export async function guardClient(client: Client, options: GuardClientOptions = {}): Promise<GuardedClient> {
  const info = client?.getServerVersion?.();
  if (!info || !client.transport)
    throw new PortcullisError('USAGE', 'guardClient needs a connected Client (call client.connect first)', {
      field: 'client',
    });
  const timeout = options.callTimeoutMs ?? 60_000;
  if (!Number.isSafeInteger(timeout) || timeout < 1)
    throw new PortcullisError('USAGE', 'callTimeoutMs must be a whole number of milliseconds ≥ 1', {
      field: 'callTimeoutMs',
    });
  const declared = typeof info.name === 'string' && info.name.length > 0 ? info.name : 'mcp';
  const ctx = createAdapterContext(options, declared);
  const audit = await ctx.audit;
  if (options.sessionId !== undefined && options.sessionId !== audit.sessionId)
    throw new PortcullisError(
      'USAGE',
      "with an open AuditLog the session is the log's: leave sessionId out",
      {
        field: 'sessionId',
      },
    );
  const upstream: Upstream = {
    client,
    transport: client.transport,
    name: ctx.server,
    version: typeof info.version === 'string' ? info.version : undefined,
    instructions: client.getInstructions(),
    capabilities: client.getServerCapabilities() ?? {},
  };
  const events = options.onEvent;
  const core = new ProxyCore({
    guard: ctx.guard,
    audit,
    upstream,
    server: ctx.server,
    log: new ProxyLog((line) => events?.('guard', line)),
    ...(options.lock ? { lock: options.lock } : {}),
    callTimeoutMs: timeout,
    blockedTools: options.blockedTools ?? 'mark',
    sampling: false,
    elicitation: false,
    ...(options.approvals ? { approvals: options.approvals } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const guarded = GuardedClient.create(client, core, ctx.close);
  try {
    if (upstream.capabilities.tools) await core.listTools();
  } catch (e) {
    await ctx.close();
    throw e;
  }
  return guarded;
}
