// The transport-independent heart of the proxy: one guard session, one audit log, one upstream
// client. Every client-facing face (stdio today, Streamable HTTP next) routes requests here; this
// is where decideCall → audit → forward → inspectResult → audit happens, and where every failure
// turns into a refusal.

import { randomUUID } from 'node:crypto';
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { AuditLog, AuditRecordInput } from '../audit/index.js';
import {
  type ApprovalChannel,
  type BlockedTool,
  CallGate,
  type CredentialBroker,
  type ForwardFailure,
  type Guard,
  type GuardSession,
  type ToolCall,
  type ToolResult,
} from '../guard/index.js';
import { type ListingKind, ListingVetter } from '../guard/vet-listings.js';
import { checkInstructions, type Lockfile } from '../pin/index.js';
import { poisonedInstructions } from '../text/tool/instructions.js';
import {
  type PromptMessage,
  promptAsResult,
  type ResourceContents,
  resourcesAsResult,
  resultAsPrompt,
  resultAsResources,
} from './content.js';
import type { ProxyLog } from './log.js';
import { type Progress, screenProgress } from './progress.js';
import type { Upstream } from './upstream.js';

/** A refusal the face reports as a JSON-RPC error (prompts, resources) rather than a tool result. */
export class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ProxyCoreOptions {
  guard: Guard;
  audit: AuditLog;
  upstream: Upstream;
  /** The server's key for policy rules, pins and audit records. */
  server: string;
  log: ProxyLog;
  lock?: Lockfile;
  /** Per-call timeout for upstream requests, ms. */
  callTimeoutMs: number;
  blockedTools: 'mark' | 'hide';
  sampling: boolean;
  elicitation: boolean;
  /** How require-approval decisions are asked; without one they are denied at once. */
  approvals?: ApprovalChannel;
  /** Per-tool secrets injected into calls and redacted from what comes back. */
  credentials?: CredentialBroker;
  /** The guard and audit session of this client (default: the audit log's); the HTTP face has one per client. */
  sessionId?: string;
}

export interface ListedTool {
  name: string;
  description?: string;
  _meta?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Pseudo-server under which prompts and resources are decided and labelled (untrusted content). */
export function contentServer(server: string): string {
  return `${server}#content`;
}

export class ProxyCore {
  readonly session: GuardSession;
  private tools: ListedTool[] = [];
  private blocked = new Map<string, BlockedTool>();
  /** Serialises tool registration so a list_changed storm cannot interleave re-lists. */
  private listing: Promise<ListedTool[]> | undefined;

  readonly gate: CallGate;
  private readonly listings: ListingVetter;

  constructor(readonly options: ProxyCoreOptions) {
    this.session = options.guard.session(options.sessionId ?? options.audit.sessionId);
    this.gate = new CallGate({
      guard: options.guard,
      audit: options.audit,
      session: this.session,
      ...(options.approvals ? { approvals: options.approvals } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      onEvent: (kind, message) => options.log.event(kind, message),
    });
    // prompts/get and resources/read are decided as tools of the content pseudo-server; items a
    // listing judged poisoned join them as pseudo tools (shared by every session of this guard).
    this.listings = ListingVetter.for(options.guard, options.server, contentServer(options.server), [
      {
        server: contentServer(options.server),
        name: 'resources/read',
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
      {
        server: contentServer(options.server),
        name: 'prompts/get',
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
    ]);
    this.listings.register();
  }

  get server(): string {
    return this.options.server;
  }

  /** Appends a record; resolves false (after logging) when it could not be made durable. */
  record(input: AuditRecordInput): Promise<boolean> {
    return this.gate.record(input);
  }

  /** Instructions as the client may see them: withheld when they differ from the pinned ones. */
  instructions(): string | undefined {
    const { upstream, lock, server } = this.options;
    if (upstream.instructions === undefined) return undefined;
    // Judged like a tool description: poisoned instructions never reach the client, pinned or not.
    const poisoned = poisonedInstructions(upstream.instructions);
    if (poisoned) {
      const j = poisoned.judgement;
      this.options.log.info(
        `the instructions of ${server} are withheld: ${j.messageId} (${j.severity}) "${j.excerpt.slice(0, 120)}"`,
      );
      return undefined;
    }
    const shown = this.gate.redact(upstream.instructions);
    if (!lock?.servers.has(server)) return shown;
    if (checkInstructions(lock, server, upstream.instructions) === 'pinned') return shown;
    this.options.log.info(`the instructions of ${server} differ from the lockfile; they are not passed on`);
    return undefined;
  }

  /** Lists the upstream's tools, registers them with the guard (pins, labels) and records it. */
  listTools(): Promise<ListedTool[]> {
    const run = async (): Promise<ListedTool[]> => {
      const { upstream, guard, server } = this.options;
      const { tools } = await upstream.client.listTools(undefined, {
        cacheMode: 'bypass',
        timeout: this.options.callTimeoutMs,
      });
      const listed = tools as unknown as ListedTool[];
      const { blocked } = guard.registerTools(
        server,
        listed.map((t) => ({ ...(t as object), server, name: t.name })),
      );
      this.blocked = new Map(blocked.map((b) => [b.tool, b]));
      for (const b of blocked) this.options.log.event('pin', `blocked ${server}/${b.tool}: ${b.reason}`);
      const ok = await this.gate.recordToolList(
        server,
        listed.map((t) => t.name),
        blocked,
      );
      if (!ok)
        throw new Refusal(-32603, 'portcullis: the audit log could not be written, so tools are not listed');
      this.tools = listed;
      return listed;
    };
    const next = (this.listing ?? Promise.resolve([])).catch(() => []).then(run);
    this.listing = next;
    return next;
  }

  /** prompts/list, resources/list or resources/templates/list: each page judged before the client sees it. */
  async listContent(
    kind: ListingKind,
    params: { cursor?: string } | undefined,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const { client } = this.options.upstream;
    const opts = { signal, timeout: this.options.callTimeoutMs };
    const page = (
      kind === 'prompt'
        ? await client.listPrompts(params, opts)
        : kind === 'resource'
          ? await client.listResources(params, opts)
          : await client.listResourceTemplates(params, opts)
    ) as Record<string, unknown>;
    const redact = this.options.credentials?.redactValue?.bind(this.options.credentials);
    const screened = await this.listings.screen(
      kind,
      redact ? redact(page) : page,
      (r) => this.record(r),
      this.options.blockedTools,
    );
    if (screened.refused) throw new Refusal(-32603, `portcullis: ${screened.refused}`);
    if (!screened.recorded)
      throw new Refusal(
        -32603,
        'portcullis: the audit log could not be written, so the listing is not passed on',
      );
    return screened.page;
  }

  /** The tool list as the client sees it: blocked tools marked (or hidden), labels in `_meta`. */
  view(tools: ListedTool[] = this.tools): ListedTool[] {
    const out: ListedTool[] = [];
    const present = this.options.credentials?.presentTool?.bind(this.options.credentials);
    for (const listed of tools) {
      // Secrets never reach the client, not even in a description that happens to carry one.
      const t = present ? present(this.server, listed) : listed;
      const block = this.blocked.get(t.name);
      const reason = block?.reason;
      if (block && this.options.blockedTools === 'hide') continue;
      if (block?.withhold) {
        // The definition is the attack: none of its text reaches the model.
        out.push({
          name: t.name,
          description:
            '[portcullis: blocked — this tool’s definition addresses the model (a poisoned description); it was withheld and the tool cannot be called]',
          inputSchema: { type: 'object', properties: {} },
          _meta: {
            portcullis: {
              labels: this.options.guard.labelsOf(this.server, t.name),
              blocked: true,
              withheld: true,
            },
          },
        });
        continue;
      }
      const labels = this.options.guard.labelsOf(this.server, t.name);
      const meta = {
        ...(t._meta ?? {}),
        portcullis: { labels, ...(reason ? { blocked: true, reason } : {}) },
      };
      out.push(
        reason
          ? {
              ...t,
              description: `[portcullis: blocked — ${reason}] ${t.description ?? ''}`.trim(),
              _meta: meta,
            }
          : { ...t, _meta: meta },
      );
    }
    return out;
  }

  /** How an upstream failure reads in the log, and whether the client gets the server's own error. */
  private classify(e: unknown, signal: AbortSignal): ForwardFailure {
    const timeout = e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout;
    const reason = timeout
      ? `the upstream server did not answer within ${this.options.callTimeoutMs} ms`
      : `the upstream server failed: ${(e as Error)?.message ?? String(e)}`;
    const rule = timeout ? 'timeout' : 'upstream';
    if (signal.aborted) return { rule: 'aborted', reason: 'the client cancelled the request', throw: e };
    const code = (e as { code?: unknown }).code;
    // A JSON-RPC error from the server (unknown tool, bad params) is its answer: pass it on.
    if (typeof code === 'number' && !(e instanceof SdkError))
      return { rule, reason, throw: new Refusal(code, this.gate.redact((e as Error).message)) };
    return { rule, reason };
  }

  callTool(
    params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
    signal: AbortSignal,
    onprogress?: (p: { progress: number; total?: number; message?: string }) => void,
  ): Promise<ToolResult> {
    const call: ToolCall = {
      callId: randomUUID(),
      server: this.server,
      tool: params.name,
      arguments: params.arguments ?? {},
    };
    return this.gate.run(
      call,
      'tools/call',
      async (args) =>
        (await this.options.upstream.client.callTool(
          { name: call.tool, arguments: args },
          {
            signal,
            timeout: this.options.callTimeoutMs,
            ...(onprogress
              ? { onprogress: (p: Progress) => onprogress(screenProgress(p)), resetTimeoutOnProgress: false }
              : {}),
          },
        )) as unknown as ToolResult,
      (e) => this.classify(e, signal),
      signal,
    );
  }

  /** resources/read and prompts/get: decided like calls, their content inspected like results. */
  private async readContent<T>(
    method: 'resources/read' | 'prompts/get',
    args: Record<string, unknown>,
    fetch: () => Promise<T>,
    asResult: (value: T) => ToolResult,
    back: (value: T, inspected: ToolResult) => T,
    signal: AbortSignal,
  ): Promise<T> {
    const call: ToolCall = {
      callId: randomUUID(),
      server: contentServer(this.server),
      tool: method,
      arguments: args,
    };
    // An item a listing judged poisoned is decided first under its own pseudo tool (rule `poisoned`).
    const id = method === 'prompts/get' ? args.name : args.uri;
    const flagged = typeof id === 'string' ? this.listings.flaggedTarget(method, id) : undefined;
    if (flagged !== undefined) {
      const v = await this.gate.admit({ ...call, callId: randomUUID(), tool: flagged }, method, signal);
      if (v.decision !== 'allow' && v.decision !== 'transform')
        throw new Refusal(-32600, `portcullis: denied ${method}: ${v.reason}`);
    }
    const verdict = await this.gate.admit(call, method, signal);
    if (verdict.decision !== 'allow' && verdict.decision !== 'transform')
      throw new Refusal(-32600, `portcullis: denied ${method}: ${verdict.reason}`);
    let value: T;
    try {
      value = await fetch();
    } catch (e) {
      const failure = this.classify(e, signal);
      const reason = await this.gate.failed(call, method, failure);
      if (failure.throw !== undefined) throw failure.throw;
      throw new Refusal(-32603, reason);
    }
    const rv = await this.gate.inspect(call, method, asResult(value));
    if (!('result' in rv) || rv.decision === 'deny')
      throw new Refusal(-32600, `portcullis: withheld: ${rv.reason}`);
    return rv.decision === 'allow' ? value : back(value, rv.result);
  }

  readResource(params: { uri: string }, signal: AbortSignal): Promise<{ contents: ResourceContents[] }> {
    return this.readContent(
      'resources/read',
      { uri: params.uri },
      async () =>
        (await this.options.upstream.client.readResource(params, {
          signal,
          timeout: this.options.callTimeoutMs,
          cacheMode: 'bypass',
        })) as unknown as { contents: ResourceContents[] },
      (r) => resourcesAsResult(r.contents),
      (r, inspected) => ({ ...r, contents: resultAsResources(r.contents, inspected) }),
      signal,
    );
  }

  getPrompt(
    params: { name: string; arguments?: Record<string, string> },
    signal: AbortSignal,
  ): Promise<{ messages: PromptMessage[] }> {
    return this.readContent(
      'prompts/get',
      { name: params.name, ...(params.arguments ? { arguments: params.arguments } : {}) },
      async () =>
        (await this.options.upstream.client.getPrompt(params, {
          signal,
          timeout: this.options.callTimeoutMs,
        })) as unknown as { messages: PromptMessage[] },
      (r) => promptAsResult(r.messages),
      (r, inspected) => ({ ...r, messages: resultAsPrompt(r.messages, inspected) }),
      signal,
    );
  }

  /** A request the policy governs that is not a call: sampling, elicitation, unknown methods. */
  async refuseOrAllow(method: string, allowed: boolean, reason: string): Promise<boolean> {
    const ok = await this.record({
      server: this.server,
      tool: method,
      method,
      decision: allowed ? 'allow' : 'deny',
      rule: allowed ? '' : 'proxy',
      reason,
    });
    return ok && allowed;
  }
}
